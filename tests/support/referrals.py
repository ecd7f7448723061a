"""Referral helpers for tests: a phone browser's user agent, a real webhook receiver, enrolling an
advocate, following a link, sending a friend's order, copying buffered clicks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.testclient import TestClient

from rcommerce.referrals import clicks
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.runtime import StoreKeys

BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/24.04 ZaloTheme/light ZaloLanguage/vn"
)


def loopback_webhooks(settings: Settings) -> Settings:
    """``settings`` that let webhooks go to the fake receiver on 127.0.0.1 over http (what
    production refuses: rcommerce.net)."""
    return settings.with_overrides(allow_http_webhooks=True, test_private_networks=("127.0.0.0/8",))


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookServer:
    url: str
    received: list[Received] = field(default_factory=list)
    fail_next: int = 0  # answer 500 this many times first

    def events(self) -> list[str]:
        return [r.json()["type"] for r in self.received]


def enrol(
    client: TestClient, store: StoreKeys, email: str = "lan@example.com", name: str = "Lan"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": email, "name": name}
    )
    assert response.status_code in (200, 201), response.text
    body: dict[str, Any] = response.json()
    return body


def follow(client: TestClient, code: str, channel: str | None = None, ua: str = BROWSER) -> str:
    """Follow a referral link like a phone would; returns the rc_ref it got."""
    url = f"/r/{code}" + (f"?ch={channel}" if channel else "")
    response = client.get(url, headers={"User-Agent": ua}, follow_redirects=False)
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["location"]).query)
    return query["rc_ref"][0]


def post_order(client: TestClient, store: StoreKeys, order_id: str, **extra: Any) -> dict[str, Any]:
    """Record a friend's order (300 000 VND); ``extra`` adds or overrides fields."""
    body = {
        "order_id": order_id,
        "email": "friend@example.com",
        "total": "300000",
        "currency": "VND",
    }
    response = client.post("/api/v1/orders", headers=store.auth, json={**body, **extra})
    assert response.status_code in (200, 201), response.text
    out: dict[str, Any] = response.json()
    return out


def order(client: TestClient, store: StoreKeys, order_id: str, **extra: object) -> object:
    """Send a friend's order like ``post_order`` and return the response, whatever its status."""
    return client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": order_id,
            "email": "friend@example.com",
            "total": "300000",
            "currency": "VND",
            **extra,
        },
    )


def drain(runtime: Runtime) -> int:
    return clicks.drain(runtime)
