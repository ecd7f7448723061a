"""No raw code on any dashboard page: every status, reason, flag, reward kind, channel, sentiment
and aspect of the code base has Vietnamese and English words, and every page shows them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from starlette.testclient import TestClient

from rcommerce.dashboard.labels import LABELS, label
from rcommerce.referrals.clicks import CHANNELS
from rcommerce.referrals.models import RewardKind
from rcommerce.reports.events import SENTIMENTS
from rcommerce.reviews.rules import PENDING_FLAGS, REJECT_REASONS
from rcommerce.runtime import Runtime
from rcommerce.sentiment.aspects import ASPECTS
from tests.support.dashboard import ManagerLogin, log_in
from tests.support.every_kind import (
    CONVERSION_STATUSES,
    REJECTED_FLAGS,
    REVIEW_STATUSES,
    REWARD_STATUSES,
    seed_every_kind,
)
from tests.support.page_text import problems

ATTRIBUTION = Path(__file__).resolve().parents[2] / "rcommerce" / "referrals" / "attribution.py"


def _reasons_in_the_code() -> set[str]:
    """Every reason the attribution rules can give (the advocate_* ones per advocate status)."""
    source = ATTRIBUTION.read_text()
    found = set(re.findall(r'reasons\.append\("([a-z_]+)"\)', source))
    found |= {f"advocate_{s}" for s in ("blocked", "opted_out", "erased")}
    return found


def test_every_code_of_the_code_base_has_words_in_both_languages() -> None:
    expected = {
        "reject_reason": set(REJECT_REASONS) | {"other"},
        "flag": set(PENDING_FLAGS) | set(REJECTED_FLAGS),
        "channel": set(CHANNELS),
        "aspect": set(ASPECTS),
        "sentiment": set(SENTIMENTS),
        "reward_kind": set(get_args(RewardKind)),
        "reason": _reasons_in_the_code(),
        "conversion_status": set(CONVERSION_STATUSES),
        "reward_status": set(REWARD_STATUSES),
        "review_status": set(REVIEW_STATUSES),
        "advocate_status": {"active", "blocked", "opted_out", "erased"},
        "ledger_kind": {"reward", "clawback", "redemption"},
    }
    for group, codes in expected.items():
        missing = codes - set(LABELS[group])
        assert not missing, f"{group}: no words for {sorted(missing)}"
        for code in codes:
            vi, en = LABELS[group][code]
            assert vi and en and "_" not in vi + en, (group, code)
            assert label("vi", group, code) == vi and label("en", group, code) == en


def test_a_code_nobody_labelled_yet_is_shown_as_words() -> None:
    assert label("vi", "reason", "brand_new_rule") == "Brand new rule"
    assert label("en", "nowhere", "x") == "X"


def test_every_page_shows_words_not_codes(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    with runtime.transaction() as session:
        seeded = seed_every_kind(session, manager.store.store_id, runtime.now())
    log_in(client, manager)
    paths = [
        "/dashboard/",
        *(f"/dashboard/reviews?status={s}" for s in REVIEW_STATUSES),
        "/dashboard/testimonials",
        "/dashboard/advocates",
        "/dashboard/advocates?sort=balance&dir=asc",
        f"/dashboard/advocates/{seeded.advocate_id}",
        "/dashboard/conversions",
        "/dashboard/campaigns",
        "/dashboard/reports",
        "/dashboard/reports?group=week",
        "/dashboard/segments",
        "/dashboard/catalogue",
        "/dashboard/settings",
        "/dashboard/keys",
        "/dashboard/password",
        "/dashboard/advocates/999999",
        "/dashboard/conversions?before=x",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404, 422), path
        assert problems(response.text) == [], path
    held = client.get("/dashboard/conversions").text
    assert "Tự giới thiệu (cùng e-mail)" in held and "E-mail dùng một lần" in held
    assert "Khách 1 · khach1@example.com" in held  # the buyer, beside the advocate
    detail = client.get(f"/dashboard/advocates/{seeded.advocate_id}").text
    for words in ("Đã thu hồi", "Mã giảm phần trăm", "Sao chép liên kết", "Thu hồi (đơn hoàn)"):
        assert words in detail, words
    taken_down = client.get("/dashboard/reviews?status=unpublished").text
    assert "Có dữ liệu cá nhân" in taken_down  # a flag
    assert "Chứa dữ liệu cá nhân" in taken_down  # a reject reason in the list
    assert "Chưa chấm điểm" in client.get("/dashboard/reports").text


def test_the_checker_catches_codes_and_developer_messages() -> None:
    assert problems("<p>Lý do: self_referral_email</p>") == ["code self_referral_email"]
    assert problems('<span title="store_credit">x</span>') == ["code store_credit"]
    assert problems("<pre>pk_live_abc</pre><code>sk_x</code>") == []
    assert problems("<p>advocate_reward_value: Input should be greater than or equal to 0</p>")
