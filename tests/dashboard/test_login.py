"""Dashboard log-in: sessions (revoked on logout), passwords, language, failures slowing down
their source only, alerts on a burst, and where a log-in may lead."""

from __future__ import annotations

from typing import Any

from httpx import Response
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from rcommerce.stores import service
from rcommerce.stores.models import Manager
from tests.support.dashboard import (
    ManagerLogin,
    csrf_of,
    log_in,
)
from tests.support.runtime import Clock
from tests.support.smtp import SMTPServer


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


def _try(client: TestClient, email: str, password: str) -> Response:
    page = client.get("/dashboard/login?lang=en")
    return client.post(
        "/dashboard/login",
        data={"csrf": csrf_of(page.text), "email": email, "password": password},
        follow_redirects=False,
    )


def _from(app: Any, address: str) -> TestClient:
    return TestClient(app, base_url="http://testserver", client=(address, 40000))


def test_wrong_passwords_from_elsewhere_never_lock_the_manager_out(
    app: Any, runtime: Runtime, manager: ManagerLogin
) -> None:
    """Anyone can send wrong passwords for the manager's e-mail; that slows them down, not
    the manager, whose right password from another place works at once."""
    attacker = _from(app, "198.51.100.7")
    statuses = [_try(attacker, manager.email, f"guess-{i}-guess").status_code for i in range(30)]
    assert statuses[:4] == [401, 401, 401, 429] and statuses.count(401) <= 5
    real = _from(app, "203.0.113.20")
    assert _try(real, manager.email, manager.password).status_code == 303
    assert real.get("/dashboard/", follow_redirects=False).status_code == 200
    # The guesser's source waits, even with the right password.
    assert _try(attacker, manager.email, manager.password).status_code == 429


def test_each_failure_from_a_source_doubles_its_wait(
    app: Any, runtime: Runtime, clock: Clock, manager: ManagerLogin
) -> None:
    guesser = _from(app, "198.51.100.8")
    for _ in range(3):
        assert _try(guesser, manager.email, "wrong password!").status_code == 401
    for wait in (5, 10, 20, 40, 80):
        refused = _try(guesser, manager.email, "wrong password!")
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) in (wait - 1, wait)  # the clock runs on
        assert "Too many" in refused.text
        clock.advance(seconds=wait)
        assert _try(guesser, manager.email, "wrong password!").status_code == 401
    clock.advance(seconds=160)
    assert _try(guesser, manager.email, manager.password).status_code == 303
    # A success forgets the source's failures.
    guesser.cookies.clear()
    assert _try(guesser, manager.email, "wrong password!").status_code == 401
    assert _try(guesser, manager.email, "wrong password!").status_code == 401


def test_a_burst_of_failures_is_mailed_to_the_manager(
    app: Any, smtp_runtime: Runtime, smtp_server: SMTPServer, manager: ManagerLogin
) -> None:
    for i in range(25):  # a botnet: one guess from each address
        assert (
            _try(_from(app, f"198.51.100.{i + 1}"), manager.email, "guess!guess!").status_code
            == 401
        )
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [mail] = smtp_server.inbox.wait_for(1)
    assert mail["To"] == manager.email
    assert "đăng nhập sai" in str(mail["Subject"])  # the store's language
    assert "10" in smtp_server.inbox.text_of(mail)
    assert len(smtp_server.inbox.messages) == 1  # once per window, not once per guess
    for i in range(5):
        _try(_from(app, f"192.0.2.{i + 1}"), "nobody@shop.example", "guess!guess!")
    smtp_runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.messages) == 1


def test_logging_out_ends_the_session_for_a_copied_cookie(
    client: TestClient, app: Any, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    stolen = client.cookies.get("rc_session")
    assert stolen
    copy = TestClient(app, base_url="http://testserver", cookies={"rc_session": stolen})
    assert copy.get("/dashboard/", follow_redirects=False).status_code == 200
    out = client.post("/dashboard/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert copy.get("/dashboard/", follow_redirects=False).status_code == 303
    assert (
        copy.get("/dashboard/", follow_redirects=False)
        .headers["location"]
        .startswith("/dashboard/login")
    )
