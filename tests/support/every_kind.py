"""A store whose data shows every kind of code the dashboard can meet: each advocate, conversion,
reward and coupon status, each hold and ineligibility reason, each review flag, reject reason,
sentiment and aspect, each reward kind, ledger line and click channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.clicks import CHANNELS
from rcommerce.referrals.models import Click, Conversion, Coupon, LedgerEntry, Reward
from rcommerce.reviews.models import Review, Testimonial
from rcommerce.reviews.rules import PENDING_FLAGS, REJECT_REASONS
from rcommerce.sentiment.aspects import ASPECTS

HOLD_REASONS = (
    "self_referral_email",
    "self_referral_visitor",
    "self_referral_device",
    "velocity",
    "disposable_email",
)
INELIGIBLE_REASONS = (
    "advocate_blocked",
    "advocate_opted_out",
    "campaign_inactive",
    "below_minimum",
    "returning_customer",
    "cap_reached",
)
CONVERSION_STATUSES = ("pending", "held", "approved", "rejected", "reversed", "ineligible")
REWARD_STATUSES = ("pending", "approved", "issued", "redeemed", "void", "clawed_back")
REWARD_KINDS = ("store_credit", "coupon_fixed", "coupon_percent", "points")
REVIEW_STATUSES = ("received", "pending", "published", "rejected", "unpublished")
SENTIMENTS = ("positive", "neutral", "negative", None)
REJECTED_FLAGS = ("honeypot", "links", "duplicate")


@dataclass
class EveryKind:
    advocate_id: int  # the advocate whose page shows every conversion, reward and ledger line
    advocate_ids: list[int] = field(default_factory=list)
    testimonial_ids: list[int] = field(default_factory=list)


def _advocate(session: Session, store_id: int, n: int, status: str, now: datetime) -> Advocate:
    advocate = Advocate(
        store_id=store_id,
        email=f"nguoi{n}@example.com",
        email_canonical=f"nguoi{n}@example.com",
        name=f"Người giới thiệu {n}",
        referral_code=f"EK{store_id}X{n}",
        status=status,
        created_at=now - timedelta(days=20 - n),
    )
    session.add(advocate)
    session.flush()
    return advocate


def seed_every_kind(session: Session, store_id: int, now: datetime) -> EveryKind:
    main = _advocate(session, store_id, 0, "active", now)
    assert main.id is not None
    found = EveryKind(advocate_id=main.id, advocate_ids=[main.id])
    for n, status in enumerate(("blocked", "opted_out", "active"), start=1):
        other = _advocate(session, store_id, n, status, now)
        assert other.id is not None
        found.advocate_ids.append(other.id)
    for i, channel in enumerate(CHANNELS):
        for k in range(i + 1):
            session.add(
                Click(
                    id=f"ek{store_id}c{i}k{k}",
                    store_id=store_id,
                    advocate_id=main.id,
                    channel=channel,
                    unique=k == 0,
                    created_at=now - timedelta(days=1 + k, hours=i),
                )
            )
    # Conversions: every status, and the held / ineligible ones with every reason.
    reasons: dict[str, list[str]] = {
        "held": list(HOLD_REASONS),
        "ineligible": list(INELIGIBLE_REASONS),
    }
    conversions: list[Conversion] = []
    for i, status in enumerate(CONVERSION_STATUSES):
        order = Order(
            store_id=store_id,
            order_id=f"DH-{1000 + i}",
            email=f"khach{i}@example.com",
            customer_name=f"Khách {i}",
            total=Decimal(250_000 + i * 10_000),
            currency="VND",
            placed_at=now - timedelta(days=3 + i),
            created_at=now - timedelta(days=3 + i),
        )
        session.add(order)
        session.flush()
        assert order.id is not None
        conversion = Conversion(
            store_id=store_id,
            order_pk=order.id,
            advocate_id=main.id,
            attributed_by=("token", "code", "coupon")[i % 3],
            status=status,
            reasons=reasons.get(status, []),
            order_total=order.total,
            created_at=now - timedelta(days=3 + i),
            approve_after=now + timedelta(days=11 - i),
        )
        session.add(conversion)
        session.flush()
        conversions.append(conversion)
    # Rewards: every status and every kind, on the approved conversion.
    approved = conversions[CONVERSION_STATUSES.index("approved")]
    assert approved.id is not None
    for i, status in enumerate(REWARD_STATUSES):
        kind = REWARD_KINDS[i % len(REWARD_KINDS)]
        reward = Reward(
            store_id=store_id,
            conversion_id=approved.id,
            advocate_id=main.id,
            recipient="advocate",
            kind=kind,
            value=Decimal(10) if kind == "coupon_percent" else Decimal(50_000),
            status=status,
            coupon_code=f"RWEK{store_id}{i}" if kind.startswith("coupon") else None,
            created_at=now - timedelta(days=2, hours=i),
        )
        session.add(reward)
        session.flush()
        if reward.coupon_code:
            session.add(
                Coupon(
                    store_id=store_id,
                    code=reward.coupon_code,
                    purpose="reward",
                    advocate_id=main.id,
                    reward_id=reward.id,
                    kind=kind,
                    value=reward.value,
                    status=("active", "used", "void")[i % 3],
                    created_at=reward.created_at,
                )
            )
    for kind, unit, amount in (
        ("reward", "credit", 50_000),
        ("reward", "points", 100),
        ("redemption", "credit", -30_000),
        ("clawback", "credit", -50_000),
    ):
        session.add(
            LedgerEntry(
                store_id=store_id,
                advocate_id=main.id,
                unit=unit,
                kind=kind,
                amount=Decimal(amount),
                created_at=now - timedelta(days=1),
            )
        )
    # Reviews: every status, flag, sentiment and aspect; rejected ones with every reason.
    aspects = {name: (0.6 if i % 2 == 0 else -0.5) for i, name in enumerate(ASPECTS)}
    flags = [*PENDING_FLAGS, *REJECTED_FLAGS]
    reject_reasons = list(REJECT_REASONS)
    for i in range(max(len(flags), len(reject_reasons), 12)):
        status = REVIEW_STATUSES[i % len(REVIEW_STATUSES)]
        session.add(
            Review(
                store_id=store_id,
                product_id=f"ao-{i}",
                rating=1 + i % 5,
                title=f"Đánh giá {i}",
                body="Giao hàng nhanh, chất lượng tốt, giá hợp lý, đóng gói cẩn thận.",
                author_name=f"Khách {i}",
                email=f"review{i}@example.com",
                status=status,
                flags=[flags[i % len(flags)]],
                reason_code=reject_reasons[i % len(reject_reasons)]
                if status in ("rejected", "unpublished")
                else None,
                testimonial_consent=i % 2 == 0,
                sentiment_label=SENTIMENTS[i % len(SENTIMENTS)],
                sentiment_compound=None if SENTIMENTS[i % 4] is None else 0.5 - (i % 3) * 0.5,
                sentiment_aspects=aspects if SENTIMENTS[i % 4] is not None else None,
                created_at=now - timedelta(days=i % 7, hours=1),
            )
        )
    for i, status in enumerate(("published", "received", "pending", "unpublished", "published")):
        testimonial = Testimonial(
            store_id=store_id,
            body=f"Lời chứng thực số {i}: cửa hàng rất đáng tin.",
            author_name=f"Tác giả {i}",
            rating=5,
            consent=True,
            status=status,
            position=0,
            created_at=now - timedelta(days=i),
        )
        session.add(testimonial)
        session.flush()
        assert testimonial.id is not None
        found.testimonial_ids.append(testimonial.id)
    session.flush()
    return found
