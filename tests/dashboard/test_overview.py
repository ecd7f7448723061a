"""Dashboard overview, settings and keys."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.dashboard import (
    ManagerLogin,
    hold_conversions,
    log_in,
)
from tests.support.runtime import StoreKeys


def test_settings_change_origins_and_clear_the_embed_cache(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    runtime.cache.set(f"origins:{manager.store.publishable_key}", b'["https://old.example"]', 30)
    saved = client.post(
        "/dashboard/settings",
        data={
            "csrf": token,
            "name": "Shop mới",
            "allowed_origins": "https://Shop.Example/\nhttps://m.shop.example",
            "landing_url": "https://shop.example/khuyen-mai",
            "webhook_url": "",
            "review_request_delay_days": "5",
            "locale": "en",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert runtime.cache.get(f"origins:{manager.store.publishable_key}") is None
    with runtime.transaction() as session:
        store = session.get(Store, manager.store.store_id)
        assert store is not None
        assert store.allowed_origins == ["https://shop.example", "https://m.shop.example"]
        assert store.review_request_delay_days == 5 and store.name == "Shop mới"
    bad = client.post(
        "/dashboard/settings",
        data={
            "csrf": token,
            "name": "x",
            "allowed_origins": "javascript:alert(1)",
            "locale": "vi",
            "review_request_delay_days": "1",
        },
    )
    assert bad.status_code == 422


def test_rotating_the_key_shows_the_new_one_once(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    page = client.get("/dashboard/keys")
    assert manager.store.publishable_key in page.text
    assert manager.store.secret_key not in page.text
    unconfirmed = client.post("/dashboard/keys/rotate", data={"csrf": token})
    assert unconfirmed.status_code == 422
    rotated = client.post("/dashboard/keys/rotate", data={"csrf": token, "confirm": "yes"})
    assert rotated.status_code == 200
    assert rotated.headers["cache-control"] == "no-store"
    import re

    new_key = re.search(r"sk_live_[A-Za-z0-9_-]+", rotated.text)
    assert new_key is not None
    assert client.get("/api/v1/store", headers=manager.store.auth).status_code == 401
    assert (
        client.get(
            "/api/v1/store", headers={"Authorization": f"Bearer {new_key.group(0)}"}
        ).status_code
        == 200
    )
    assert new_key.group(0) not in client.get("/dashboard/keys").text


def test_overview_counts_every_waiting_review_and_held_conversion(
    client: TestClient,
    runtime: Runtime,
    manager: ManagerLogin,
    make_store: Callable[..., StoreKeys],
) -> None:
    """More than a page of each (a page shows 25 reviews and 50 conversions)."""
    other = make_store(name="Other")
    with runtime.transaction() as session:
        for keys, reviews in ((manager.store, 203), (other, 5)):
            for n in range(reviews):
                session.add(
                    Review(
                        store_id=keys.store_id,
                        product_id="ao-thun",
                        rating=4,
                        body=f"review {n}",
                        author_name="Lan",
                        email=f"lan{n}@example.com",
                        status="pending",
                    )
                )
    hold_conversions(runtime, manager.store, 102)
    hold_conversions(runtime, other, 4)
    log_in(client, manager)
    overview = client.get("/dashboard/").text
    to_do = dict(
        re.findall(r'href="(/dashboard/[a-z?=]+)"><span[^>]*>[^<]*</span><strong>(\d+)<', overview)
    )
    assert to_do == {"/dashboard/reviews?status=pending": "203", "/dashboard/conversions": "102"}


def test_todays_figures_are_current_though_today_was_rolled_up_before(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    """The scheduled roll-up ran (today counted 0 orders); an order arriving since shows at once."""
    log_in(client, manager)
    first = client.get("/dashboard/").text  # rolls the 30 days up, today included
    assert _referred_orders(first) == "0"
    joined = client.post(
        "/api/v1/advocates", headers=manager.store.auth, json={"email": "lan@example.com"}
    ).json()
    order = client.post(
        "/api/v1/orders",
        headers=manager.store.auth,
        json={
            "order_id": "today-1",
            "email": "ban@example.com",
            "total": "300000",
            "currency": "VND",
            "referral_code": joined["referral_code"],
        },
    )
    assert order.json()["attributed"] is True
    assert _referred_orders(client.get("/dashboard/").text) == "1"


def _referred_orders(html: str) -> str:
    found = re.search(r"Đơn được giới thiệu</span>\s*<strong>([^<]+)</strong>", html)
    assert found is not None, "no referred orders card"
    return found.group(1)
