"""A campaign's segment offers: other terms for shoppers of some segments (a bigger reward for
sociable advocates, a friend offer that suits bargain hunters' friends).

Whose segment counts is always the advocate's (by their e-mail, as the last segments run found
it): their reward is picked when a conversion is opened, and the friend's offer is carried by
the advocate's one welcome code, which the store's checkout (and the connected platforms it is
synced to) honour without knowing who types it. The friend's own segment cannot count: a
friend's coupon is for new customers, who have no orders and so no segment yet. When the
advocate is in several targeted segments the campaign's first listed offer wins; in none, the
campaign's own terms apply. Segments reach the programme as an answer to ``SegmentsAsked``
(it never reads the customers package); nothing here depends on a review's rating.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session

from rcommerce.advocates.models import Advocate
from rcommerce.events import publish
from rcommerce.orders.service import normalise_email
from rcommerce.referrals.events import SegmentsAsked
from rcommerce.referrals.models import Campaign, SegmentOffer
from rcommerce.stores.models import Store

CENT = Decimal("0.01")


def stored(offers: list[Any]) -> list[dict[str, Any]]:
    """Offers as the campaign keeps them (JSON: decimals as strings, sides left out omitted)."""
    kept = []
    for offer in offers:
        fields = SegmentOffer.model_validate(offer).model_dump(exclude_none=True)
        for name in ("advocate_reward_value", "friend_reward_value"):
            if name in fields:
                fields[name] = str(fields[name].quantize(CENT))
        kept.append(fields)
    return kept


def segments_of(session: Session, store: Store, advocate: Advocate) -> set[str]:
    """The segments the advocate is in as a customer, known by their e-mail or their phone
    (none if the segments job has not seen them)."""
    keys = tuple(
        k for k in (advocate.email and normalise_email(advocate.email), advocate.phone) if k
    )
    if not keys:
        return set()
    asked = SegmentsAsked(session=session, store=store, keys=keys)
    publish(asked)
    return asked.found


def _targets(campaign: Campaign, side: str) -> list[dict[str, Any]]:
    return [o for o in campaign.segment_offers or [] if o.get(f"{side}_reward_kind")]


def _segment_terms(
    session: Session, store: Store, campaign: Campaign, advocate: Advocate, side: str
) -> tuple[str, Decimal] | None:
    """The (kind, value) of the campaign's first ``side`` offer for a segment the advocate is
    in; None when there is none."""
    offers = _targets(campaign, side)
    if not offers:
        return None
    segments = segments_of(session, store, advocate)
    for offer in offers:
        if offer["segment"] in segments:
            return offer[f"{side}_reward_kind"], Decimal(str(offer[f"{side}_reward_value"]))
    return None


def advocate_terms(
    session: Session, store: Store, campaign: Campaign, advocate: Advocate
) -> tuple[str, Decimal]:
    """The reward (kind, value) the advocate earns per conversion under ``campaign``: the
    first offer for a segment they are in, else the campaign's own."""
    terms = _segment_terms(session, store, campaign, advocate, "advocate")
    return terms or (campaign.advocate_reward_kind, campaign.advocate_reward_value)


def friend_terms(
    session: Session, store: Store, campaign: Campaign, advocate: Advocate
) -> tuple[str, Decimal]:
    """The offer (coupon kind, value) the advocate's friends get under ``campaign``: the first
    offer for a segment the advocate is in, else the campaign's own (always a coupon)."""
    terms = _segment_terms(session, store, campaign, advocate, "friend")
    if terms is not None:
        return terms
    kind = campaign.friend_reward_kind
    return kind if kind.startswith("coupon_") else "coupon_fixed", campaign.friend_reward_value
