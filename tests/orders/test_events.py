"""Orders publish what happened; the referral programme and reviews act on it inside the same
transaction, so an order is recorded with everything it caused, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce import events
from rcommerce.orders import service as orders
from rcommerce.orders.events import OrderPlaced
from rcommerce.orders.models import Order, OrderIn, OrderItemIn
from rcommerce.referrals.models import Conversion, Reward
from rcommerce.reviews.models import ReviewRequest
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.referrals import enrol
from tests.support.runtime import StoreKeys


class Undone(Exception):
    pass


def _order(code: str, order_id: str = "A-1") -> OrderIn:
    return OrderIn(
        order_id=order_id,
        email="friend@example.com",
        total=Decimal("250000"),
        currency="VND",
        referral_code=code,
        items=[OrderItemIn(product_id="ao-thun", name="Áo thun", price=Decimal("250000"))],
    )


def _count(runtime: Runtime, model: type) -> int:
    with runtime.transaction(readonly=True) as session:
        return len(list(session.exec(select(model))))


def test_subscribers_act_in_the_orders_own_transaction(
    runtime: Runtime, client: TestClient, store: StoreKeys
) -> None:
    code = enrol(client, store, "advocate@example.com")["referral_code"]
    now = runtime.now()
    with pytest.raises(Undone), runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        order, created = orders.record_order(
            session=session, settings=runtime.settings, store=shop, data=_order(code), now=now
        )
        orders.fulfil_order(session=session, store=shop, order_id="A-1", now=now)
        # Seen from inside the unit of work: the referral programme attributed the order and
        # opened its conversion with a pending reward; reviews scheduled the review request.
        conversion = session.exec(select(Conversion).where(Conversion.order_pk == order.id)).one()
        assert created and conversion.status == "pending"
        assert session.exec(select(Reward).where(Reward.conversion_id == conversion.id)).all()
        assert session.exec(select(ReviewRequest).where(ReviewRequest.order_pk == order.id)).one()
        raise Undone  # the transaction rolls back: everything the subscribers wrote goes too
    assert [_count(runtime, m) for m in (Order, Conversion, Reward, ReviewRequest)] == [0] * 4


@pytest.fixture
def failing_subscriber() -> Iterator[None]:
    def fail(event: OrderPlaced) -> None:
        raise RuntimeError("a subscriber failed")

    events.subscriber(OrderPlaced)(fail)
    try:
        yield
    finally:
        events.unsubscribe(OrderPlaced, fail)


@pytest.mark.usefixtures("failing_subscriber")
def test_a_failing_subscriber_leaves_nothing_half_recorded(
    runtime: Runtime, client: TestClient, store: StoreKeys
) -> None:
    code = enrol(client, store, "advocate@example.com")["referral_code"]
    with pytest.raises(RuntimeError, match="a subscriber failed"), runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        orders.record_order(
            session=session,
            settings=runtime.settings,
            store=shop,
            data=_order(code),
            now=runtime.now(),
        )
    # The referral subscriber ran first (it is registered at start-up) and its conversion is
    # gone with the order.
    assert _count(runtime, Order) == 0 and _count(runtime, Conversion) == 0


def test_the_order_as_stored_shows_what_each_subscriber_made_of_it(
    client: TestClient, store: StoreKeys
) -> None:
    code = enrol(client, store, "advocate@example.com")["referral_code"]
    placed = "2026-12-01T09:30:00+07:00"
    body = {**_order(code).model_dump(mode="json"), "placed_at": placed}
    assert client.post("/api/v1/orders", json=body, headers=store.auth).status_code == 201
    client.post("/api/v1/orders/A-1/fulfil", headers=store.auth)
    view = client.get("/api/v1/orders/A-1", headers=store.auth).json()
    assert view["order_id"] == "A-1" and view["email"] == "friend@example.com"
    assert datetime.fromisoformat(view["placed_at"]) == datetime.fromisoformat(placed)
    assert view["items"][0]["product_id"] == "ao-thun"
    assert view["attribution"]["attributed"] and view["attribution"]["attributed_by"] == "code"
    assert view["review_request"]["status"] == "scheduled"
    missing = client.get("/api/v1/orders/nope", headers=store.auth)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
