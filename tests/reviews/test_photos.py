"""Review photos: checked by content, stripped of EXIF, kept only with their row, swept if lost."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import ReviewPhoto
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    Submit,
    jpeg_with_exif,
    photo_files,
    published,
    reviews_of,
    upload_photo,
)
from tests.support.runtime import StoreKeys


def test_photos_are_checked_by_content_and_lose_their_exif(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit, tmp_path: Path
) -> None:
    pk = shop.publishable_key
    url = f"/embed/v1/{pk}/photos"
    raw = jpeg_with_exif()
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
    published(runtime, submit, photo_ids=[photo_id])
    [review] = reviews_of(client, pk)["reviews"]
    assert review["photos"][0]["id"] == photo_id
    served = client.get(f"/media/reviews/{photo_id}.jpg")
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    # A photo cannot be attached twice.
    reused = submit(photo_ids=[photo_id], email="other@example.com")
    assert reused.status_code == 422


def test_a_photo_whose_transaction_fails_leaves_no_file(runtime: Runtime, shop: StoreKeys) -> None:
    from rcommerce.reviews import photos
    from rcommerce.stores.models import Store

    jpeg, width, height = photos.process(runtime.settings, jpeg_with_exif())
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
    assert photo_files(runtime, shop) == []
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(ReviewPhoto)).all() == []


def test_an_accepted_photo_is_on_disk_and_served(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    photo_id = upload_photo(client, shop)
    assert photo_files(runtime, shop) == [f"{photo_id}.jpg"]  # no temporary file is left over
    published(runtime, submit, photo_ids=[photo_id])
    served = client.get(f"/media/reviews/{photo_id}.jpg")
    assert served.status_code == 200
    folder = runtime.settings.media_path / "reviews" / str(shop.store_id)
    assert served.content == (folder / f"{photo_id}.jpg").read_bytes()
    assert Image.open(io.BytesIO(served.content)).size == (64, 48)


def test_the_file_sweep_deletes_old_files_that_no_photo_names(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    """A process that stops between writing a photo's file and committing its row leaves a
    file (and perhaps a .part file) that nothing names; the daily sweep deletes those once
    they are a day old, and never a file a row names or one being written now."""
    import os
    from datetime import timedelta

    from rcommerce.reviews import photos

    kept = upload_photo(client, shop)
    published(runtime, submit, photo_ids=[kept])
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
    assert photo_files(runtime, shop) == sorted([f"{kept}.jpg", "young.jpg"])
    assert list(other.iterdir()) == []
    assert client.get(f"/media/reviews/{kept}.jpg").status_code == 200
