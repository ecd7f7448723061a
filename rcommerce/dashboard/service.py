"""What the dashboard needs that no other domain owns: the settings and campaign forms read into
changes (with translated per-field errors), a manager's language, and the overview's to-do
counts."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, get_args

from sqlalchemy import func
from sqlmodel import Session, select

from rcommerce.dashboard import forms
from rcommerce.errors import InvalidInput
from rcommerce.referrals import read_models
from rcommerce.referrals.models import CampaignFields, SegmentName, SegmentOffer
from rcommerce.reviews.models import PENDING, Review
from rcommerce.stores.models import Manager, Store, StoreUpdate
from rcommerce.stores.service import normalise_origin

NEED_ORIGIN = (
    "Cần ít nhất một tên miền cho widget, ví dụ https://shop.example",
    "A store needs at least one origin for its widgets, such as https://shop.example",
)
BAD_ORIGIN = (
    "{origin} không phải tên miền dạng https://shop.example (không có đường dẫn).",
    "{origin} is not an origin such as https://shop.example (no path).",
)
PERCENT_OVER = ("Phần trăm không được vượt quá 100.", "A percentage cannot be above 100.")


def settings_changes(form: dict[str, str], locale: str) -> dict[str, Any]:
    """The settings form's fields, checked like PATCH /api/v1/store checks them; FormInvalid
    names each wrong field in the manager's language."""
    origins = [
        line.strip() for line in form.get("allowed_origins", "").splitlines() if line.strip()
    ]
    raw: dict[str, Any] = {
        "name": form.get("name", ""),
        "allowed_origins": origins,
        "landing_url": form.get("landing_url", "").strip() or None,
        "webhook_url": form.get("webhook_url", "").strip() or None,
        "locale": form.get("locale", ""),
        "review_request_delay_days": form.get("review_request_delay_days", ""),
    }
    errors: dict[str, str] = {}
    try:
        # Only the form's own fields: settings edited elsewhere (the reviews page) stay as they are.
        changes = forms.check(StoreUpdate, raw, locale).model_dump(exclude_unset=True)
    except forms.FormInvalid as exc:
        errors, changes = exc.errors, {}
    index = 0 if locale == "vi" else 1
    if not origins:
        errors.setdefault("allowed_origins", NEED_ORIGIN[index])
    for origin in origins:
        try:
            normalise_origin(origin)
        except InvalidInput:
            errors.setdefault("allowed_origins", BAD_ORIGIN[index].format(origin=origin))
    if errors:
        raise forms.FormInvalid(errors)
    return changes  # stores.service.update_store normalises the origins


CAMPAIGN_FIELDS = (
    "name",
    "advocate_reward_kind",
    "advocate_reward_value",
    "friend_reward_kind",
    "friend_reward_value",
    "min_order_total",
    "cap_per_advocate",
    "cap_period_days",
    "attribution_window_days",
    "hold_days",
    "velocity_limit",
)


def campaign_changes(form: dict[str, str], locale: str) -> dict[str, Any]:
    """The campaign form's fields, checked like the API checks them, and a percentage coupon
    never above 100%; FormInvalid names each wrong field in the manager's language."""
    raw: dict[str, Any] = {
        name: form[name].strip() for name in CAMPAIGN_FIELDS if form.get(name, "").strip()
    }
    raw["active"] = form.get("active") == "on"
    raw["is_default"] = form.get("is_default") == "on"
    errors: dict[str, str] = {}
    if any(name.startswith("seg_") for name in form):
        raw["segment_offers"] = segment_offers(form, locale, errors)
    try:
        changes = forms.check(CampaignFields, raw, locale).model_dump(exclude_none=True)
    except forms.FormInvalid as exc:
        errors, changes = {**exc.errors, **errors}, {}
    for side in ("advocate", "friend"):
        field = f"{side}_reward_value"
        if raw.get(f"{side}_reward_kind") == "coupon_percent" and field not in errors:
            try:
                too_much = Decimal(str(raw.get(field, "0"))) > 100
            except InvalidOperation:
                too_much = False
            if too_much:
                errors[field] = PERCENT_OVER[0 if locale == "vi" else 1]
    if errors:
        raise forms.FormInvalid(errors)
    if "cap_per_advocate" not in raw:
        changes["cap_per_advocate"] = None  # an empty field means no cap
    return changes


SEGMENT_SIDES = ("advocate_reward_kind", "advocate_reward_value", "friend_reward_kind",
                 "friend_reward_value")  # fmt: skip


def segment_offers(form: dict[str, str], locale: str, errors: dict[str, str]) -> list[Any]:
    """The campaign form's segment offers (fields ``seg_<segment>_<side>_reward_<kind|value>``,
    a segment whose fields are all empty has none), in the segments' order; a wrong one is
    named in ``errors`` as ``seg_<segment>``."""
    offers: list[Any] = []
    for segment in get_args(SegmentName):
        fields = {
            name: form[f"seg_{segment}_{name}"].strip()
            for name in SEGMENT_SIDES
            if form.get(f"seg_{segment}_{name}", "").strip()
        }
        if not fields:
            continue
        try:
            offers.append(forms.check(SegmentOffer, {"segment": segment, **fields}, locale))
        except forms.FormInvalid as exc:
            errors[f"seg_{segment}"] = next(iter(exc.errors.values()))
    return offers


def offers_by_segment(campaign: Any) -> dict[str, dict[str, Any]]:
    """A campaign's segment offers by segment, for its form."""
    return {offer["segment"]: offer for offer in (campaign.segment_offers if campaign else [])}


def set_manager_locale(*, session: Session, manager: Manager, locale: str) -> None:
    if locale not in ("vi", "en"):
        raise InvalidInput("locale must be vi or en.")
    manager.locale = locale
    session.add(manager)


def to_do(*, session: Session, store: Store) -> tuple[int, int]:
    """(reviews waiting for moderation, conversions held for a decision), counted in SQL."""
    waiting = session.exec(
        select(func.count())
        .select_from(Review)
        .where(Review.store_id == store.id, Review.status == PENDING)
    ).one()
    held = read_models.count_conversions(session=session, store=store, status="held")
    return int(waiting), held
