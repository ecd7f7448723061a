"""CSV import (Judge.me, Yotpo, generic) and export, and the CLI's sentiment rescore."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.cli import main
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.reviews import reviews_of
from tests.support.runtime import StoreKeys

DATA = Path(__file__).parent / "data"
CSV = {"Content-Type": "text/csv"}


def _import(client: TestClient, keys: StoreKeys, fmt: str, name: str) -> dict[str, object]:
    response = client.post(
        "/api/v1/reviews/import",
        params={"format": fmt},
        content=(DATA / name).read_bytes(),
        headers={**keys.auth, **CSV},
    )
    assert response.status_code == 200, response.text
    report: dict[str, object] = response.json()
    return report


def test_judgeme_import_keeps_valid_rows_and_names_the_failed_ones(
    client: TestClient, runtime: Runtime, shop: StoreKeys
) -> None:
    report = _import(client, shop, "judgeme", "judgeme.csv")
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
    again = _import(client, shop, "judgeme", "judgeme.csv")
    assert again["imported"] == 0 and again["unchanged"] == 2


def test_yotpo_import_maps_status_verification_and_comments(
    client: TestClient, runtime: Runtime, shop: StoreKeys
) -> None:
    report = _import(client, shop, "yotpo", "yotpo.csv")
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
    _import(client, shop, "yotpo", "yotpo.csv")
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


def test_sentiment_rescore_cli_fills_missing_scores(
    client: TestClient, runtime: Runtime, shop: StoreKeys, settings: Settings
) -> None:
    _import(client, shop, "yotpo", "yotpo.csv")  # scoring jobs queued, not run
    with runtime.transaction(readonly=True) as session:
        assert all(r.scorer_version is None for r in session.exec(select(Review)))
    env = {
        "RCOMMERCE_DATABASE_URL": settings.database_url,
        "RCOMMERCE_SECRET_KEY": settings.secret_key,
        "RCOMMERCE_DATA_DIR": str(settings.data_dir),
    }
    result = CliRunner().invoke(
        main, ["sentiment", "rescore", "--store", str(shop.store_id)], env=env
    )
    assert result.exit_code == 0, result.output
    assert '"reviews": 2' in result.output
    with runtime.transaction(readonly=True) as session:
        assert all(r.scorer_version for r in session.exec(select(Review)))
    summary = reviews_of(client, shop.publishable_key)["summary"]["sentiment"]
    assert summary["unscored"] == 0 and sum(summary.values()) == 2
    assert CliRunner().invoke(main, ["reviews", "--help"]).exit_code == 0
