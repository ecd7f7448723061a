"""Reward and friend coupons are created in the connected platform's Admin API (a local server
that checks the documented request shapes), retried with backoff, their state kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import func, select
from starlette.testclient import TestClient

from rcommerce.connectors import coupon_sync
from rcommerce.connectors.coupon_sync import IssuedCoupon
from rcommerce.connectors.models import ConnectorCoupon
from rcommerce.jobs import Job
from rcommerce.referrals import tasks as referral_tasks
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores.models import Store
from tests.connectors.support import SECRET, body, headers, with_token
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs
from tests.support.referrals import enrol, follow
from tests.support.runtime import Clock, StoreKeys
from tests.support.servers import free_port


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The fake platform APIs listen on loopback, which production's guard refuses."""
    return settings.with_overrides(test_private_networks=("127.0.0.0/8",))


def connect(client: TestClient, store: StoreKeys, platform: str, **admin: str) -> None:
    body: dict[str, Any] = {"webhook_secret": SECRET, "shop_domain": "moc.myshopify.com"}
    if admin:
        body["admin_api"] = admin
    answer = client.put(f"/api/v1/connectors/{platform}", headers=store.auth, json=body)
    assert answer.status_code == 200, answer.text


def issue(
    runtime: Runtime, store: StoreKeys, code: str = "CAMON-7K3Q", **changes: Any
) -> list[ConnectorCoupon]:
    values: dict[str, Any] = {
        "code": code,
        "kind": "fixed_amount",
        "value": Decimal("50000"),
        "recipient": "advocate",
        "advocate_id": 7,
    }
    values.update(changes)
    with runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        return coupon_sync.schedule_coupon(
            session=session, store=shop, coupon=IssuedCoupon(**values), now=runtime.now()
        )


def state(runtime: Runtime) -> list[ConnectorCoupon]:
    with runtime.transaction(readonly=True) as session:
        return list(session.exec(select(ConnectorCoupon).order_by(ConnectorCoupon.platform)))


