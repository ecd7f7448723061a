"""A ZNS rating callback becomes stars, tags and the aspects the tags are about."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rcommerce.messaging import parse_zns_rating, verify_event_signature
from rcommerce.messaging.zalo_ratings import (
    CallbackSignatureError,
    InvalidCallback,
    tag_aspects,
    tag_polarity,
)
from rcommerce.sentiment.aspects import ASPECTS

FIXTURES = Path(__file__).parent / "fixtures"
OA_SECRET = "oa-secret-test-0123"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_the_user_feedback_webhook_event() -> None:
    rating = parse_zns_rating(json.loads(fixture("user_feedback.json")))
    assert rating.stars == 5
    assert rating.tags == (
        "Giao hàng nhanh",
        "Chất lượng sản phẩm rất tốt",
        "Nhân viên tư vấn nhiệt tình",
    )
    assert rating.note == "Đóng gói kỹ, sẽ ủng hộ tiếp"
    assert (rating.tracking_id, rating.msg_id) == ("rr-1842-7f3a", "3367db02643ff967a028")
    assert rating.submitted_at == datetime.fromtimestamp(1742450399, UTC)
    assert rating.aspects == {"delivery": 1.0, "quality": 1.0, "service": 1.0}


def test_get_rating_entries_with_complaints() -> None:
    first, second = json.loads(fixture("get_rating.json"))["data"]["data"]
    low = parse_zns_rating(first)
    assert (low.stars, low.tracking_id, low.msg_id) == (2, "rr-1843-09bc", "8a61c0de52fbc1a5d4e9")
    assert low.aspects == {"delivery": -1.0, "matches_description": -1.0}
    middle = parse_zns_rating(second)
    assert middle.aspects == {"packaging": 1.0}
    assert middle.note == "Ổn"


@pytest.mark.parametrize(
    ("tag", "aspects", "polarity"),
    [
        ("Giao hàng nhanh", ("delivery",), 1.0),
        ("Giao hang cham", ("delivery",), -1.0),
        ("Chất lượng sản phẩm rất tốt", ("quality",), 1.0),
        ("Sản phẩm đúng mô tả", ("matches_description",), 1.0),
        ("Nhân viên tư vấn nhiệt tình", ("service",), 1.0),
        ("Thái độ phục vụ kém", ("service",), -1.0),
        ("Giá cả hợp lý", ("price",), 1.0),
        ("Đóng gói cẩn thận", ("packaging",), 1.0),
        ("Giao hàng nhanh, đóng gói đẹp", ("delivery", "packaging"), 1.0),
    ],
)
def test_preset_tags(tag: str, aspects: tuple[str, ...], polarity: float) -> None:
    assert tag_aspects(tag) == aspects
    assert tag_polarity(tag, 3) == polarity
    assert set(aspects) <= set(ASPECTS)


def test_a_tag_that_says_neither_follows_the_stars() -> None:
    assert tag_polarity("Về sản phẩm", 5) == 1.0
    assert tag_polarity("Về sản phẩm", 1) == -1.0
    assert tag_polarity("Về sản phẩm", 3) == 0.0


@pytest.mark.parametrize(
    "payload",
    [
        {"message": {"feedbacks": ["Giao hàng nhanh"]}},
        {"message": {"rate": 9}},
        {"event_name": "user_send_text", "message": {"rate": 5}},
        {"message": "not an object"},
        {"rate": "five"},
    ],
)
def test_callbacks_that_are_no_rating(payload: dict[str, object]) -> None:
    with pytest.raises(InvalidCallback):
        parse_zns_rating(payload)


def test_event_signature() -> None:
    body = fixture("user_feedback.json")
    event = json.loads(body)
    mac = hashlib.sha256(
        event["app_id"].encode() + body + event["timestamp"].encode() + OA_SECRET.encode()
    ).hexdigest()
    verify_event_signature(
        body,
        f"mac={mac}",
        app_id=event["app_id"],
        oa_secret=OA_SECRET,
        timestamp=event["timestamp"],
    )
    verify_event_signature(
        body, mac.upper(), app_id=event["app_id"], oa_secret=OA_SECRET, timestamp=event["timestamp"]
    )
    for bad in (None, "", "mac=00", f"mac={mac}0"):
        with pytest.raises(CallbackSignatureError) as refused:
            verify_event_signature(
                body, bad, app_id=event["app_id"], oa_secret=OA_SECRET, timestamp=event["timestamp"]
            )
        assert refused.value.status == 401
    with pytest.raises(CallbackSignatureError):
        verify_event_signature(
            body + b" ",
            f"mac={mac}",
            app_id=event["app_id"],
            oa_secret=OA_SECRET,
            timestamp=event["timestamp"],
        )


def test_oa_config_from_the_environment() -> None:
    from rcommerce.messaging import ZaloOAConfig

    assert ZaloOAConfig.from_env({}) is None
    config = ZaloOAConfig.from_env(
        {"RCOMMERCE_ZALO_APP_ID": "3972457551268168177", "RCOMMERCE_ZALO_OA_SECRET": OA_SECRET}
    )
    assert config == ZaloOAConfig("3972457551268168177", OA_SECRET)
    assert OA_SECRET not in repr(config)
