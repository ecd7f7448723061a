"""The answer to a ZNS rating template: stars, preset tags and a note, read into a neutral rating.

Zalo posts it to the OA's webhook as ``{"event_name": "user_feedback", "app_id", "timestamp",
"message": {"rate", "feedbacks": [...], "note", "msg_id", "tracking_id", "submit_time"}}``, and
the GetRating API lists the same with camelCase keys (``msgId``, ``trackingId``, ``submitDate``).
The tags are the merchant's presets ("Giao hàng nhanh", "Chất lượng sản phẩm rất tốt",
"Nhân viên tư vấn nhiệt tình"): each one names an aspect and says whether it was good or bad.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rcommerce.messaging.messages import unaccented


class InvalidCallback(ValueError):
    """The callback is not a rating rcommerce can use; ``status`` is the HTTP answer."""

    status = 400


class CallbackSignatureError(InvalidCallback):
    status = 401


@dataclass(frozen=True)
class ZNSRating:
    stars: int  # 1..5
    tags: tuple[str, ...] = ()
    note: str = ""
    tracking_id: str | None = None  # ours, from the review request that was sent
    msg_id: str | None = None
    submitted_at: datetime | None = None
    aspects: dict[str, float] = field(default_factory=dict)  # aspect -> score in [-1, 1]


# Aspect names are the sentiment package's (rcommerce.sentiment.aspects.ASPECTS).
# Keywords are matched as whole words of the accent-folded, lower-cased tag.
_ASPECT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("matches_description", ("dung mo ta", "giong mo ta", "giong hinh", "nhu hinh", "dung hinh")),
    ("delivery", ("giao hang", "van chuyen", "ship", "shipper", "giao", "nhan hang")),
    ("packaging", ("dong goi", "bao bi", "goi hang")),
    ("service", ("nhan vien", "tu van", "phuc vu", "ho tro", "cham soc", "thai do", "shop")),
    ("price", ("gia", "gia ca", "re")),
    ("quality", ("chat luong", "san pham", "hang tot", "ben")),
)
_NEGATIVE = (
    "cham", "khong", "kem", "te", "thieu", "loi", "hong", "sai", "chua", "that vong", "mong",
    "bat lich su", "vo", "xau",
)  # fmt: skip
_POSITIVE = (
    "nhanh", "tot", "nhiet tinh", "dep", "re", "can than", "chu dao", "hai long", "chuan",
    "dung", "xuat sac", "than thien", "hop ly",
)  # fmt: skip


def fold(text: str) -> str:
    """Lower-case, without diacritics, one space between words."""
    return " ".join(re.findall(r"[a-z0-9]+", unaccented(text.lower())))


def _has(words: str, phrase: str) -> bool:
    return f" {phrase} " in f" {words} "


def tag_aspects(tag: str) -> tuple[str, ...]:
    """The aspects a preset tag is about (usually one)."""
    words = fold(tag)
    found = [aspect for aspect, keys in _ASPECT_WORDS if any(_has(words, k) for k in keys)]
    if "matches_description" in found and "quality" in found:
        found.remove("quality")  # "sản phẩm đúng mô tả" is about the description
    return tuple(found)


def tag_polarity(tag: str, stars: int) -> float:
    """+1 for praise, -1 for a complaint; a tag that says neither follows the stars."""
    words = fold(tag)
    if any(_has(words, w) for w in _NEGATIVE):
        return -1.0
    if any(_has(words, w) for w in _POSITIVE):
        return 1.0
    return 1.0 if stars >= 4 else -1.0 if stars <= 2 else 0.0


def aspects_of(tags: tuple[str, ...], stars: int) -> dict[str, float]:
    scores: dict[str, list[float]] = {}
    for tag in tags:
        polarity = tag_polarity(tag, stars)
        for aspect in tag_aspects(tag):
            scores.setdefault(aspect, []).append(polarity)
    return {aspect: sum(values) / len(values) for aspect, values in scores.items()}


def _moment(value: Any) -> datetime | None:
    """Zalo times are epoch milliseconds (as a number or a string)."""
    try:
        millis = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return datetime.fromtimestamp(millis / 1000, UTC)


def parse_zns_rating(payload: Mapping[str, Any]) -> ZNSRating:
    """A ``user_feedback`` webhook event or one GetRating entry; InvalidCallback otherwise."""
    if "message" in payload:
        if payload.get("event_name") not in (None, "user_feedback"):
            raise InvalidCallback(f"event {payload.get('event_name')!r} is not a rating")
        message = payload["message"]
        if not isinstance(message, Mapping):
            raise InvalidCallback("the rating event has no message")
    else:
        message = payload

    def pick(*keys: str) -> Any:
        for key in keys:
            if message.get(key) not in (None, ""):
                return message[key]
        return None

    try:
        stars = int(pick("rate", "rating"))
    except (TypeError, ValueError):
        raise InvalidCallback("the rating has no stars") from None
    if not 1 <= stars <= 5:
        raise InvalidCallback(f"{stars} stars is not a rating")
    raw_tags = pick("feedbacks", "feedback") or []
    if isinstance(raw_tags, str):
        raw_tags = [raw_tags]
    tags = tuple(str(t).strip() for t in raw_tags if str(t).strip())
    tracking = pick("tracking_id", "trackingId")
    msg_id = pick("msg_id", "msgId")
    return ZNSRating(
        stars=stars,
        tags=tags,
        note=str(pick("note") or "").strip(),
        tracking_id=str(tracking) if tracking is not None else None,
        msg_id=str(msg_id) if msg_id is not None else None,
        submitted_at=_moment(pick("submit_time", "submitDate", "submit_date")),
        aspects=aspects_of(tags, stars),
    )


@dataclass(frozen=True)
class ZaloOAConfig:
    """What verifies the OA's webhook events (rating callbacks)."""

    app_id: str
    oa_secret: str = field(repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ZaloOAConfig | None:
        """From RCOMMERCE_ZALO_APP_ID and RCOMMERCE_ZALO_OA_SECRET; None when either is unset."""
        env = os.environ if environ is None else environ
        app_id = env.get("RCOMMERCE_ZALO_APP_ID", "").strip()
        secret = env.get("RCOMMERCE_ZALO_OA_SECRET", "").strip()
        return cls(app_id, secret) if app_id and secret else None


def verify_event_signature(
    body: bytes, signature: str | None, *, app_id: str, oa_secret: str, timestamp: str
) -> None:
    """Zalo OA webhooks: ``X-ZEvent-Signature: mac=sha256(app_id + raw body + timestamp + OA
    secret)`` in hex, ``timestamp`` being the event's own ``timestamp`` field."""
    if not signature:
        raise CallbackSignatureError("the X-ZEvent-Signature header is missing")
    supplied = signature.strip()
    if supplied.lower().startswith("mac="):
        supplied = supplied[4:].strip()
    expected = hashlib.sha256(
        app_id.encode() + body + timestamp.encode() + oa_secret.encode()
    ).hexdigest()
    if not oa_secret or not hmac.compare_digest(supplied.lower().encode(), expected.encode()):
        raise CallbackSignatureError("the Zalo event signature does not match")