def test_a_reward_coupon_is_created_on_shopify(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    connect(client, store, "shopify", base_url=apis.base_url, access_token=fake.SHOPIFY_TOKEN)
    (pending,) = issue(runtime, store)
    assert pending.status == "pending"
    runtime.dispatcher.drain()
    assert apis.violations == []
    rule = apis.calls("price_rules.json", "POST")[0].json["price_rule"]
    assert (rule["value_type"], rule["value"], rule["usage_limit"]) == ("fixed_amount", "-50000", 1)
    assert "CAMON-7K3Q" in apis.codes
    (row,) = state(runtime)
    assert (row.status, row.remote_id, row.attempts) == (
        "created",
        str(apis.codes["CAMON-7K3Q"][1]),
        1,
    )
    assert row.synced_at is not None
    listed = client.get("/api/v1/connectors", headers=store.auth).json()["connectors"][0]
    assert listed["coupons"] == {"pending": 0, "created": 1, "failed": 0, "unsupported": 0}


def test_a_friend_coupon_serves_any_number_of_friends_once_each(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    connect(
        client, store, "woocommerce", base_url=apis.base_url, api_key=fake.WOO_KEY,
        api_secret=fake.WOO_SECRET,
    )  # fmt: skip
    issue(runtime, store, "BANLAN10", kind="percentage", value=Decimal("10"), recipient="friend")
    runtime.dispatcher.drain()
    assert apis.violations == []
    (call,) = apis.calls("wc/v3/coupons", "POST")
    assert (call.json["discount_type"], call.json["amount"]) == ("percent", "10")
    assert "usage_limit" not in call.json and call.json["usage_limit_per_user"] == 1
    assert state(runtime)[0].status == "created"


def test_scheduling_a_coupon_again_changes_nothing(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    connect(client, store, "shopify", base_url=apis.base_url, access_token=fake.SHOPIFY_TOKEN)
    issue(runtime, store)
    issue(runtime, store)
    with runtime.transaction(readonly=True) as session:
        jobs = session.exec(
            select(func.count()).select_from(Job).where(Job.name == coupon_sync.CREATE_JOB)
        ).one()
    assert (len(state(runtime)), jobs) == (1, 1)


def test_refused_credentials_fail_at_once(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    connect(client, store, "shopify", base_url=apis.base_url, access_token="shpat_revoked")
    issue(runtime, store)
    runtime.dispatcher.drain()
    (row,) = state(runtime)
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.last_error is not None and "credentials were refused" in row.last_error


def test_an_unreachable_platform_is_retried_with_backoff(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs, clock: Clock
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    connect(client, store, "shopify", base_url=closed, access_token=fake.SHOPIFY_TOKEN)
    issue(runtime, store)
    runtime.dispatcher.drain()
    (row,) = state(runtime)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error is not None
    # The platform is back (here: the right address); the job runs again after its backoff.
    connect(client, store, "shopify", base_url=apis.base_url, access_token=fake.SHOPIFY_TOKEN)
    runtime.dispatcher.drain()
    assert state(runtime)[0].status == "pending"
    clock.advance(seconds=31)
    runtime.dispatcher.drain()
    (row,) = state(runtime)
    assert (row.status, row.attempts, row.last_error) == ("created", 2, None)
    assert "CAMON-7K3Q" in apis.codes


def test_a_connector_without_admin_api_is_unsupported(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    connect(client, store, "sapo")
    connect(client, store, "haravan", base_url=apis.base_url, access_token=fake.HARAVAN_TOKEN)
    issue(runtime, store)
    runtime.dispatcher.drain()
    haravan, sapo = state(runtime)
    assert (haravan.platform, haravan.status) == ("haravan", "created")
    assert (sapo.platform, sapo.status) == ("sapo", "unsupported")
    assert apis.violations == []
    listed = {
        c["platform"]: c["coupons"]
        for c in client.get("/api/v1/connectors", headers=store.auth).json()["connectors"]
    }
    assert listed["sapo"]["unsupported"] == 1 and listed["haravan"]["created"] == 1


def test_a_free_shipping_coupon_is_marked_unsupported_never_sent_as_an_amount(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs
) -> None:
    connect(client, store, "shopify", base_url=apis.base_url, access_token=fake.SHOPIFY_TOKEN)
    (row,) = issue(runtime, store, "SHIPFREE1", kind="free_shipping", value=Decimal("0"))
    assert row.status == "unsupported" and "free-shipping" in (row.last_error or "")
    runtime.dispatcher.drain()
    assert apis.calls("price_rules.json", "POST") == []
    assert "SHIPFREE1" not in apis.codes
    listed = client.get("/api/v1/connectors", headers=store.auth).json()["connectors"][0]
    assert listed["coupons"]["unsupported"] == 1


def test_a_reward_earned_through_a_shopify_order_is_created_on_shopify(
    client: TestClient, runtime: Runtime, store: StoreKeys, apis: PlatformAPIs, clock: Clock
) -> None:
    """End to end: the order arrives by webhook with the rc_ref, the hold period passes, the
    reward coupon is issued, and its code exists in the shop's admin; so does the advocate's
    welcome code for friends, issued when they joined."""
    connect(client, store, "shopify", base_url=apis.base_url, access_token=fake.SHOPIFY_TOKEN)
    campaign = client.get("/api/v1/campaigns", headers=store.auth).json()["campaigns"][0]
    client.patch(
        f"/api/v1/campaigns/{campaign['id']}",
        headers=store.auth,
        json={"advocate_reward_kind": "coupon_fixed", "advocate_reward_value": "80000"},
    )
    advocate = enrol(client, store, "advocate@example.com")
    friend_code = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()[
        "friend_coupon_code"
    ]
    token = follow(client, advocate["referral_code"])
    raw = with_token(body("shopify/orders_paid.json"), token)
    delivered = client.post(
        f"/connect/shopify/{store.store_id}/webhooks",
        content=raw,
        headers=headers("shopify", raw, "orders/paid", delivery_id="d-1"),
    )
    assert delivered.json()["status"] == "accepted"
    runtime.dispatcher.drain()
    assert friend_code in apis.codes
    clock.advance(days=15)
    referral_tasks.approve_rewards(runtime)
    rewards = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).json()[
        "rewards"
    ]
    (reward,) = rewards
    assert (reward["status"], reward["kind"]) == ("issued", "coupon_fixed")
    runtime.dispatcher.drain()
    assert apis.violations == []
    assert reward["coupon_code"] in apis.codes
    rules = {
        call.json["price_rule"]["title"]: call.json["price_rule"]
        for call in apis.calls("price_rules.json", "POST")
    }
    reward_rule = rules[f"rcommerce reward {reward['coupon_code']}"]
    assert (reward_rule["value"], reward_rule["usage_limit"]) == ("-80000", 1)
    friend_rule = rules[f"rcommerce friend {friend_code}"]
    assert (friend_rule["value_type"], friend_rule["usage_limit"]) == ("percentage", None)
    rows = {row.code: row.status for row in state(runtime)}
    assert rows == {reward["coupon_code"]: "created", friend_code: "created"}
