"""A store whose customers are built to fit each segment rule (and some to fit none), written
straight into the tables the other packages own, as their services would have."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order, OrderItem, Product
from rcommerce.questions.models import Question
from rcommerce.referrals.models import Click, Conversion
from rcommerce.reviews.models import PUBLISHED, Review

T0 = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Hồ Chí Minh City

# The segments each seeded customer must be in with the default thresholds.
EXPECTED = {
    "convenience": {"friend.quick@example.com"},
    "information_seekers": {"seeker@example.com", "asker@example.com"},
    "bargain_hunters": {"bargain@example.com"},
    "sociables": {
        "social.ref@example.com",
        "social.clicks@example.com",
        "social.votes@example.com",
    },
    "routine": {"routine@example.com"},
    "entertainment": set(),  # no category is marked by default
}
NOBODY = {"half@example.com", "friend.coupon@example.com", "+84901234567", "refunded@example.com"}


class Seeder:
    def __init__(self, session: Session, store_id: int) -> None:
        self.session, self.store_id, self.n = session, store_id, 0

    def order(
        self,
        who: str,
        at: datetime,
        total: int = 200_000,
        coupons: tuple[str, ...] = (),
        status: str = "placed",
        items: tuple[tuple[str, int], ...] = (),
    ) -> Order:
        self.n += 1
        email, phone = (who, None) if "@" in who else (None, who)
        order = Order(
            store_id=self.store_id,
            order_id=f"o{self.n}",
            email=email,
            phone=phone,
            total=Decimal(total),
            currency="VND",
            status=status,
            refunded_amount=Decimal(total) if status == "refunded" else Decimal(0),
            details={"coupon_codes": list(coupons)} if coupons else {},
            placed_at=at,
        )
        self.session.add(order)
        self.session.flush()
        assert order.id is not None
        for product_id, quantity in items:
            self.session.add(OrderItem(order_pk=order.id, product_id=product_id, quantity=quantity))
        return order

    def advocate(self, email: str) -> Advocate:
        advocate = Advocate(
            store_id=self.store_id,
            email=email,
            email_canonical=email,
            referral_code="R" + uuid.uuid4().hex[:10].upper(),
        )
        self.session.add(advocate)
        self.session.flush()
        return advocate

    def click(self, advocate: Advocate, at: datetime) -> Click:
        assert advocate.id is not None
        click = Click(
            id=uuid.uuid4().hex, store_id=self.store_id, advocate_id=advocate.id, created_at=at
        )
        self.session.add(click)
        self.session.flush()
        return click

    def referred(
        self, order: Order, advocate: Advocate, by: str = "token", click: Click | None = None
    ) -> Conversion:
        assert order.id is not None and advocate.id is not None
        conversion = Conversion(
            store_id=self.store_id,
            order_pk=order.id,
            advocate_id=advocate.id,
            click_id=click.id if click else None,
            attributed_by=by,
            status="pending",
            order_total=order.total,
            created_at=order.placed_at,
            approve_after=order.placed_at + timedelta(days=14),
        )
        self.session.add(conversion)
        self.session.flush()
        return conversion

    def review(self, email: str, product_id: str, helpful: int, order: Order | None = None) -> None:
        self.session.add(
            Review(
                store_id=self.store_id,
                product_id=product_id,
                rating=3,
                body="Giao hàng nhanh, đóng gói cẩn thận.",
                author_name="Lan",
                email=email,
                status=PUBLISHED,
                helpful_count=helpful,
                order_pk=order.id if order else None,
            )
        )


def seed(session: Session, store_id: int) -> None:
    s = Seeder(session, store_id)
    day = timedelta(days=1)
    session.add(Product(store_id=store_id, product_id="toy", name="Robot", category="Đồ chơi"))
    session.add(Product(store_id=store_id, product_id="rice", name="Gạo", category="Thực phẩm"))
    # Bargain hunter: two of three orders with a coupon, at irregular times.
    s.order("bargain@example.com", T0, coupons=("SALE10",))
    s.order("bargain@example.com", T0 + day, coupons=("SALE20",))
    s.order("bargain@example.com", T0 + 40 * day)
    # One coupon in four orders: no segment.
    s.order("half@example.com", T0, coupons=("SALE10",))
    s.order("half@example.com", T0 + 2 * day)
    s.order("half@example.com", T0 + 30 * day)
    s.order("half@example.com", T0 + 31 * day)
    # A sociable who referred a friend; the friend bought ten minutes after the click.
    referrer = s.advocate("social.ref@example.com")
    s.order("social.ref@example.com", T0)
    click = s.click(referrer, T0 + 2 * day)
    quick = s.order("friend.quick@example.com", T0 + 2 * day + timedelta(minutes=10))
    s.referred(quick, referrer, click=click)
    # A sociable whose link brought six clicks, and one whose review was voted helpful.
    sharer = s.advocate("social.clicks@example.com")
    s.order("social.clicks@example.com", T0 + 3 * day)
    for i in range(6):
        s.click(sharer, T0 + i * day)
    voted = s.order("social.votes@example.com", T0 + 4 * day, items=(("rice", 1),))
    s.review("social.votes@example.com", "rice", helpful=4, order=voted)
    # A routine shopper: four orders about two weeks apart.
    for offset in (0, 14, 27, 42):
        s.order("routine@example.com", T0 + offset * day)
    # An information seeker: first order five days after the click that brought them; an
    # advocate who never bought (not a customer) referred them.
    outsider = s.advocate("outsider@example.com")
    click = s.click(outsider, T0 + 5 * day)
    seeker = s.order("seeker@example.com", T0 + 10 * day)
    s.referred(seeker, outsider, click=click)
    # An information seeker who asked about a product before buying it (and a refused
    # question, which does not count, from a buyer who fits nothing).
    session.add(
        Question(store_id=store_id, product_id="rice", body="Gạo này nấu dẻo không?",
                 author_name="Hoa", email="Asker@Example.com", status="published")
    )  # fmt: skip
    session.add(
        Question(store_id=store_id, product_id="rice", body="spam", author_name="x",
                 email="half@example.com", status="rejected")
    )  # fmt: skip
    s.order("asker@example.com", T0 + 8 * day, items=(("rice", 1),))
    # A friend who came with the friend's coupon: one order, no segment.
    friend = s.order("friend.coupon@example.com", T0 + 6 * day, coupons=("FRIEND1",))
    s.referred(friend, outsider, by="coupon")
    # Known by phone only, one order; and one whose coupon orders were all refunded.
    s.order("+84901234567", T0 + 7 * day, items=(("toy", 2), ("rice", 1)))
    for i in range(3):
        s.order("refunded@example.com", T0 + i * day, coupons=("SALE10",), status="refunded")
    session.flush()
