"""Connectors' side of the referral programme: every coupon it issues (a reward, a redemption of
store credit, a friend's welcome code) is scheduled for creation in each connected platform."""

from __future__ import annotations

from rcommerce.connectors import coupon_sync
from rcommerce.connectors.coupon_sync import REFERRAL_KINDS, IssuedCoupon
from rcommerce.events import subscriber
from rcommerce.referrals.events import CouponIssued


@subscriber(CouponIssued)
def sync_coupon(event: CouponIssued) -> None:
    coupon = event.coupon
    kind = REFERRAL_KINDS.get(coupon.kind)
    if kind is None:  # not a discount (points are never a code at checkout)
        return
    coupon_sync.schedule_coupon(
        session=event.session,
        store=event.store,
        coupon=IssuedCoupon(
            code=coupon.code,
            kind="percentage" if kind == "percentage" else "fixed_amount",
            value=coupon.value,
            recipient="friend" if coupon.purpose == "friend" else "advocate",
            advocate_id=coupon.advocate_id,
            starts_at=event.now,
        ),
        now=event.now,
    )
