"""Enrolment by API and widget, codes, listing, status, opt-out, export and erasure."""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.advocates import service
from rcommerce.advocates.models import Advocate
from rcommerce.referrals.models import Click
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.referrals import BROWSER, drain, follow
from tests.support.runtime import StoreKeys


def test_enrol_is_idempotent_by_normalised_email(client: TestClient, store: StoreKeys) -> None:
    first = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": "Lan@Example.com ", "name": "Lan"}
    )
    assert first.status_code == 201
    body = first.json()
    assert set(body) >= {"id", "referral_code", "referral_url"}
    assert body["referral_url"] == f"http://testserver/r/{body['referral_code']}"
    again = client.post("/api/v1/advocates", headers=store.auth, json={"email": "lan@example.com"})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    bad = client.post("/api/v1/advocates", headers=store.auth, json={"email": "nope"})
    assert bad.status_code == 422


def test_the_same_email_in_two_stores_is_two_advocates(
    client: TestClient, make_store: Callable[..., StoreKeys]
) -> None:
    a = make_store(name="A")
    b = make_store(name="B", origins=("https://b.example",))
    one = client.post("/api/v1/advocates", headers=a.auth, json={"email": "x@example.com"}).json()
    two = client.post("/api/v1/advocates", headers=b.auth, json={"email": "x@example.com"}).json()
    assert one["id"] != two["id"] and one["referral_code"] != two["referral_code"]
    listed = client.get("/api/v1/advocates", headers=a.auth).json()
    assert [row["id"] for row in listed["advocates"]] == [one["id"]]


def test_widget_join_needs_an_allowed_origin_and_is_rate_limited(
    client: TestClient, store: StoreKeys
) -> None:
    url = f"/embed/v1/{store.publishable_key}/advocates"
    ok = client.post(
        url,
        headers={"Origin": "https://shop.example"},
        json={"email": "w@example.com", "name": "W"},
    )
    assert ok.status_code == 201
    assert ok.headers["access-control-allow-origin"] == "https://shop.example"
    assert set(ok.json()) == {"referral_code", "referral_url", "friend_coupon_code", "portal_url"}
    evil = client.post(
        url, headers={"Origin": "https://evil.example"}, json={"email": "e@example.com"}
    )
    assert evil.status_code == 403
    statuses = [
        client.post(
            url, headers={"Origin": "https://shop.example"}, json={"email": f"r{n}@example.com"}
        ).status_code
        for n in range(12)
    ]
    assert statuses.count(429) >= 2
    unknown = client.post(
        "/embed/v1/pk_live_nope/advocates",
        headers={"Origin": "https://shop.example"},
        json={"email": "a@example.com"},
    )
    assert unknown.status_code == 404


def test_search_and_block(client: TestClient, runtime: Runtime, store: StoreKeys) -> None:
    for email, name in (("an@example.com", "Nguyễn An"), ("binh@example.com", "Trần Bình")):
        client.post("/api/v1/advocates", headers=store.auth, json={"email": email, "name": name})
    found = client.get("/api/v1/advocates?search=binh", headers=store.auth).json()
    assert found["total"] == 1 and found["advocates"][0]["email"] == "binh@example.com"
    with runtime.transaction(readonly=True) as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        rows, total = service.list_advocates(session=session, store=shop, search="nguyễn")
        assert total == 1 and rows[0].name == "Nguyễn An"
    target = found["advocates"][0]["id"]
    blocked = client.patch(
        f"/api/v1/advocates/{target}", headers=store.auth, json={"status": "blocked"}
    )
    assert blocked.json()["status"] == "blocked"
    only_blocked = client.get("/api/v1/advocates?status=blocked", headers=store.auth).json()
    assert [a["id"] for a in only_blocked["advocates"]] == [target]
    wrong = client.patch(f"/api/v1/advocates/{target}", headers=store.auth, json={"status": "gone"})
    assert wrong.status_code == 422


def test_opt_out_stops_rewards_and_emails(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": "o@example.com"}
    ).json()
    out = client.post(f"/api/v1/advocates/{advocate['id']}/opt-out", headers=store.auth)
    assert out.status_code == 200 and out.json()["status"] == "opted_out"
    response = client.get(
        f"/r/{advocate['referral_code']}", headers={"User-Agent": BROWSER}, follow_redirects=False
    )
    assert response.status_code == 302 and "rc_ref" not in response.headers["location"]
    order = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={
            "order_id": "O1",
            "email": "f@example.com",
            "total": "1",
            "currency": "VND",
            "referral_code": advocate["referral_code"],
        },
    )
    assert order.json()["conversion_status"] == "ineligible"
    assert order.json()["reasons"] == ["advocate_opted_out"]


def test_opting_out_through_patch_also_stops_emails(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    from rcommerce.advocates.models import Advocate

    advocate = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": "p@example.com"}
    ).json()
    patched = client.patch(
        f"/api/v1/advocates/{advocate['id']}",
        headers=store.auth,
        json={"status": "opted_out", "name": "Phương"},
    )
    assert patched.status_code == 200 and patched.json()["status"] == "opted_out"
    with runtime.transaction(readonly=True) as session:
        row = session.get(Advocate, advocate["id"])
        assert row is not None
        assert row.emails_opted_out_at is not None and row.name == "Phương"


def test_export_and_erasure(client: TestClient, runtime: Runtime, store: StoreKeys) -> None:
    advocate = client.post(
        "/api/v1/advocates",
        headers=store.auth,
        json={"email": "erase.me@example.com", "name": "Erase Me"},
    ).json()
    follow(client, advocate["referral_code"], "sms")
    drain(runtime)
    export = client.get(f"/api/v1/advocates/{advocate['id']}/export", headers=store.auth)
    assert export.status_code == 200
    data = export.json()
    assert data["advocate"]["email"] == "erase.me@example.com" and len(data["clicks"]) == 1
    assert "attachment" in export.headers["content-disposition"]
    erased = client.delete(f"/api/v1/advocates/{advocate['id']}", headers=store.auth)
    assert erased.status_code == 200 and erased.json()["status"] == "erased"
    with runtime.transaction(readonly=True) as session:
        row = session.get(Advocate, advocate["id"])
        assert row is not None
        assert "erase.me" not in row.email and row.name == "" and row.ip_hash is None
        click = session.exec(select(Click)).one()
        assert click.ip_hash is None and click.user_agent is None
    assert client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).status_code == 404
    gone = client.get(
        f"/r/{advocate['referral_code']}", headers={"User-Agent": BROWSER}, follow_redirects=False
    )
    assert "rc_ref" not in gone.headers.get("location", "")
    again = client.post(
        "/api/v1/advocates", headers=store.auth, json={"email": "erase.me@example.com"}
    )
    assert again.status_code == 201  # the erased row no longer holds the address


def test_every_referral_route_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/advocates",
        "/api/v1/advocates/{advocate_id}",
        "/api/v1/advocates/{advocate_id}/redemptions",
        "/api/v1/orders",
        "/api/v1/orders/{order_id}/refund",
        "/r/{referral_code}",
        "/embed/v1/{publishable_key}/advocates",
        "/api/v1/webhooks/deliveries",
    ):
        assert path in paths, path
    redemption = paths["/api/v1/advocates/{advocate_id}/redemptions"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in redemption["parameters"])
