"""Advocates: referral codes and the canonical e-mail behind self-referral checks."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from rcommerce import db
from rcommerce.advocates import service
from rcommerce.settings import Settings
from tests.support.runtime import TEST_SECRET

LOOK_ALIKES = set("0O1IL2Z5S8B")


def test_codes_are_short_and_have_no_look_alikes() -> None:
    codes = {service.new_referral_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 7 and not LOOK_ALIKES & set(code)
    assert service.clean_code(" ab-c d ") == "ABCD"


def test_canonical_email_for_self_referral() -> None:
    assert service.canonical_email("A.Li+shop@GoogleMail.com") == "ali@gmail.com"
    assert service.canonical_email("a.li+x@example.com") == "a.li@example.com"


def test_canonical_email_folds_look_alikes() -> None:
    lan = "lan@gmail.com"
    for address in (
        "ｌａｎ@gmail.com",  # fullwidth
        "ｌａｎ＠ｇｍａｉｌ．ｃｏｍ",
        "lаn@gmail.com",  # Cyrillic а
        "lan@gmаil.com",  # ... in the domain
        "lân@gmail.com",  # a combining mark
        "la\u0301n@gmail.com",
        "l\u0336an@gmail.com",  # a strike-through
        "Ⅼan@GMAIL.com",  # Roman numeral fifty
        "ⅼ.a.n+shop@googlemail.com",
    ):
        assert service.canonical_email(address) == lan, address
    assert service.canonical_email("ΙΟΝ@gmail.com") == "ion@gmail.com"  # Greek capitals
    assert service.canonical_email("Іan@gmail.com") == "ian@gmail.com"  # Cyrillic І
    assert service.canonical_email("ĐỨC@gmail.com") == "duc@gmail.com"
    # Plain ASCII look-alikes are different mailboxes, and stay so.
    assert service.canonical_email("rnarco@gmail.com") != service.canonical_email("marco@gmail.com")


def test_canonical_email_folds_yahoo_disposable_addresses() -> None:
    assert service.canonical_email("lan-shopee@yahoo.com") == "lan@yahoo.com"
    assert service.canonical_email("Lan-Tiki@yahoo.com.vn") == "lan@yahoo.com.vn"
    assert service.canonical_email("lan-x@ymail.com") == "lan@ymail.com"
    assert service.canonical_email("lan-x@example.com") == "lan-x@example.com"  # not Yahoo


def test_stored_canonical_emails_are_folded_by_the_migration(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'old.db'}", secret_key=TEST_SECRET, data_dir=tmp_path
    )
    db.migrate(settings, "0014_friend_coupon_per_advocate")
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
        for i, email in enumerate(("ｌａｎ-tiki@yahoo.com", "an@example.com"), start=1):
            conn.execute(
                text(
                    "INSERT INTO advocate (id, store_id, email, email_canonical, name,"
                    " referral_code, status, source, created_at) VALUES (:id, 1, :email,"
                    " :email, '', :code, 'active', 'api', '2026-01-01')"
                ),
                {"id": i, "email": email, "code": f"CODE{i}"},
            )
    db.migrate(settings)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT email_canonical FROM advocate ORDER BY id")).all()
    engine.dispose()
    assert [r[0] for r in rows] == ["lan@yahoo.com", "an@example.com"]
