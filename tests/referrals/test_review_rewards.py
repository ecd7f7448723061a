"""Rating-blind review incentives: a store rewards reviews that meet content rules (enough words,
a photo or video); a 1-star review meeting them earns exactly what a 5-star one does, a review without
a photo nothing, and a review is rewarded once however often it is published again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.advocates.models import Advocate
from rcommerce.referrals import wallet
from rcommerce.referrals.models import Coupon, LedgerEntry, ReviewReward
from rcommerce.runtime import Runtime
from tests.support.reviews import ORIGIN, add_products, upload_photo
from tests.support.reviews import review_id as review_id_of
from tests.support.runtime import StoreKeys

ONE_STAR = "Áo mặc một lần đã xù lông, đường may bung ở nách, màu khác hẳn ảnh. Rất thất vọng."
FIVE_STAR = "Áo đẹp, vải cotton dày dặn, mặc mát, giặt máy vẫn giữ form. Rất hài lòng, sẽ mua thêm."
PLAIN = "Shop tư vấn size nhiệt tình, giao hàng đúng hẹn, áo mặc vừa in như mô tả. Cảm ơn shop."
COFFEE = "Cà phê rang quá khét, uống đắng gắt và chua, không giống mô tả đậm đà. Không mua lại."


def review(client: TestClient, runtime: Runtime, keys: StoreKeys, **fields: Any) -> int:
    body = {"product_id": "ao-thun", "name": "Khách", **fields}
    sent = client.post(
        f"/embed/v1/{keys.publishable_key}/reviews", json=body, headers={"Origin": ORIGIN}
    )
    assert sent.status_code == 202, sent.text
    return review_id_of(runtime, str(fields["email"]), str(body["product_id"]))


def rewards(runtime: Runtime) -> dict[int, ReviewReward]:
    with runtime.transaction(readonly=True) as session:
        return {r.review_id: r for r in session.exec(select(ReviewReward))}


def test_a_one_star_review_with_a_photo_earns_what_a_five_star_one_does(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    add_products(runtime, store)
    incentive = {
        "active": True,
        "kind": "coupon_fixed",
        "value": "20000",
        "min_chars": 50,
        "needs_media": True,
    }
    put = client.put("/api/v1/review-incentive", headers=store.auth, json=incentive)
    assert put.status_code == 200, put.text
    low = review(client, runtime, store, rating=1, body=ONE_STAR, email="mot@example.com",
        photo_ids=[upload_photo(client, store)],
    )  # fmt: skip
    high = review(client, runtime, store, rating=5, body=FIVE_STAR, email="nam@example.com",
        photo_ids=[upload_photo(client, store)],
    )  # fmt: skip
    plain = review(client, runtime, store, rating=5, body=PLAIN, email="ba@example.com")
    short = review(client, runtime, store, rating=1, body="Tệ.", email="bon@example.com",
        photo_ids=[upload_photo(client, store)],
    )  # fmt: skip
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    for review_id in (low, high, plain, short):
        shown = client.get(f"/api/v1/reviews/{review_id}", headers=store.auth).json()
        assert shown["status"] == "published", shown
    earned = rewards(runtime)
    assert set(earned) == {low, high}  # no photo, or too short: nothing
    assert (earned[low].kind, earned[low].value) == (earned[high].kind, earned[high].value)
    assert (earned[low].kind, earned[low].value) == ("coupon_fixed", Decimal("20000.00"))
    with runtime.transaction(readonly=True) as session:
        coupons = {
            c.code: c for c in session.exec(select(Coupon).where(Coupon.purpose == "review"))
        }
        assert set(coupons) == {earned[low].coupon_code, earned[high].coupon_code}
        assert {(c.kind, c.value) for c in coupons.values()} == {
            ("coupon_fixed", Decimal("20000.00"))
        }
        owners = {
            session.get(Advocate, c.advocate_id).email  # type: ignore[union-attr]
            for c in coupons.values()
        }
        assert owners == {"mot@example.com", "nam@example.com"}
        # The reviewer finds the coupon in their wallet (the advocate portal).
        owner = earned[low].advocate_id
        codes = [
            c["code"] for c in wallet.advocate_wallet(session=session, advocate_id=owner).coupons
        ]
        assert codes == [earned[low].coupon_code]
    # Rewarded reviews are marked, in the widget's read and the store's API; the others not.
    read = client.get(
        f"/embed/v1/{store.publishable_key}/products/ao-thun/reviews", headers={"Origin": ORIGIN}
    ).json()
    marked = {r["id"]: r["incentivized"] for r in read["reviews"]}
    assert marked == {low: True, high: True, plain: False, short: False}
    # Unpublished and published again, the 1-star review is not rewarded a second time.
    client.patch(
        f"/api/v1/reviews/{low}",
        headers=store.auth,
        json={"status": "unpublished", "reason": "spam"},
    )
    again = client.patch(f"/api/v1/reviews/{low}", headers=store.auth, json={"status": "published"})
    assert again.status_code == 200, again.text
    assert set(rewards(runtime)) == {low, high}
    assert client.get(f"/api/v1/reviews/{low}", headers=store.auth).json()["incentivized"] is True


def test_points_are_credited_to_the_ledger_and_an_inactive_incentive_gives_nothing(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    add_products(runtime, store)
    rules = {"active": False, "kind": "points", "value": "100", "min_chars": 20}
    client.put("/api/v1/review-incentive", headers=store.auth, json=rules)
    off = review(client, runtime, store, rating=1, body=ONE_STAR, email="mot@example.com",
        photo_ids=[upload_photo(client, store)],
    )  # fmt: skip
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert rewards(runtime) == {}
    client.put("/api/v1/review-incentive", headers=store.auth, json={**rules, "active": True})
    on = review(client, runtime, store, rating=1, body=COFFEE, email="hai@example.com", product_id="ca-phe",
        photo_ids=[upload_photo(client, store)],
    )  # fmt: skip
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert set(rewards(runtime)) == {on} and off not in rewards(runtime)
    with runtime.transaction(readonly=True) as session:
        [entry] = session.exec(select(LedgerEntry)).all()
        assert (entry.unit, entry.amount, entry.kind) == ("points", Decimal("100.00"), "reward")
    got = client.get("/api/v1/review-incentive", headers=store.auth)
    assert got.json()["kind"] == "points" and got.json()["active"] is True
    bad = client.put(
        "/api/v1/review-incentive", headers=store.auth, json={**rules, "min_rating": 4}
    )
    assert bad.status_code == 422  # there is no rating rule to set
    assert (
        client.put(
            "/api/v1/review-incentive",
            headers=store.auth,
            json={**rules, "kind": "coupon_percent", "value": "150"},
        ).status_code
        == 422
    )


def test_a_video_counts_as_media_for_a_one_star_review_as_for_a_five_star_one(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    from tests.reviews.test_videos import mp4, upload, webm

    add_products(runtime, store)
    rules = {"active": True, "kind": "points", "value": "50", "min_chars": 50, "needs_media": True}
    assert client.put("/api/v1/review-incentive", headers=store.auth, json=rules).status_code == 200
    clips = [
        upload(client, store, mp4(9), "video/mp4"),
        upload(client, store, webm(4), "video/webm"),
    ]
    low = review(
        client, runtime, store, rating=1, body=ONE_STAR, email="mot@example.com",
        video_id=clips[0].json()["id"],  # type: ignore[attr-defined]
    )  # fmt: skip
    high = review(
        client, runtime, store, rating=5, body=FIVE_STAR, email="nam@example.com",
        video_id=clips[1].json()["id"],  # type: ignore[attr-defined]
    )  # fmt: skip
    plain = review(client, runtime, store, rating=5, body=PLAIN, email="ba@example.com")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    earned = rewards(runtime)
    assert set(earned) == {low, high} and plain not in earned
    assert (earned[low].kind, earned[low].value) == (earned[high].kind, earned[high].value)
