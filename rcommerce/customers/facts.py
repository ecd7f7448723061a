"""Each buyer's figures, gathered in bulk from the services of the packages that saw them:
orders (money, timing, coupons, categories), the referral programme (referral discounts,
clicks, referred buyers), reviews (written, voted helpful) and product questions (asked).

A customer is a buyer of the store known by their canonical e-mail, else their phone (E.164),
as the orders service selects a buyer's orders. Orders refunded in full are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from rcommerce.orders import facts as order_facts
from rcommerce.questions import customer_facts as question_facts
from rcommerce.referrals import customer_facts as referral_facts
from rcommerce.reviews import customer_facts as review_facts
from rcommerce.stores.models import Store


@dataclass(slots=True)
class Bought:
    pk: int
    placed_at: datetime
    net: Decimal
    coupon: bool  # a coupon code or the friend's referral discount
    referred: bool
    reviewed: bool


@dataclass(slots=True)
class Customer:
    key: str  # canonical e-mail, else phone
    email: str | None
    orders: list[Bought] = field(default_factory=list)  # oldest first
    # Minutes from the referral click that brought the first order to that order (None: the
    # first order came without a recorded click).
    minutes_to_first_order: float | None = None
    clicks: int = 0
    referred_buyers: int = 0
    reviews: int = 0
    helpful_votes: int = 0
    # Questions asked about products, matched by e-mail: None for a buyer known only by phone
    # (a question carries no phone), who is then "not observed".
    questions: int | None = None
    items: int = 0
    entertainment_items: int = 0

    @property
    def coupon_orders(self) -> int:
        return sum(1 for order in self.orders if order.coupon)


def _matches(category: str, marked: set[str]) -> bool:
    """A product's category is marked when it, or one level of its path (``Toys > Games``,
    ``toys/games``), is one of the store's marked categories (case does not matter)."""
    text = category.strip().lower()
    if text in marked:
        return True
    parts = {p.strip() for p in text.replace("/", ">").split(">")}
    return bool(parts & marked)


def gather(session: Session, store: Store, entertainment: list[str]) -> dict[str, Customer]:
    """Every buyer of the store with their figures, by customer key."""
    referred = referral_facts.referred_orders(session, store)
    reviewed = review_facts.reviewed_orders(session, store)
    customers: dict[str, Customer] = {}
    owner: dict[int, Customer] = {}
    for order in order_facts.kept_orders(session, store):
        key = order.email or order.phone
        if not key:
            continue  # a walk-in sale: nobody to know
        customer = customers.get(key)
        if customer is None:
            customer = customers[key] = Customer(key=key, email=order.email)
            brought = referred.get(order.pk)
            if brought is not None and brought.clicked_at is not None:
                seconds = (order.placed_at - brought.clicked_at).total_seconds()
                customer.minutes_to_first_order = max(seconds, 0.0) / 60
        brought = referred.get(order.pk)
        customer.orders.append(
            Bought(
                pk=order.pk,
                placed_at=order.placed_at,
                net=order.net,
                coupon=order.coupon or (brought is not None and brought.by_coupon),
                referred=brought is not None,
                reviewed=order.pk in reviewed,
            )
        )
        owner[order.pk] = customer
    for email, reach in referral_facts.reach_by_email(session, store).items():
        if (customer := customers.get(email)) is not None:
            customer.clicks, customer.referred_buyers = reach.clicks, reach.referred_buyers
    asked = question_facts.asked_by_email(session, store)
    for customer in customers.values():
        if customer.email:
            customer.questions = asked.get(customer.email, 0)
    for email, written in review_facts.written_by_email(session, store).items():
        if (customer := customers.get(email)) is not None:
            customer.reviews, customer.helpful_votes = written.reviews, written.helpful_votes
    marked = {c.strip().lower() for c in entertainment if c.strip()}
    categories = order_facts.product_categories(session, store) if marked else {}
    flagged = {pid for pid, category in categories.items() if _matches(category, marked)}
    if marked:  # lines are only read for the entertainment rule
        for order_pk, product_id, quantity in order_facts.order_lines(session, store):
            if (customer := owner.get(order_pk)) is not None:
                customer.items += quantity
                if product_id in flagged:
                    customer.entertainment_items += quantity
    return customers
