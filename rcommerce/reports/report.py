"""The word-of-mouth report: a date range's days grouped by day, week or month, with totals,
channels, ratings, sentiment, praised and criticised aspects with quotes, and top advocates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from rcommerce.advocates.models import Advocate
from rcommerce.errors import InvalidInput
from rcommerce.referrals.models import Click
from rcommerce.reports.definitions import DEFINITIONS
from rcommerce.reports.events import SENTIMENTS, DayCounts, Members, day_start
from rcommerce.reports.service import load_days, member_count, raw_days
from rcommerce.reviews.models import PUBLISHED, Review
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

Group = Literal["day", "week", "month"]
GROUPS: tuple[Group, ...] = ("day", "week", "month")
TOP_ADVOCATES = 10
TOP_ASPECTS = 5
QUOTE_CHARS = 240


def parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"{name}: use a date such as 2026-01-31.",
            fields=[{"field": name, "message": "not a YYYY-MM-DD date"}],
        ) from None


def period_start(day: date, group: Group) -> date:
    if group == "week":
        return day - timedelta(days=day.weekday())
    if group == "month":
        return day.replace(day=1)
    return day


def _ratio(numerator: Any, denominator: Any, places: int = 4) -> float | None:
    if not denominator:
        return None
    return round(float(numerator) / float(denominator), places)


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _union(values: Sequence[Members]) -> Members:
    if not values:
        return 0
    result = values[0]
    for value in values[1:]:
        result = result | value  # type: ignore[operator]
    return result


def metrics(days: Sequence[DayCounts]) -> dict[str, Any]:
    """Every metric over a group of days (sums, and people counted once)."""
    total = DayCounts()
    for d in days:
        total.advocates_joined += d.advocates_joined
        total.clicks += d.clicks
        total.unique_clicks += d.unique_clicks
        total.orders += d.orders
        total.revenue += d.revenue
        total.referred_orders += d.referred_orders
        total.referred_by_click += d.referred_by_click
        total.referred_by_code += d.referred_by_code
        total.referred_by_coupon += d.referred_by_coupon
        total.converted_clicks += d.converted_clicks
        total.referred_revenue += d.referred_revenue
        total.reward_cost += d.reward_cost
        total.reward_points += d.reward_points
        total.reviews += d.reviews
        total.rating_sum += d.rating_sum
        total.ratings = [a + b for a, b in zip(total.ratings, d.ratings, strict=True)]
        for name in SENTIMENTS:
            total.sentiment[name] += d.sentiment.get(name, 0)
        total.replied += d.replied
        total.reply_seconds += d.reply_seconds
    customers = member_count(_union([d.customers for d in days]))
    referred_customers = member_count(_union([d.referred_customers for d in days]))
    referrers = member_count(_union([d.referrers for d in days]))
    sharers = member_count(_union([d.sharers for d in days]))
    # Invites are the unique clicks on the links of advocates who shared; an invite converts
    # when a referred order comes through it (orders by a typed code or coupon had no click
    # and are reported beside it, never divided by clicks).
    invites = _ratio(total.unique_clicks, sharers)
    click_conversion = _ratio(total.converted_clicks, total.unique_clicks)
    k_factor = (
        round(total.unique_clicks / sharers * total.converted_clicks / total.unique_clicks, 4)
        if sharers and total.unique_clicks
        else None
    )
    return {
        "advocates_joined": total.advocates_joined,
        "customers": customers,
        "referred_customers": referred_customers,
        "referrers": referrers,
        "referral_rate": _ratio(referred_customers, customers),
        "sharing_advocates": sharers,
        "clicks": total.clicks,
        "unique_clicks": total.unique_clicks,
        "referred_orders": total.referred_orders,
        "referred_orders_by_click": total.referred_by_click,
        "referred_orders_by_code": total.referred_by_code,
        "referred_orders_by_coupon": total.referred_by_coupon,
        "converted_clicks": total.converted_clicks,
        "conversion_rate": click_conversion,
        "orders": total.orders,
        "revenue": _money(total.revenue),
        "referred_revenue": _money(total.referred_revenue),
        "referred_revenue_share": _ratio(total.referred_revenue, total.revenue),
        "reward_cost": _money(total.reward_cost),
        "reward_points": _money(total.reward_points),
        "roi": _ratio(total.referred_revenue - total.reward_cost, total.reward_cost, 2),
        "invites_per_advocate": invites,
        "invite_conversion": click_conversion,
        "k_factor": k_factor,
        "reviews": total.reviews,
        "average_rating": _ratio(total.rating_sum, total.reviews, 2),
        **{f"rating_{i + 1}": n for i, n in enumerate(total.ratings)},
        **{name: total.sentiment[name] for name in SENTIMENTS},
        "replied": total.replied,
        "reply_rate": _ratio(total.replied, total.reviews),
        "reply_hours": _ratio(total.reply_seconds, total.replied * 3600, 1),
    }


def build(
    session: Session,
    store: Store,
    first: date,
    last: date,
    group: Group,
    days: dict[date, DayCounts],
    advocate_totals: dict[int, list[Any]],
) -> dict[str, Any]:
    ordered = [days[d] for d in sorted(days)]
    buckets: dict[date, list[date]] = {}
    for day in sorted(days):
        buckets.setdefault(period_start(day, group), []).append(day)
    periods = []
    for start, members in buckets.items():
        periods.append(
            {
                "start": max(start, first).isoformat(),
                "end": members[-1].isoformat(),
                **metrics([days[d] for d in members]),
            }
        )
    totals = metrics(ordered)
    channels: dict[str, list[int]] = {}
    aspects: dict[str, list[int]] = {}
    for d in ordered:
        for name, (raw, unique) in d.channels.items():
            pair = channels.setdefault(name, [0, 0])
            pair[0] += raw
            pair[1] += unique
        for name, (praised, complained) in d.aspects.items():
            pair = aspects.setdefault(name, [0, 0])
            pair[0] += praised
            pair[1] += complained
    all_clicks = sum(raw for raw, _ in channels.values())
    return {
        "store_id": store.id,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "group": group,
        "currency": store.currency,
        "timezone": store.timezone,
        "totals": totals,
        "periods": periods,
        "channels": [
            {
                "channel": name,
                "clicks": raw,
                "unique_clicks": unique,
                "share": _ratio(raw, all_clicks),
            }
            for name, (raw, unique) in sorted(channels.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ],
        "ratings": {str(i + 1): totals[f"rating_{i + 1}"] for i in range(5)},
        "sentiment": {name: totals[name] for name in SENTIMENTS},
        "aspects": _aspects(session, store, ordered, aspects),
        "top_advocates": _top_advocates(session, store, first, last, advocate_totals),
        "definitions": {
            name: {"en": en, "vi": vi, "definition_en": den, "definition_vi": dvi}
            for name, (en, vi, den, dvi) in DEFINITIONS.items()
        },
    }


def _aspects(
    session: Session, store: Store, days: list[DayCounts], totals: dict[str, list[int]]
) -> dict[str, list[dict[str, Any]]]:
    ranked: list[tuple[str, str, int, list[tuple[float, int]]]] = []
    for index, polarity in enumerate(("praised", "complained")):
        top = sorted(
            ((name, counts[index]) for name, counts in totals.items() if counts[index] > 0),
            key=lambda item: (-item[1], item[0]),
        )[:TOP_ASPECTS]
        for name, count in top:
            candidates: list[tuple[float, int]] = []
            for d in reversed(days):  # the latest days' quotes first
                for score, review_id in d.examples.get(name, {}).get(polarity, []):
                    candidates.append((float(score), int(review_id)))
                if len(candidates) >= 6:
                    break
            ranked.append((polarity, name, count, candidates))
    # One query for the quotes of every aspect.
    reviews = _published_reviews(session, store, [i for *_, c in ranked for _, i in c])
    out: dict[str, list[dict[str, Any]]] = {"praised": [], "complained": []}
    for polarity, name, count, candidates in ranked:
        out[polarity].append(
            {"aspect": name, "count": count, "examples": _quotes(reviews, candidates)}
        )
    return out


def _published_reviews(session: Session, store: Store, ids: list[int]) -> dict[int, Review]:
    if not ids:
        return {}
    return {
        r.id: r
        for r in session.exec(
            select(Review).where(
                col(Review.id).in_(set(ids)),
                Review.store_id == store.id,
                Review.status == PUBLISHED,
            )
        )
        if r.id is not None
    }


def _quotes(
    reviews: dict[int, Review], candidates: list[tuple[float, int]]
) -> list[dict[str, Any]]:
    quotes: list[dict[str, Any]] = []
    for _, review_id in sorted(candidates, key=lambda c: -abs(c[0])):
        review = reviews.get(review_id)
        if review is None or any(q["review_id"] == review_id for q in quotes):
            continue
        body = (
            review.body if len(review.body) <= QUOTE_CHARS else review.body[: QUOTE_CHARS - 1] + "…"
        )
        quotes.append(
            {
                "review_id": review_id,
                "rating": review.rating,
                "author": review.author_name,
                "quote": body,
            }
        )
        if len(quotes) == 2:
            break
    return quotes


def _top_advocates(
    session: Session,
    store: Store,
    first: date,
    last: date,
    totals: dict[int, list[Any]],
) -> list[dict[str, Any]]:
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
    ranked = [kv for kv in ranked if kv[1][0] > 0][:TOP_ADVOCATES]
    if not ranked:
        return []
    tz = ZoneInfo(store.timezone)
    start, end = day_start(tz, first), day_start(tz, last + timedelta(days=1))
    ids = [advocate_id for advocate_id, _ in ranked]
    people = {
        a.id: a
        for a in session.exec(
            select(Advocate).where(col(Advocate.id).in_(ids), Advocate.store_id == store.id)
        )
    }
    clicks = {
        int(advocate_id): (int(raw), int(unique or 0))
        for advocate_id, raw, unique in session.exec(
            select(Click.advocate_id, func.count(), func.sum(case((col(Click.unique), 1), else_=0)))
            .where(
                col(Click.advocate_id).in_(ids),
                col(Click.created_at) >= start,
                col(Click.created_at) < end,
            )
            .group_by(col(Click.advocate_id))
        )
    }
    rows = []
    for advocate_id, (orders, revenue, cost) in ranked:
        person = people.get(advocate_id)
        raw, unique = clicks.get(advocate_id, (0, 0))
        erased = person is None or person.status == "erased"
        rows.append(
            {
                "advocate_id": advocate_id,
                "name": "" if erased or person is None else person.name,
                "email": "" if erased or person is None else person.email,
                "referral_code": "" if person is None else person.referral_code,
                "referred_orders": int(orders),
                "referred_revenue": _money(Decimal(revenue)),
                "reward_cost": _money(Decimal(cost)),
                "clicks": raw,
                "unique_clicks": unique,
            }
        )
    return rows


def word_of_mouth(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    first: date,
    last: date,
    group: Group = "day",
    now: datetime | None = None,
    from_raw: bool = False,
    fill: bool = True,
) -> dict[str, Any]:
    """The report from the daily roll-ups (or, with ``from_raw``, from the raw events).

    With ``fill=False`` (a read-only transaction) days never rolled up raise NeedsRollup."""
    if group not in GROUPS:
        raise InvalidInput("group must be day, week or month.")
    if from_raw:
        days, advocate_totals = raw_days(
            session=session, settings=settings, store=store, first=first, last=last
        )
    else:
        days, advocate_totals = load_days(
            session=session,
            settings=settings,
            store=store,
            first=first,
            last=last,
            now=now or datetime.now(UTC),
            fill=fill,
        )
    return build(session, store, first, last, group, days, advocate_totals)
