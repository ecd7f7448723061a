"""CSV import (Judge.me, Yotpo, generic) and export."""

from __future__ import annotations

import csv
import io

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    CSV,
    import_csv,
    reviews_of,
)
from tests.support.runtime import StoreKeys


def test_judgeme_import_keeps_valid_rows_and_names_the_failed_ones(
    client: TestClient, runtime: Runtime, shop: StoreKeys
) -> None:
    report = import_csv(client, shop, "judgeme", "judgeme.csv")
    assert report["imported"] == 2
    failed = {f["row"]: f["errors"] for f in report["failed"]}  # type: ignore[attr-defined]
    assert set(failed) == {4, 5, 6, 7}
    assert any("rating" in e for e in failed[4])
    assert any("body is empty" in e for e in failed[5])
    assert any("e-mail" in e for e in failed[6])
    assert any("catalogue" in e for e in failed[7])
    runtime.dispatcher.drain()  # type: ignore[attr-defined]  # the sentiment jobs
    [review] = reviews_of(client, shop.publishable_key)["reviews"]
    assert review["author"] == "Hoàng Mai" and review["reply"]["body"] == "Cảm ơn chị!"
    assert review["created_at"].startswith("2026-03-02")
    with runtime.transaction(readonly=True) as session:
        rows = session.exec(select(Review)).all()
    assert all(r.source == "import" and r.scorer_version for r in rows)
    # Importing the same file again changes nothing.
    again = import_csv(client, shop, "judgeme", "judgeme.csv")
    assert again["imported"] == 0 and again["unchanged"] == 2


def test_yotpo_import_maps_status_verification_and_comments(
    client: TestClient, runtime: Runtime, shop: StoreKeys
) -> None:
    report = import_csv(client, shop, "yotpo", "yotpo.csv")
    assert report["imported"] == 2
    failed = {f["row"]: f["errors"] for f in report["failed"]}  # type: ignore[attr-defined]
    assert set(failed) == {4, 5}
    assert any("rating" in e for e in failed[4]) and any("future" in e for e in failed[5])
    page = reviews_of(client, shop.publishable_key, sort="highest")
    assert [r["verified"] for r in page["reviews"]] == [True, False]
    assert page["reviews"][1]["reply"]["body"].startswith("Sorry David")
    assert page["summary"]["count"] == 2 and page["summary"]["average"] == 3.5


def test_import_refuses_what_it_cannot_read(client: TestClient, shop: StoreKeys) -> None:
    url = "/api/v1/reviews/import"
    assert client.post(url, content=b"a,b\n1,2\n", headers={**shop.auth, **CSV}).status_code == 422
    assert client.post(url, content=b"\xff\xfe", headers={**shop.auth, **CSV}).status_code == 422
    wrong_type = client.post(
        url, content=b"rating\n5\n", headers={**shop.auth, "Content-Type": "application/json"}
    )
    assert wrong_type.status_code == 415
    assert (
        client.post(
            url, params={"format": "trustpilot"}, content=b"x", headers={**shop.auth, **CSV}
        ).status_code
        == 422
    )
    assert client.post(url, content=b"rating\n5\n", headers=CSV).status_code == 401


def test_export_round_trips_through_the_generic_import(
    client: TestClient, runtime: Runtime, shop: StoreKeys, make_store: object
) -> None:
    import_csv(client, shop, "yotpo", "yotpo.csv")
    exported = client.get("/api/v1/reviews/export", headers=shop.auth)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert {r["name"] for r in rows} == {"Emily C.", "David N."}
    assert all("@" in r["email"] for r in rows)

    other = make_store(name="Second shop")  # type: ignore[operator]
    from tests.support.reviews import add_products

    add_products(runtime, other)
    response = client.post(
        "/api/v1/reviews/import",
        params={"format": "generic"},
        content=exported.content,
        headers={**other.auth, **CSV},
    )
    assert response.json()["imported"] == 2 and response.json()["failed"] == []


def test_export_defuses_spreadsheet_formulas(client: TestClient, shop: StoreKeys) -> None:
    body = 'product_id,rating,body,name\nao-thun,4,=HYPERLINK("http://evil"),@attacker\n'
    client.post("/api/v1/reviews/import", content=body.encode(), headers={**shop.auth, **CSV})
    text = client.get("/api/v1/reviews/export", headers=shop.auth).text
    assert "'=HYPERLINK" in text and "'@attacker" in text
