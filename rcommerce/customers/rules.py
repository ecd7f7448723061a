"""The six segment rules: each compares a customer's figures with the store's thresholds and,
when it matches, says why (the tests that matched and the figures they compared). A customer
may fit several segments or none. docs/segments.md explains each rule and what it cannot see."""

from __future__ import annotations

from collections.abc import Callable
from math import sqrt
from typing import Any

from rcommerce.customers.facts import Customer
from rcommerce.customers.models import Thresholds

Reason = dict[str, Any]  # {"tests": [names that matched], "figures": {name: value}}


def _reason(tests: list[str], figures: dict[str, Any]) -> Reason | None:
    return {"tests": tests, "figures": figures} if tests else None


def bargain_hunters(c: Customer, t: Thresholds) -> Reason | None:
    """At least N orders, and at least P% of them, used a coupon or a referral discount."""
    orders, coupons = len(c.orders), c.coupon_orders
    share = round(100 * coupons / orders) if orders else 0
    matched = coupons >= t.bargain_min_coupon_orders and share >= t.bargain_min_coupon_share
    return _reason(
        ["coupon_share"] if matched else [],
        {"orders": orders, "coupon_orders": coupons, "coupon_share": share},
    )


def sociables(c: Customer, t: Thresholds) -> Reason | None:
    """Referred buyers, or their referral link brought clicks, or their reviews were voted
    helpful: any one is enough."""
    tests = []
    if c.referred_buyers >= t.sociable_min_referred_buyers:
        tests.append("referred_buyers")
    if c.clicks >= t.sociable_min_clicks:
        tests.append("clicks")
    if c.helpful_votes >= t.sociable_min_helpful_votes:
        tests.append("helpful_votes")
    return _reason(
        tests,
        {
            "referred_buyers": c.referred_buyers,
            "clicks": c.clicks,
            "helpful_votes": c.helpful_votes,
        },
    )


def routine(c: Customer, t: Thresholds) -> Reason | None:
    """At least N orders, coming back on average within D days (at least a day apart), at
    roughly regular intervals: the spread of the gaps at most P% of their average."""
    orders = len(c.orders)
    if orders < 2:
        return None
    days = [
        (later.placed_at - earlier.placed_at).total_seconds() / 86400
        for earlier, later in zip(c.orders, c.orders[1:], strict=False)
    ]
    # Plain float arithmetic: the statistics module's exact fractions are too slow for every
    # customer of a large store.
    average = sum(days) / len(days)
    spread = sqrt(sum((d - average) ** 2 for d in days) / len(days))
    irregularity = round(100 * spread / average) if average > 0 else None
    matched = (
        orders >= t.routine_min_orders
        and 1 <= average <= t.routine_max_gap_days
        and irregularity is not None
        and irregularity <= t.routine_max_irregularity
    )
    return _reason(
        ["regular_orders"] if matched else [],
        {"orders": orders, "average_gap_days": round(average, 1), "irregularity": irregularity},
    )


def information_seekers(c: Customer, t: Thresholds) -> Reason | None:
    """Asked questions about products (when the store has questions to count), or took days to
    decide: the first order came D days or more after the referral click that brought it."""
    tests = []
    if c.questions is not None and c.questions >= t.information_min_questions:
        tests.append("questions")
    days = None if c.minutes_to_first_order is None else c.minutes_to_first_order / 1440
    if days is not None and days >= t.information_min_days_to_decide:
        tests.append("days_to_decide")
    return _reason(
        tests,
        {
            "questions": c.questions,
            "days_to_decide": None if days is None else round(days, 1),
        },
    )


def convenience(c: Customer, t: Thresholds) -> Reason | None:
    """Bought within M minutes of the referral click that brought them, never used a coupon
    and asked no question: a simple, fast purchase."""
    minutes = c.minutes_to_first_order
    matched = (
        minutes is not None
        and minutes <= t.convenience_max_minutes
        and c.coupon_orders == 0
        and not c.questions
    )
    return _reason(
        ["quick_first_order"] if matched else [],
        {
            "minutes_to_first_order": None if minutes is None else round(minutes),
            "coupon_orders": c.coupon_orders,
            "questions": c.questions,
        },
    )


def entertainment(c: Customer, t: Thresholds) -> Reason | None:
    """At least P% of the items they bought are in categories the store marks as new, trend
    or entertainment (none marked: nobody is in this segment)."""
    if not t.entertainment_categories or not c.items:
        return None
    share = round(100 * c.entertainment_items / c.items)
    return _reason(
        ["marked_categories"] if share >= t.entertainment_min_share else [],
        {"items": c.items, "marked_items": c.entertainment_items, "marked_share": share},
    )


RULES: dict[str, Callable[[Customer, Thresholds], Reason | None]] = {
    "convenience": convenience,
    "information_seekers": information_seekers,
    "bargain_hunters": bargain_hunters,
    "sociables": sociables,
    "routine": routine,
    "entertainment": entertainment,
}


def segments_of(customer: Customer, thresholds: Thresholds) -> dict[str, Reason]:
    """The segments the customer fits, each with its reason."""
    found = {}
    for name, rule in RULES.items():
        reason = rule(customer, thresholds)
        if reason is not None:
            found[name] = reason
    return found
