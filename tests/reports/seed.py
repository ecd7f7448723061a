"""A seeded data set of raw events for one store, and the report's figures computed from it
in plain Python (no SQL, no roll-ups): what the report must equal."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Click, Conversion, Reward
from rcommerce.reviews.models import Review

VN = timedelta(hours=7)  # Asia/Ho_Chi_Minh has no daylight saving
CHANNELS = ("zalo", "facebook", "messenger", "email", "copy")
ASPECTS = ("delivery", "quality", "price", "service", "packaging")


def local(instant: datetime) -> date:
    return (instant + VN).date()


@dataclass
class Seeded:
    first: date
    last: date
    advocates: list[Advocate] = field(default_factory=list)
    clicks: list[Click] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    conversions: list[Conversion] = field(default_factory=list)
    rewards: list[Reward] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)


def seed(session: Session, store_id: int, rng: random.Random, first: date, last: date) -> Seeded:
    out = Seeded(first, last)
    # Events from a day before the range to a day after: the edges must be cut right.
    start = datetime.combine(first, datetime.min.time(), tzinfo=UTC) - timedelta(days=1)
    span = ((last - first).days + 3) * 86400

    def when() -> datetime:
        return start + timedelta(seconds=rng.randrange(span))

    for i in range(8):
        advocate = Advocate(
            store_id=store_id,
            email=f"advocate{i}-{store_id}@example.com",
            email_canonical=f"advocate{i}-{store_id}@example.com",
            name=f"Người giới thiệu {i}",
            referral_code=f"R{store_id}X{i}{uuid.uuid4().hex[:6].upper()}",
            created_at=when(),
        )
        session.add(advocate)
        out.advocates.append(advocate)
    session.flush()
    for _ in range(300):
        click = Click(
            id=uuid.uuid4().hex,
            store_id=store_id,
            advocate_id=rng.choice(out.advocates).id,  # type: ignore[arg-type]
            channel=rng.choice(CHANNELS),
            unique=rng.random() < 0.6,
            created_at=when(),
        )
        session.add(click)
        out.clicks.append(click)
    customers = [f"customer{i}@example.com" for i in range(25)]
    for i in range(90):
        placed = when()
        refunded = rng.random() < 0.1
        order = Order(
            store_id=store_id,
            order_id=f"DH{i}",
            email=rng.choice(customers),
            total=Decimal(rng.randrange(50, 2000) * 1000),
            currency="VND",
            status="refunded" if refunded else "placed",
            placed_at=placed,
            refunded_at=placed + timedelta(days=2) if refunded else None,
        )
        session.add(order)
        out.orders.append(order)
    session.flush()
    for order in rng.sample(out.orders, 40):
        advocate_id = rng.choice(out.advocates).id
        # Through a click on the advocate's link before the order (its rc_ref), else by a
        # typed code or the friend's coupon, without a click.
        earlier = [
            c
            for c in out.clicks
            if c.advocate_id == advocate_id and c.created_at <= order.placed_at
        ]
        click = rng.choice(earlier) if earlier and rng.random() < 0.6 else None
        conversion = Conversion(
            store_id=store_id,
            order_pk=order.id,  # type: ignore[arg-type]
            advocate_id=advocate_id,  # type: ignore[arg-type]
            attributed_by="token" if click else rng.choice(("code", "coupon")),
            click_id=click.id if click else None,
            status=rng.choice(
                ("pending", "pending", "held", "approved", "approved", "rejected", "ineligible")
            ),
            order_total=order.total,
            created_at=order.placed_at,
            approve_after=order.placed_at + timedelta(days=14),
        )
        session.add(conversion)
        out.conversions.append(conversion)
    session.flush()
    for conversion in out.conversions:
        kind, value = rng.choice(
            (
                ("store_credit", Decimal(50000)),
                ("coupon_percent", Decimal(10)),
                ("coupon_fixed", Decimal(30000)),
                ("points", Decimal(200)),
            )
        )
        picks = [("advocate", kind, value, rng.choice(("pending", "approved", "issued", "void")))]
        if rng.random() < 0.5:
            picks.append(("friend", "coupon_percent", Decimal(10), "redeemed"))
        for recipient, k, v, status in picks:
            reward = Reward(
                store_id=store_id,
                conversion_id=conversion.id,  # type: ignore[arg-type]
                advocate_id=conversion.advocate_id,
                recipient=recipient,
                kind=k,
                value=v,
                status=status,
                created_at=conversion.created_at,
            )
            session.add(reward)
            out.rewards.append(reward)
    for i in range(120):
        created = when()
        label = rng.choice(("positive", "neutral", "negative", None))
        aspects = {a: round(rng.uniform(-1, 1), 3) for a in rng.sample(ASPECTS, rng.randint(0, 3))}
        replied = rng.random() < 0.4
        review = Review(
            store_id=store_id,
            product_id=f"sp-{i % 7}",
            rating=rng.randint(1, 5),
            body=f"Đánh giá số {i}: giao hàng nhanh, chất lượng ổn",
            author_name=f"Khách {i}",
            email=f"reviewer{i}@example.com",
            status=rng.choice(("published", "published", "pending", "rejected", "received")),
            sentiment_label=label,
            sentiment_compound=0.5 if label else None,
            sentiment_aspects=aspects if label else None,
            reply_body="Cảm ơn bạn!" if replied else None,
            reply_at=created + timedelta(hours=rng.randint(1, 72)) if replied else None,
            created_at=created,
        )
        session.add(review)
        out.reviews.append(review)
    session.flush()
    return out


def _ratio(a: Any, b: Any, places: int = 4) -> float | None:
    return round(float(a) / float(b), places) if b else None


def expected(data: Seeded) -> dict[str, Any]:
    """The report's totals over [first, last], straight from the seeded events."""

    def inside(instant: datetime) -> bool:
        return data.first <= local(instant) <= data.last

    orders = [o for o in data.orders if o.status != "refunded" and inside(o.placed_at)]
    by_pk = {o.id: o for o in data.orders}
    referred = [
        c
        for c in data.conversions
        if c.status in ("pending", "held", "approved")
        and by_pk[c.order_pk].status != "refunded"
        and inside(by_pk[c.order_pk].placed_at)
    ]
    conversions = {c.id: c for c in data.conversions}
    cost = Decimal(0)
    points = Decimal(0)
    per_advocate: dict[int, list[Any]] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for c in referred:
        per_advocate[c.advocate_id][0] += 1
        per_advocate[c.advocate_id][1] += c.order_total
    for r in data.rewards:
        conversion = conversions[r.conversion_id]
        if r.status in ("void", "clawed_back") or not inside(by_pk[conversion.order_pk].placed_at):
            continue
        if r.kind == "points":
            points += r.value
            continue
        value = (
            (r.value * conversion.order_total / 100).quantize(Decimal("0.01"))
            if r.kind == "coupon_percent"
            else r.value
        )
        cost += value
        per_advocate[r.advocate_id][2] += value
    clicks = [c for c in data.clicks if inside(c.created_at)]
    unique = sum(1 for c in clicks if c.unique)
    # Converted clicks: on the click's day, whenever the order came; at most the day's uniques.
    converting = {
        c.click_id
        for c in data.conversions
        if c.click_id
        and c.status in ("pending", "held", "approved")
        and by_pk[c.order_pk].status != "refunded"
    }
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for c in clicks:
        per_day[local(c.created_at)][0] += int(c.id in converting)
        per_day[local(c.created_at)][1] += int(c.unique)
    converted = sum(min(done, uniq) for done, uniq in per_day.values())
    sharers = {c.advocate_id for c in clicks}
    customers = {o.email for o in orders}
    referrers = {c.advocate_id for c in referred}
    referred_customers = {by_pk[c.order_pk].email for c in referred}
    reviews = [r for r in data.reviews if r.status != "rejected" and inside(r.created_at)]
    replied = [r for r in reviews if r.reply_at is not None]
    revenue = sum((o.total for o in orders), Decimal(0))
    referred_revenue = sum((c.order_total for c in referred), Decimal(0))
    invites = _ratio(unique, len(sharers))
    conversion_rate = _ratio(converted, unique)
    channels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in clicks:
        channels[c.channel][0] += 1
        channels[c.channel][1] += int(c.unique)
    aspects: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in reviews:
        for name, score in (r.sentiment_aspects or {}).items():
            if score >= 0.05:
                aspects[name][0] += 1
            elif score <= -0.05:
                aspects[name][1] += 1
    return {
        "advocates_joined": sum(1 for a in data.advocates if inside(a.created_at)),
        "customers": len(customers),
        "referred_customers": len(referred_customers),
        "referrers": len(referrers),
        "referral_rate": _ratio(len(referred_customers), len(customers)),
        "sharing_advocates": len(sharers),
        "clicks": len(clicks),
        "unique_clicks": unique,
        "referred_orders": len(referred),
        "referred_orders_by_click": sum(1 for c in referred if c.attributed_by == "token"),
        "referred_orders_by_code": sum(1 for c in referred if c.attributed_by == "code"),
        "referred_orders_by_coupon": sum(1 for c in referred if c.attributed_by == "coupon"),
        "converted_clicks": converted,
        "conversion_rate": conversion_rate,
        "orders": len(orders),
        "revenue": str(revenue.quantize(Decimal("0.01"))),
        "referred_revenue": str(referred_revenue.quantize(Decimal("0.01"))),
        "referred_revenue_share": _ratio(referred_revenue, revenue),
        "reward_cost": str(cost.quantize(Decimal("0.01"))),
        "reward_points": str(points.quantize(Decimal("0.01"))),
        "roi": _ratio(referred_revenue - cost, cost, 2),
        "invites_per_advocate": invites,
        "invite_conversion": conversion_rate,
        "k_factor": round(unique / len(sharers) * converted / unique, 4) if unique else None,
        "reviews": len(reviews),
        "average_rating": _ratio(sum(r.rating for r in reviews), len(reviews), 2),
        **{f"rating_{n}": sum(1 for r in reviews if r.rating == n) for n in range(1, 6)},
        "positive": sum(1 for r in reviews if r.sentiment_label == "positive"),
        "neutral": sum(1 for r in reviews if r.sentiment_label == "neutral"),
        "negative": sum(1 for r in reviews if r.sentiment_label == "negative"),
        "unscored": sum(1 for r in reviews if r.sentiment_label is None),
        "replied": len(replied),
        "reply_rate": _ratio(len(replied), len(reviews)),
        "reply_hours": _ratio(
            sum(int((r.reply_at - r.created_at).total_seconds()) for r in replied),  # type: ignore[operator]
            len(replied) * 3600,
            1,
        ),
        "_channels": {k: v for k, v in channels.items()},
        "_aspects": {k: v for k, v in aspects.items()},
        "_per_advocate": dict(per_advocate),
    }
