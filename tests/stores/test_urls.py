"""A store's URLs in any script: saved in ASCII, so the referral redirect and the widgets'
origin check work for Vietnamese paths and internationalised domain names."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from starlette.testclient import TestClient

from rcommerce import db
from rcommerce.settings import Settings
from tests.support.referrals import BROWSER, enrol
from tests.support.runtime import TEST_SECRET, StoreKeys

IDN = "https://xn--ca-hng-lta4562d.vn"  # https://cửa-hàng.vn


def test_a_vietnamese_landing_url_redirects(client: TestClient, store: StoreKeys) -> None:
    response = client.patch(
        "/api/v1/store",
        headers=store.auth,
        json={"landing_url": "https://shop.example/khuyến-mãi?utm=zalo"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["landing_url"] == "https://shop.example/khuy%E1%BA%BFn-m%C3%A3i?utm=zalo"
    code = enrol(client, store)["referral_code"]
    followed = client.get(f"/r/{code}", headers={"User-Agent": BROWSER}, follow_redirects=False)
    assert followed.status_code == 302
    assert followed.headers["location"].startswith(
        "https://shop.example/khuy%E1%BA%BFn-m%C3%A3i?utm=zalo&rc_ref="
    )


def test_an_idn_origin_is_kept_as_browsers_send_it(client: TestClient, store: StoreKeys) -> None:
    response = client.patch(
        "/api/v1/store", headers=store.auth, json={"allowed_origins": ["https://Cửa-Hàng.vn/"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["allowed_origins"] == [IDN]
    code = enrol(client, store)["referral_code"]
    followed = client.get(f"/r/{code}", headers={"User-Agent": BROWSER}, follow_redirects=False)
    assert followed.status_code == 302
    assert followed.headers["location"].startswith(IDN + "?rc_ref=")
    widget = client.get(f"/embed/v1/{store.publishable_key}/testimonials", headers={"Origin": IDN})
    assert widget.status_code == 200
    assert widget.headers["access-control-allow-origin"] == IDN


def test_a_bad_landing_url_is_refused(client: TestClient, store: StoreKeys) -> None:
    for url in ("https://exa mple.com/", "https://xn--zz.example/"):
        response = client.patch("/api/v1/store", headers=store.auth, json={"landing_url": url})
        assert response.status_code == 422, url


def test_stored_urls_are_migrated_to_ascii(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'old.db'}", secret_key=TEST_SECRET, data_dir=tmp_path
    )
    db.migrate(settings, "0006_reward_email_job")
    engine = db.make_engine(settings)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO store (name, secret_key_hash, secret_key_hint, secret_key_rotated_at,"
                " publishable_key, allowed_origins, landing_url, currency, locale, timezone,"
                " webhook_url, webhook_secret_version, review_request_delay_days, created_at)"
                " VALUES ('Shop', 'h', 'sk_live_x', '2026-01-01', 'pk_live_x', :origins,"
                " :landing, 'VND', 'vi', 'Asia/Ho_Chi_Minh', 'https://exa mple.com/', 1, 7,"
                " '2026-01-01')"
            ),
            {
                "origins": '["https://Cửa-Hàng.vn", "https://shop.example", "bad origin"]',
                "landing": "https://shop.example/khuyến-mãi",
            },
        )
    db.migrate(settings)
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT allowed_origins, landing_url, webhook_url FROM store")
        ).one()
    engine.dispose()
    assert row[0] == f'["{IDN}", "https://shop.example"]'
    assert row[1] == "https://shop.example/khuy%E1%BA%BFn-m%C3%A3i"
    assert row[2] is None
