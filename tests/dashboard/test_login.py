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
