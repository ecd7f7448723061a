"""Demo data for referrals: a default campaign, eight advocates sharing over Zalo, Facebook
and Messenger, and conversions from the seeded orders with rewards in every state."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from sqlmodel import col, select

from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.demo.seed import DemoContext
from rcommerce.orders import service as orders
from rcommerce.referrals import attribution, campaigns, clicks, coupons, ledger, rewards
from rcommerce.referrals.models import Conversion

ADVOCATES = [
    ("Nguyễn Thị Mai", "mai.nguyen@example.com"),
    ("Trần Quốc Bảo", "bao.tran@example.com"),
    ("Lê Thu Hà", "ha.le@example.com"),
    ("Phạm Minh Khoa", "khoa.pham@example.com"),
    ("Đỗ Thanh Hương", "huong.do@example.com"),
    ("Vũ Đức Long", "long.vu@example.com"),
    ("Jessica Tran", "jessica.tran@example.com"),
    ("Michael Le", "michael.le@example.com"),
]
CHANNELS = ["zalo"] * 9 + ["facebook"] * 5 + ["messenger"] * 4 + ["copy", "qr", "sms", "email"]
BROWSERS = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Zalo iOS/24.04",
    "Mozilla/5.0 (Linux; Android 14) Chrome/124.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/456.0]",
    "Mozilla/5.0 (Linux; Android 13) Chrome/124.0 Mobile Safari/537.36 [FB_IAB/Orca-Android]",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0 Safari/537.36",
]


def seed(ctx: DemoContext) -> None:
    session, store, rng = ctx.session, ctx.store, ctx.rng
    campaign = campaigns.default_campaign(session, store)
    if not ctx.fresh:
        first = session.exec(
            select(Advocate).where(Advocate.store_id == store.id).order_by(col(Advocate.id))
        ).first()
        if first is not None:
            _banner(ctx, first)
        return
    now = ctx.runtime.now()
    people: list[Advocate] = []
    for name, email in ADVOCATES:
        advocate = advocates.enrol(
            session=session, store=store, email=email, name=name, source="demo", welcome=False
        ).advocate
        advocate.created_at = now - timedelta(days=rng.randint(60, 90))
        session.add(advocate)
        coupons.friend_coupon(session, store, advocate)
        people.append(advocate)
    session.flush()

    # Clicks over the last 60 days, more for the first advocates (a realistic long tail).
    records = []
    for rank, advocate in enumerate(people):
        for _ in range(rng.randint(4, 60) // (rank // 3 + 1)):
            at = now - timedelta(days=rng.uniform(0, 60))
            records.append(
                {
                    "id": clicks.new_click_id(at.timestamp()),
                    "s": store.id,
                    "a": advocate.id,
                    "c": campaign.id,
                    "ch": rng.choice(CHANNELS),
                    "q": rng.random() < 0.8,
                    "ih": secrets.token_hex(16),
                    "ua": rng.choice(BROWSERS),
                    "at": at.timestamp(),
                }
            )
    clicks.insert_clicks(session, records)

    # Referred orders: older than the hold period are approved and issued, recent ones wait,
    # one is held for a manager (a disposable address), one was refunded and clawed back.
    referred = sorted(rng.sample(ctx.orders, k=min(12, len(ctx.orders))), key=lambda o: o.placed_at)
    for number, order in enumerate(referred):
        advocate = people[min(int(rng.expovariate(0.5)), len(people) - 1)]
        assert order.id is not None and advocate.id is not None and store.id is not None
        held = number == len(referred) - 1
        conversion = attribution.open_conversion(
            session,
            store,
            order,
            advocate,
            campaign,
            status="held" if held else "pending",
            reasons=["disposable_email"] if held else [],
            attributed_by=rng.choice(["token", "token", "token", "code", "coupon"]),
            now=order.placed_at,
        )
        session.flush()
        if conversion.approve_after <= now and not held:
            rewards.approve_conversion(
                session=session,
                store=store,
                conversion=conversion,
                now=conversion.approve_after,
                notify=False,
            )
    approved = list(session.exec(select(Conversion).where(Conversion.status == "approved")))
    if approved:
        order_id = next(o.order_id for o in referred if o.id == approved[0].order_pk)
        orders.refund_order(session=session, store=store, order_id=order_id, now=now)
    top = people[0]
    assert top.id is not None
    if ledger.balance(session, top.id) >= Decimal(50000):
        ledger.redeem(
            session=session,
            store=store,
            advocate_id=top.id,
            amount=Decimal(50000),
            idempotency_key="demo-redemption",
            now=now,
        )
    _banner(ctx, top)


def _banner(ctx: DemoContext, advocate: Advocate) -> None:
    settings = ctx.runtime.settings
    ctx.banner_lines.append(
        f"  Referral link:   {advocates.referral_url(settings, advocate)}?ch=zalo"
        f"  ({advocate.name}; portal {advocates.portal_url(settings, ctx.store)})"
    )
