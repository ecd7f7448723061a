"""Dashboard forms: errors translated and shown next to their field, the typed values kept,
nothing saved; campaigns refuse negative values and percentages over 100."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, ValidationError
from starlette.testclient import TestClient

from rcommerce.dashboard import forms
from rcommerce.referrals.models import Campaign
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.dashboard import ManagerLogin, log_in
from tests.support.page_text import problems

CAMPAIGN = {
    "name": "Hè 2026",
    "active": "on",
    "advocate_reward_kind": "store_credit",
    "advocate_reward_value": "50000",
    "friend_reward_kind": "coupon_percent",
    "friend_reward_value": "10",
    "cap_period_days": "30",
    "attribution_window_days": "30",
    "hold_days": "14",
    "velocity_limit": "5",
}


def _field_error(html: str, field: str) -> str:
    found = re.search(
        rf'name="{field}"[^>]*aria-invalid="true"[^>]*>.*?<span class="field-error"[^>]*>([^<]+)</span>',
        html,
        re.S,
    )
    assert found is not None, f"no error next to {field}"
    return found.group(1)


def test_a_campaign_refuses_negatives_and_percentages_over_100_in_words(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    negative = client.post(
        "/dashboard/campaigns",
        data={**CAMPAIGN, "csrf": token, "advocate_reward_value": "-5000", "hold_days": "abc"},
    )
    assert negative.status_code == 422
    assert _field_error(negative.text, "advocate_reward_value") == "Không được là số âm."
    assert _field_error(negative.text, "hold_days") == "Hãy nhập một số nguyên, ví dụ 30."
    assert 'value="-5000"' in negative.text and 'value="Hè 2026"' in negative.text
    assert problems(negative.text) == []
    over = client.post(
        "/dashboard/campaigns",
        data={**CAMPAIGN, "csrf": token, "friend_reward_value": "150"},
    )
    assert over.status_code == 422
    assert _field_error(over.text, "friend_reward_value") == "Phần trăm không được vượt quá 100."
    client.post("/dashboard/locale", data={"csrf": token, "locale": "en", "back": "/dashboard/"})
    english = client.post(
        "/dashboard/campaigns",
        data={
            **CAMPAIGN,
            "csrf": token,
            "advocate_reward_kind": "coupon_percent",
            "advocate_reward_value": "120",
            "attribution_window_days": "400",
        },
    )
    assert (
        _field_error(english.text, "advocate_reward_value") == "A percentage cannot be above 100."
    )
    assert _field_error(english.text, "attribution_window_days") == "Must be 90 or less."
    assert problems(english.text) == []
    with runtime.transaction(readonly=True) as session:
        names = [c.name for c in session.exec(Campaign.__table__.select()).all()]  # type: ignore[attr-defined]
        assert "Hè 2026" not in names
    saved = client.post(
        "/dashboard/campaigns", data={**CAMPAIGN, "csrf": token}, follow_redirects=False
    )
    assert saved.status_code == 303


def test_settings_errors_are_translated_next_to_their_field(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    response = client.post(
        "/dashboard/settings",
        data={
            "csrf": token,
            "name": "Shop mới",
            "allowed_origins": "https://shop.example/path",
            "landing_url": "ftp://nope",
            "review_request_delay_days": "200",
            "locale": "vi",
        },
    )
    assert response.status_code == 422
    assert "https://shop.example/path không phải tên miền" in _field_error(
        response.text, "allowed_origins"
    )
    assert _field_error(response.text, "landing_url").startswith("Hãy nhập một địa chỉ")
    assert _field_error(response.text, "review_request_delay_days") == "Tối đa là 90."
    assert 'value="Shop mới"' in response.text and problems(response.text) == []
    with runtime.transaction(readonly=True) as session:
        store = session.get(Store, manager.store.store_id)
        assert store is not None and store.name == "Shop"


class _Limits(BaseModel):
    big: int = Field(le=100_000)
    price: float = Field(ge=1.5)


def test_limits_are_written_as_numbers_of_the_language() -> None:
    try:
        _Limits.model_validate({"big": 200_000, "price": 0})
    except ValidationError as exc:
        assert forms.translate(exc, "vi") == {
            "big": "Tối đa là 100.000.",
            "price": "Phải từ 1,5 trở lên.",
        }
        assert forms.translate(exc, "en") == {
            "big": "Must be 100,000 or less.",
            "price": "Must be 1.5 or more.",
        }
    else:  # pragma: no cover
        raise AssertionError("the limits were not checked")
