"""Manager actions, shoppers' votes and reports, testimonials, reads, markup, photos and privacy."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import ReviewPhoto
from rcommerce.runtime import Runtime
from rcommerce.web import content_etag
from tests.support.reviews import ORIGIN, Submit, reviews_of
from tests.support.runtime import StoreKeys


def _published(runtime: Runtime, submit: Submit, **fields: Any) -> int:
    response = submit(**fields)
    assert response.status_code == 202, response.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review_id: int = response.json()["id"]
    return review_id


def test_manager_cannot_remove_a_review_for_being_negative(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    review_id = _published(runtime, submit, rating=1, body="Áo co rút sau lần giặt đầu tiên.")
    url = f"/api/v1/reviews/{review_id}"
    for body in (
        {"status": "rejected", "reason": "negative"},
        {"status": "unpublished", "reason": "bad for sales"},
        {"status": "rejected"},
    ):
        response = client.patch(url, headers=shop.auth, json=body)
        assert response.status_code == 422, body
    assert (
        "FTC"
        in client.patch(
            url, headers=shop.auth, json={"status": "rejected", "reason": "negative"}
        ).json()["error"]["message"]
    )
    assert client.patch(url, headers=shop.auth, json={"status": "pending"}).status_code == 422
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 1

    out = client.patch(
        url,
        headers=shop.auth,
        json={"status": "unpublished", "reason": "personal_data", "note": "phone number"},
    )
    assert out.status_code == 200
    assert out.json()["status"] == "unpublished" and out.json()["reason_code"] == "personal_data"
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 0
    trail = client.get(url, headers=shop.auth).json()["decisions"]
    assert [(d["to_status"], d["actor"], d["reason_code"]) for d in trail] == [
        ("published", "system:moderation", None),
        ("unpublished", "manager:api", "personal_data"),
    ]
    listed = client.get("/api/v1/reviews", headers=shop.auth, params={"status": "unpublished"})
    assert [r["id"] for r in listed.json()["reviews"]] == [review_id]
    assert listed.json()["reviews"][0]["email"] == "lan@example.com"
    assert client.patch(url, headers=shop.auth, json={"status": "published"}).status_code == 200
    assert reviews_of(client, shop.publishable_key)["summary"]["count"] == 1


def test_reply_votes_and_reports(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    review_id = _published(runtime, submit)
    reply = client.put(
        f"/api/v1/reviews/{review_id}/reply",
        headers=shop.auth,
        json={"body": "Cảm ơn chị Lan <3"},
    )
    assert reply.status_code == 200
    [shown] = reviews_of(client, shop.publishable_key)["reviews"]
    assert shown["reply"]["body"] == "Cảm ơn chị Lan <3"

    pk = shop.publishable_key
    vote_url = f"/embed/v1/{pk}/reviews/{review_id}/votes"
    alice = {"Origin": ORIGIN, "X-RC-Visitor": "visitor-alice"}
    bob = {"Origin": ORIGIN, "X-RC-Visitor": "visitor-bob"}
    assert client.post(vote_url, json={"helpful": True}, headers=alice).json() == {
        "helpful": 1,
        "not_helpful": 0,
    }
    assert client.post(vote_url, json={"helpful": True}, headers=alice).json() == {
        "helpful": 1,
        "not_helpful": 0,
    }
    assert client.post(vote_url, json={"helpful": False}, headers=bob).json() == {
        "helpful": 1,
        "not_helpful": 1,
    }
    assert client.post(vote_url, json={"helpful": False}, headers=alice).json() == {
        "helpful": 0,
        "not_helpful": 2,
    }
    assert reviews_of(client, pk)["reviews"][0]["not_helpful"] == 2
    assert client.post(vote_url, json={"helpful": "maybe"}, headers=alice).status_code == 422

    report_url = f"/embed/v1/{pk}/reviews/{review_id}/reports"
    for headers in (alice, alice, bob):
        assert client.post(report_url, json={"reason": "fake"}, headers=headers).status_code == 202
    admin = client.get(f"/api/v1/reviews/{review_id}", headers=shop.auth).json()
    assert admin["report_count"] == 2  # one per visitor
    assert admin["status"] == "published"  # reports never hide a review by themselves
    assert client.delete(f"/api/v1/reviews/{review_id}/reply", headers=shop.auth).status_code == 200
    assert reviews_of(client, pk)["reviews"][0]["reply"] is None


def test_testimonials_need_consent_and_approval(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    pk = shop.publishable_key
    url = f"/embed/v1/{pk}/testimonials"
    body = {
        "body": "Shop tư vấn nhiệt tình, giao nhanh, mình đã giới thiệu cho cả nhóm bạn.",
        "name": "Trang",
        "email": "trang@example.com",
        "role": "Chủ quán cà phê",
        "rating": 5,
        "consent": False,
    }
    assert client.post(url, json=body, headers={"Origin": ORIGIN}).status_code == 422
    body["consent"] = True
    created = client.post(url, json=body, headers={"Origin": ORIGIN})
    assert created.status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert client.get(url, headers={"Origin": ORIGIN}).json() == {"testimonials": []}
    [row] = client.get("/api/v1/testimonials", headers=shop.auth).json()["testimonials"]
    assert row["status"] == "pending" and row["sentiment"]["scorer_version"]
    approve = client.patch(
        f"/api/v1/testimonials/{row['id']}",
        headers=shop.auth,
        json={"status": "published", "position": 2},
    )
    assert approve.status_code == 200

    # A review becomes a testimonial only with its author's consent.
    without = _published(runtime, submit, email="no@example.com")
    assert (
        client.post(f"/api/v1/reviews/{without}/testimonial", headers=shop.auth).status_code == 403
    )
    with_consent = _published(
        runtime,
        submit,
        email="yes@example.com",
        name="Minh",
        testimonial_consent=True,
        body="Áo đẹp, mặc đi làm rất lịch sự, sẽ ủng hộ shop dài dài.",
    )
    featured = client.post(f"/api/v1/reviews/{with_consent}/testimonial", headers=shop.auth)
    assert featured.status_code == 201
    assert (
        client.post(f"/api/v1/reviews/{with_consent}/testimonial", headers=shop.auth).status_code
        == 200
    )
    shown = client.get(url, headers={"Origin": ORIGIN}).json()["testimonials"]
    assert [t["author"] for t in shown] == ["Minh", "Trang"]  # position 0 before position 2
    assert "email" not in shown[0]


def test_sorting_filters_pagination_and_etag(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    texts = [
        (4, "Màu đẹp giống hình, vải dày dặn."),
        (2, "Size nhỏ hơn bảng size, phải đổi lại."),
        (5, "Great shirt, soft cotton and fast delivery."),
        (3, "Tạm được so với giá tiền."),
        (1, "Đường may bị bung sau hai tuần mặc."),
    ]
    for i, (rating, text) in enumerate(texts):
        assert submit(rating=rating, body=text, email=f"u{i}@example.com").status_code == 202
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    pk = shop.publishable_key
    assert [r["rating"] for r in reviews_of(client, pk, sort="highest")["reviews"]] == [
        5,
        4,
        3,
        2,
        1,
    ]
    assert [r["rating"] for r in reviews_of(client, pk, sort="lowest")["reviews"]] == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert [r["rating"] for r in reviews_of(client, pk, rating=2)["reviews"]] == [2]
    assert [r["language"] for r in reviews_of(client, pk, language="en")["reviews"]] == ["en"]
    assert reviews_of(client, pk, verified="true")["reviews"] == []

    seen: list[int] = []
    cursor = None
    for _ in range(3):
        params: dict[str, Any] = {"sort": "highest", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = reviews_of(client, pk, **params)
        seen += [r["rating"] for r in page["reviews"]]
        cursor = page.get("next")
        if cursor is None:
            break
    assert seen == [5, 4, 3, 2, 1]
    bad = client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", params={"cursor": "!!"})
    assert bad.status_code == 422
    assert (
        client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", params={"sort": "x"}).status_code
        == 422
    )

    first = client.get(f"/embed/v1/{pk}/products/ao-thun/reviews", headers={"Origin": ORIGIN})
    etag = first.headers["etag"]
    assert "max-age" in first.headers["cache-control"]
    again = client.get(
        f"/embed/v1/{pk}/products/ao-thun/reviews",
        headers={"Origin": ORIGIN, "If-None-Match": etag},
    )
    assert again.status_code == 304
    # A change invalidates the cache: a new review changes the answer and its ETag. (A sixth
    # review from one address within the hour waits for a human: the velocity rule.)
    sixth = submit(rating=5, body="Mua lần hai vẫn ưng.", email="u9@example.com").json()["id"]
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    held = client.get(f"/api/v1/reviews/{sixth}", headers=shop.auth).json()
    assert held["status"] == "pending" and held["flags"] == ["velocity"]
    approve = client.patch(
        f"/api/v1/reviews/{sixth}", headers=shop.auth, json={"status": "published"}
    )
    assert approve.status_code == 200
    fresh = client.get(
        f"/embed/v1/{pk}/products/ao-thun/reviews",
        headers={"Origin": ORIGIN, "If-None-Match": etag},
    )
    assert fresh.status_code == 200 and fresh.json()["summary"]["count"] == 6
    summary = client.get(
        f"/embed/v1/{pk}/products/ao-thun/summary", headers={"Origin": ORIGIN}
    ).json()
    assert summary["count"] == 6 and summary["average"] == round(20 / 6, 2)
    assert client.get(f"/embed/v1/{pk}/products/nope/summary").status_code == 404


def test_product_jsonld_has_every_field_google_requires(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    pk = shop.publishable_key
    empty = client.get(f"/embed/v1/{pk}/products/ao-thun/jsonld").json()
    assert "aggregateRating" not in empty and "review" not in empty  # no ratings, no stars
    _published(runtime, submit, rating=4, title="Đáng tiền")
    _published(runtime, submit, rating=2, email="b@example.com", body="Màu không giống ảnh.")
    response = client.get(f"/embed/v1/{pk}/products/ao-thun/jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    data = response.json()
    assert data["@context"] == "https://schema.org" and data["@type"] == "Product"
    assert data["name"] == "Áo thun cotton"
    assert data["offers"]["priceCurrency"] == "VND" and data["offers"]["price"] == "189000.00"
    rating = data["aggregateRating"]
    assert rating["@type"] == "AggregateRating"
    assert rating["ratingValue"] == 3 and rating["reviewCount"] == 2
    assert rating["bestRating"] == 5 and rating["worstRating"] == 1
    assert len(data["review"]) == 2
    for review in data["review"]:
        assert review["@type"] == "Review"
        assert review["author"]["@type"] == "Person" and 0 < len(review["author"]["name"]) < 100
        assert review["reviewRating"]["@type"] == "Rating"
        assert 1 <= review["reviewRating"]["ratingValue"] <= 5
        assert review["reviewRating"]["bestRating"] == 5
        assert review["datePublished"][:2] == "20" and review["reviewBody"]
    snippet = client.get(f"/embed/v1/{pk}/products/ao-thun/snippet").text
    assert snippet.startswith('<script type="application/ld+json">')


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {2: (10.0, 45.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_photos_are_checked_by_content_and_lose_their_exif(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit, tmp_path: Path
) -> None:
    pk = shop.publishable_key
    url = f"/embed/v1/{pk}/photos"
    raw = _jpeg_with_exif()
    assert b"SecretCamera" in raw
    fake = client.post(
        url, content=b"<?php echo 1; ?>", headers={"Origin": ORIGIN, "Content-Type": "image/jpeg"}
    )
    assert fake.status_code == 422
    big = client.post(
        url,
        content=b"x" * (runtime.settings.max_upload_bytes + 1),
        headers={"Origin": ORIGIN, "Content-Type": "image/jpeg"},
    )
    assert big.status_code == 413
    uploaded = client.post(
        url, content=raw, headers={"Origin": ORIGIN, "Content-Type": "image/jpeg"}
    )
    assert uploaded.status_code == 201
    photo_id = uploaded.json()["id"]
    with runtime.transaction(readonly=True) as session:
        photo = session.exec(select(ReviewPhoto)).one()
    stored = (
        runtime.settings.media_path / "reviews" / str(shop.store_id) / photo.filename
    ).read_bytes()
    assert b"SecretCamera" not in stored and Image.open(io.BytesIO(stored)).getexif() == {}
    # Not served before its review is published.
    assert client.get(f"/media/reviews/{photo_id}.jpg").status_code == 404
    _published(runtime, submit, photo_ids=[photo_id])
    [review] = reviews_of(client, pk)["reviews"]
    assert review["photos"][0]["id"] == photo_id
    served = client.get(f"/media/reviews/{photo_id}.jpg")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    # A photo cannot be attached twice.
    reused = submit(photo_ids=[photo_id], email="other@example.com")
    assert reused.status_code == 422


def _upload_photo(client: TestClient, keys: StoreKeys) -> str:
    uploaded = client.post(
        f"/embed/v1/{keys.publishable_key}/photos",
        content=_jpeg_with_exif(),
        headers={"Origin": ORIGIN, "Content-Type": "image/jpeg"},
    )
    assert uploaded.status_code == 201, uploaded.text
    photo_id: str = uploaded.json()["id"]
    return photo_id


def _files(runtime: Runtime, keys: StoreKeys) -> list[str]:
    folder = runtime.settings.media_path / "reviews" / str(keys.store_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_photo_whose_transaction_fails_leaves_no_file(runtime: Runtime, shop: StoreKeys) -> None:
    from rcommerce.reviews import photos
    from rcommerce.stores.models import Store

    jpeg, width, height = photos.process(runtime.settings, _jpeg_with_exif())
    written: list[bool] = []
    with pytest.raises(RuntimeError), runtime.transaction() as session:
        store = session.get(Store, shop.store_id)
        assert store is not None
        photo = photos.store_photo(
            session=session,
            settings=runtime.settings,
            store=store,
            jpeg=jpeg,
            width=width,
            height=height,
            ip_hash=None,
            now=runtime.now(),
        )
        session.flush()
        written.append(photos.photo_path(runtime.settings, photo).read_bytes() == jpeg)
        raise RuntimeError("a later step of the same transaction fails")
    assert written == [True]  # the file was there while the row was pending
    assert _files(runtime, shop) == []
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(ReviewPhoto)).all() == []


def test_an_accepted_photo_is_on_disk_and_served(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    photo_id = _upload_photo(client, shop)
    assert _files(runtime, shop) == [f"{photo_id}.jpg"]  # no temporary file is left over
    _published(runtime, submit, photo_ids=[photo_id])
    served = client.get(f"/media/reviews/{photo_id}.jpg")
    assert served.status_code == 200
    folder = runtime.settings.media_path / "reviews" / str(shop.store_id)
    assert served.content == (folder / f"{photo_id}.jpg").read_bytes()
    assert Image.open(io.BytesIO(served.content)).size == (64, 48)


def test_a_persons_data_export_and_erasure(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    _published(runtime, submit)
    _published(runtime, submit, product_id="ca-phe", body="Cà phê thơm, đậm vị.")
    _published(runtime, submit, email="keep@example.com", body="Giao nhanh, đóng gói kỹ.")
    export = client.post(
        "/api/v1/reviews/privacy/export", headers=shop.auth, json={"email": "LAN@example.com"}
    )
    assert export.status_code == 200
    assert len(export.json()["reviews"]) == 2
    erased = client.post(
        "/api/v1/reviews/privacy/erase", headers=shop.auth, json={"email": "lan@example.com"}
    )
    assert erased.json() == {"reviews": 2, "testimonials": 0, "review_requests": 0}
    page = reviews_of(client, shop.publishable_key)
    assert page["summary"]["count"] == 1 and len(page["reviews"]) == 1
    assert reviews_of(client, shop.publishable_key, "ca-phe")["summary"]["count"] == 0


def test_a_forged_cursor_is_a_422_not_a_500(client: TestClient, shop: StoreKeys) -> None:
    """A cursor is opaque but anyone can write one: every malformed value is the shopper's
    mistake (422), including a time with no zone, which the database layer refuses."""
    url = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    forged = [
        '["2026-01-01T00:00:00", 7]',  # newest: no time zone
        '["2026-01-01T00:00:00+00:00", "7"]',  # id as text
        '[true, "2026-01-01T00:00:00+00:00", 7]',  # highest: a boolean rating
        "{}",
    ]
    for raw in forged:
        cursor = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        params = {"cursor": cursor, "sort": "highest" if raw.startswith("[true") else "newest"}
        response = client.get(url, params=params, headers={"Origin": ORIGIN})
        assert response.status_code == 422, (raw, response.text)
        assert response.json()["error"]["code"] == "invalid"


def test_a_widget_read_revalidates_with_a_weak_or_listed_etag(
    client: TestClient, shop: StoreKeys
) -> None:
    """A proxy that compresses the answer (nginx gzip) weakens its ETag to W/"..."; browsers
    then send that back, and a cache may send several. Both still get a 304."""
    url = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    first = client.get(url, headers={"Origin": ORIGIN})
    etag = first.headers["etag"]
    assert etag == content_etag(first.content)  # the embed config's scheme, too
    for header in (f"W/{etag}", f'"stale", {etag}'):
        again = client.get(url, headers={"Origin": ORIGIN, "If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"Origin": ORIGIN, "If-None-Match": '"x"'}).status_code == 200


def test_erasing_a_photo_removes_its_file_only_when_the_erasure_commits(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    from rcommerce.reviews import personal_data
    from rcommerce.stores.models import Store

    _published(runtime, submit, photo_ids=[_upload_photo(client, shop)])
    with runtime.transaction(readonly=True) as session:
        photo = session.exec(select(ReviewPhoto)).one()
    path = runtime.settings.media_path / "reviews" / str(shop.store_id) / photo.filename
    assert path.exists()
    with pytest.raises(RuntimeError), runtime.transaction() as session:
        store = session.get(Store, shop.store_id)
        assert store is not None
        personal_data.person_erase(
            session=session, settings=runtime.settings, store=store, email="lan@example.com"
        )
        raise RuntimeError("the erasure's transaction fails")
    assert path.exists()  # rolled back: the row still points at an existing file
    erased = client.post(
        "/api/v1/reviews/privacy/erase", headers=shop.auth, json={"email": "lan@example.com"}
    )
    assert erased.json()["reviews"] == 1
    assert not path.exists()


def test_the_file_sweep_deletes_old_files_that_no_photo_names(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    """A process that stops between writing a photo's file and committing its row leaves a
    file (and perhaps a .part file) that nothing names; the daily sweep deletes those once
    they are a day old, and never a file a row names or one being written now."""
    import os
    from datetime import timedelta

    from rcommerce.reviews import photos

    kept = _upload_photo(client, shop)
    _published(runtime, submit, photo_ids=[kept])
    folder = runtime.settings.media_path / "reviews" / str(shop.store_id)
    old = (runtime.now() - timedelta(days=2)).timestamp()
    for name in ("lost.jpg", "lost.jpg.part"):
        (folder / name).write_bytes(b"left by a crash")
        os.utime(folder / name, (old, old))
    os.utime(folder / f"{kept}.jpg", (old, old))
    (folder / "young.jpg").write_bytes(b"a save in progress")
    other = runtime.settings.media_path / "reviews" / str(shop.store_id + 1000)
    other.mkdir(parents=True)
    (other / f"{kept}.jpg").write_bytes(b"same name, another store, no row there")
    os.utime(other / f"{kept}.jpg", (old, old))

    with runtime.transaction(readonly=True) as session:
        deleted = photos.sweep_files(session, runtime.settings, runtime.now() - timedelta(days=1))
    assert deleted == 3
    assert _files(runtime, shop) == sorted([f"{kept}.jpg", "young.jpg"])
    assert list(other.iterdir()) == []
    assert client.get(f"/media/reviews/{kept}.jpg").status_code == 200
