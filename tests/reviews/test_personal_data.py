"""A person's data in reviews: export and erasure, photos included."""

from __future__ import annotations

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import ReviewPhoto
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    Submit,
    published,
    reviews_of,
    upload_photo,
)
from tests.support.runtime import StoreKeys


def test_a_persons_data_export_and_erasure(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    published(runtime, submit)
    published(runtime, submit, product_id="ca-phe", body="Cà phê thơm, đậm vị.")
    published(runtime, submit, email="keep@example.com", body="Giao nhanh, đóng gói kỹ.")
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


def test_erasing_a_photo_removes_its_file_only_when_the_erasure_commits(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    from rcommerce.reviews import personal_data
    from rcommerce.stores.models import Store

    published(runtime, submit, photo_ids=[upload_photo(client, shop)])
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
