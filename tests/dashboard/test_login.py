"""Dashboard log-in: sessions, passwords, language, rate limits and where a log-in may lead."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from rcommerce.stores import service
from rcommerce.stores.models import Manager
from tests.support.dashboard import (
    ManagerLogin,
    csrf_of,
    log_in,
)


def test_login_wrong_password_and_session_cookie(client: TestClient, manager: ManagerLogin) -> None:
    page = client.get("/dashboard/login?lang=en")
    wrong = client.post(
        "/dashboard/login",
        data={"csrf": csrf_of(page.text), "email": manager.email, "password": "nope-nope-nope"},
    )
    assert wrong.status_code == 401
    assert "Wrong e-mail or password" in wrong.text
    log_in(client, manager)
    assert client.cookies.get("rc_session")


def test_password_change_ends_sessions_and_logout_works(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    with runtime.transaction() as session:
        row = session.exec(Manager.__table__.select()).first()  # type: ignore[attr-defined]
        person = session.get(Manager, row.id)
        assert person is not None
        person.password_hash = service.hash_password("another long password")
        session.add(person)
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303
    token = log_in(client, ManagerLogin(manager.email, "another long password", manager.store))
    out = client.post("/dashboard/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303


def test_language_switch_and_login_rate_limit(client: TestClient, manager: ManagerLogin) -> None:
    token = log_in(client, manager)
    assert "Tổng quan" in client.get("/dashboard/").text  # the store's language: vi
    client.post("/dashboard/locale", data={"csrf": token, "locale": "en", "back": "/dashboard/"})
    assert "Overview" in client.get("/dashboard/").text
    client.cookies.clear()
    page = client.get("/dashboard/login")
    statuses = [
        client.post(
            "/dashboard/login",
            data={
                "csrf": csrf_of(page.text),
                "email": manager.email,
                "password": "wrong password!",
            },
        ).status_code
        for _ in range(12)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429


def test_login_goes_only_to_our_own_pages(client: TestClient, manager: ManagerLogin) -> None:
    for asked, landed in (
        ("/dashboard/advocates", "/dashboard/advocates"),
        ("https://evil.example/dashboard/", "/dashboard/"),
        ("//evil.example/", "/dashboard/"),
        ("/dashboard/\\evil.example", "/dashboard/"),
    ):
        client.cookies.clear()
        form = client.get("/dashboard/login", params={"next": asked})
        response = client.post(
            "/dashboard/login",
            data={
                "csrf": csrf_of(form.text),
                "email": manager.email,
                "password": manager.password,
                "next": asked,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == landed, asked


def test_a_manager_changes_the_password_and_other_sessions_end(
    client: TestClient, app: object, manager: ManagerLogin
) -> None:
    other = TestClient(app)  # type: ignore[arg-type]
    log_in(other, manager)
    token = log_in(client, manager)
    wrong = client.post(
        "/dashboard/password",
        data={
            "csrf": token,
            "current_password": "not the password",
            "new_password": "a brand new long password",
            "new_password_again": "a brand new long password",
        },
    )
    assert wrong.status_code == 422 and "Mật khẩu hiện tại không đúng." in wrong.text
    short = client.post(
        "/dashboard/password",
        data={
            "csrf": token,
            "current_password": manager.password,
            "new_password": "short",
            "new_password_again": "short",
        },
    )
    assert short.status_code == 422 and "Mật khẩu mới cần ít nhất 10 ký tự." in short.text
    changed = client.post(
        "/dashboard/password",
        data={
            "csrf": token,
            "current_password": manager.password,
            "new_password": "a brand new long password",
            "new_password_again": "a brand new long password",
        },
    )
    assert changed.status_code == 200 and "Đã đổi mật khẩu" in changed.text  # still signed in
    assert other.get("/dashboard/", follow_redirects=False).status_code == 303  # ended
    other.close()
    client.cookies.clear()
    log_in(client, ManagerLogin(manager.email, "a brand new long password", manager.store))
