"""Dashboard pages as a whole: log-in required, a strict policy, and one store's managers see
nothing of another's."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.dashboard import (
    ManagerLogin,
    add_review,
    log_in,
)
from tests.support.runtime import StoreKeys


def test_pages_need_a_login_and_send_a_strict_policy(client: TestClient) -> None:
    response = client.get("/dashboard/reviews", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/dashboard/login?next=")
    login = client.get("/dashboard/login")
    assert "default-src 'none'" in login.headers["content-security-policy"]
    assert "script-src" not in login.headers["content-security-policy"]
    assert login.headers["x-frame-options"] == "DENY"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard" in cookie


def test_every_form_post_without_the_csrf_token_is_refused(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    review_id = add_review(runtime, manager.store)
    token = log_in(client, manager)
    for path, data in (
        (f"/dashboard/reviews/{review_id}/approve", {}),
        ("/dashboard/settings", {"name": "Hacked", "allowed_origins": "https://evil.example"}),
        ("/dashboard/keys/rotate", {"confirm": "yes"}),
        ("/dashboard/locale", {"locale": "en"}),
        ("/dashboard/logout", {}),
    ):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
        wrong = client.post(path, data={**data, "csrf": token + "x"}, follow_redirects=False)
        assert wrong.status_code == 403, path
    with runtime.transaction() as session:
        review = session.get(Review, review_id)
        store = session.get(Store, manager.store.store_id)
        assert review is not None and review.status == "pending"
        assert store is not None and store.name == "Shop"
    # The login form itself needs its token too.
    client.cookies.clear()
    refused = client.post(
        "/dashboard/login", data={"email": manager.email, "password": manager.password}
    )
    assert refused.status_code == 403


def test_a_manager_of_another_store_sees_nothing_of_this_one(
    client: TestClient,
    runtime: Runtime,
    manager: ManagerLogin,
    make_store: Callable[..., StoreKeys],
    make_manager: Callable[[StoreKeys, str], ManagerLogin],
) -> None:
    ours = add_review(runtime, manager.store, body="Chỉ cửa hàng này thấy được")
    theirs = make_store(name="Đối thủ")
    other = make_manager(theirs, "doithu@other.example")
    token = log_in(client, other)
    for tab in ("pending", "published", "received"):
        assert (
            "Chỉ cửa hàng này thấy được" not in client.get(f"/dashboard/reviews?status={tab}").text
        )
    refused = client.post(f"/dashboard/reviews/{ours}/approve", data={"csrf": token})
    assert refused.status_code == 404
    assert "Chỉ cửa hàng này" not in client.get("/dashboard/testimonials").text
    assert manager.store.publishable_key not in client.get("/dashboard/keys").text
    assert client.get("/dashboard/").status_code == 200
    with runtime.transaction() as session:
        review = session.get(Review, ours)
        assert review is not None and review.status == "pending"
