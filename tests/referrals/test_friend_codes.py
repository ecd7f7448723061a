"""The friend's welcome coupon: one code per advocate whatever the campaign, carrying the
current default campaign's terms."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce import db
from rcommerce.referrals.models import Coupon
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.referrals import enrol, post_order
from tests.support.runtime import TEST_SECRET, StoreKeys


def test_a_new_default_campaign_keeps_every_advocates_friend_code(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    advocate = enrol(client, store)
    code = advocate["friend_coupon_code"]
    assert client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth).status_code == 200
    created = client.post(
        "/api/v1/campaigns",
        headers=store.auth,
        json={
            "name": "Tết",
            "is_default": True,
            "friend_reward_kind": "coupon_fixed",
            "friend_reward_value": "30000",
        },
    )
    assert created.status_code == 201, created.text
    again = enrol(client, store)  # the same e-mail: the same advocate
    assert again["friend_coupon_code"] == code
    read = client.get(f"/api/v1/advocates/{advocate['id']}", headers=store.auth)
    assert read.status_code == 200, read.text
    offer = client.get(
        f"/embed/v1/{store.publishable_key}/referral-offer",
        params={"code": advocate["referral_code"]},
        headers={"Origin": "https://shop.example"},
    )
    assert offer.status_code == 200, offer.text
    assert offer.json()["coupon_code"] == code
    with runtime.transaction(readonly=True) as session:
        coupons = list(session.exec(select(Coupon).where(Coupon.purpose == "friend")))
    assert [(c.code, c.kind, str(c.value), c.campaign_id) for c in coupons] == [
        (code, "coupon_fixed", "30000.00", created.json()["id"])
    ]
    # Friends who already have the code still use it, under the new campaign.
    order = post_order(client, store, "DH-TET", coupon_codes=[code])
    assert order["attributed"] is True


def test_duplicate_friend_coupons_are_folded_by_the_migration(tmp_path: Path) -> None:
    """A store that changed its locale and then its default campaign could hold BAN… and FR…
    for one advocate: the newest stays active, the older is voided (and still attributes)."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'old.db'}", secret_key=TEST_SECRET, data_dir=tmp_path
    )
    db.migrate(settings, "0013_ascii_store_urls")
    engine = db.make_engine(settings)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO store (id, name, secret_key_hash, secret_key_hint,"
                " secret_key_rotated_at, publishable_key, allowed_origins, currency, locale,"
                " timezone, webhook_secret_version, review_request_delay_days, created_at)"
                " VALUES (1, 'Shop', 'h', 'sk', '2026-01-01', 'pk', '[]', 'VND', 'vi',"
                " 'Asia/Ho_Chi_Minh', 1, 7, '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO advocate (id, store_id, email, email_canonical, name,"
                " referral_code, status, source, created_at) VALUES (1, 1, 'a@example.com',"
                " 'a@example.com', 'A', 'ABCDEFG', 'active', 'api', '2026-01-01')"
            )
        )
        for coupon_id, code in ((1, "BANABCDEFG"), (2, "FRABCDEFG")):
            conn.execute(
                text(
                    "INSERT INTO coupon (id, store_id, code, purpose, advocate_id, kind, value,"
                    " status, created_at) VALUES (:id, 1, :code, 'friend', 1, 'coupon_percent',"
                    " 10, 'active', '2026-01-01')"
                ),
                {"id": coupon_id, "code": code},
            )
    db.migrate(settings)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT code, status FROM coupon ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("BANABCDEFG", "void"), ("FRABCDEFG", "active")]
