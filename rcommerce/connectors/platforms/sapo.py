"""Sapo webhooks: Sapo Web (``*.mysapo.net``, Shopify-like JSON) and Sapo GO / omnichannel
(``*.mysapogo.com``: ``code``, ``customer_data``, ``order_line_items``, ``status``).

Both sign with ``X-Sapo-Hmac-Sha256`` = base64(HMAC-SHA256(raw body, secret)) and name the event
in ``X-Sapo-Topic`` (Sapo GO sends ``orders/update``, Sapo Web ``orders/updated``). The shop is
``X-Sapo-Shop-Domain`` (Web) or ``X-Sapo-Tenant-Domain`` (GO); ``X-Sapo-Test: true`` marks a
test delivery. No delivery id is sent, so the body hash is the idempotency key.

Sapo GO orders from social, TikTok and POS channels often carry ``"email": ""`` and only a
phone: ``customer_data.phone_number`` or the order's ``phone_number``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rcommerce.connectors import payloads as p
from rcommerce.connectors.events import (
    ConnectorEvent,
    Ignored,
    OrderFulfilled,
    OrderLine,
    OrderPlaced,
    OrderRefunded,
)
from rcommerce.connectors.platforms import shopify_like
from rcommerce.connectors.webhooks import (
    BadPayload,
    Delivery,
    Headers,
    ParseContext,
    body_id,
    decode_json,
    header,
    parse_with,
    require_base64_hmac,
)

# Sapo GO order states (draft = "Đặt hàng" not yet confirmed; finalized = "Đang giao dịch").
GO_CANCELLED = {"cancelled"}
GO_SHIPPED = {"shipped", "fulfilled", "received", "delivered"}
GO_DELIVERED = {"received", "delivered"}
GO_PAID = {"paid"}
GO_RETURNED = {"returned"}


def is_sapo_go(order: Mapping[str, Any]) -> bool:
    return "order_line_items" in order or "customer_data" in order


def _order(payload: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    order = p.obj(payload.get("order")) or payload  # a REST-style {"order": {...}} wrapper
    if is_sapo_go(order):
        return go_order_events(order, context)
    return shopify_like.order_events(order, context)


def _product(payload: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    return shopify_like.product_event(p.obj(payload.get("product")) or payload, context)


def go_order_placed(order: Mapping[str, Any], context: ParseContext) -> OrderPlaced | None:
    order_id = p.ident(order.get("id"))
    total = p.money(order.get("total"))
    if order_id is None or total is None:
        return None
    customer = p.obj(order.get("customer_data"))
    addresses = p.objects(order.get("addresses"))
    billing = p.obj(order.get("billing_address")) or (addresses[0] if addresses else {})
    shipping = p.obj(order.get("shipping_address"))
    items = tuple(
        OrderLine(
            product_id=p.ident(item.get("product_id")) or "",
            name=p.text(item.get("product_name"))
            or p.text(item.get("variant_name"))
            or p.text(item.get("name"))
            or "",
            quantity=p.count(item.get("quantity")),
            price=p.money(item.get("price")),
            sku=p.text(item.get("sku")),
            variant_id=p.ident(item.get("variant_id")),
        )
        for item in p.objects(order.get("order_line_items"))
        if not item.get("is_composite_item_component")  # combo parts repeat their parent line
    )
    return OrderPlaced(
        order_id=order_id,
        number=p.text(order.get("code")) or order_id,
        email=p.first_email(customer.get("email"), order.get("email")),
        phone=p.first_phone(
            [
                (customer.get("phone_number"), None),
                (order.get("phone_number"), None),
                (billing.get("phone_number"), None),
                (billing.get("phone"), None),
                (shipping.get("phone_number"), None),
            ],
            context.region,
        ),
        customer_name=p.full_name(customer.get("name"))
        or p.full_name(billing.get("full_name"))
        or p.full_name(billing.get("first_name"), billing.get("last_name")),
        total=total,
        currency=(p.text(order.get("currency")) or context.currency).upper(),
        placed_at=p.when(order.get("issued_on")) or p.when(order.get("created_on")),
        items=items,
        discount_codes=p.codes(
            [
                *(r.get("code") for r in p.objects(order.get("promotion_redemptions"))),
                *(d.get("code") for d in p.objects(order.get("discount_items"))),
            ]
        ),
        referral_token=(
            p.referral_from_attributes(order.get("note_attributes"))
            or p.referral_from_note(order.get("note"))
            or p.referral_from_note(" ".join(str(t) for t in order.get("tags") or []))
        ),
        paid=(p.text(order.get("payment_status")) or "").lower() in GO_PAID,
    )


def go_order_events(order: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    placed = go_order_placed(order, context)
    if placed is None:
        return [Ignored("the Sapo GO order has no id or no total")]
    status = (p.text(order.get("status")) or "").lower()
    events: list[ConnectorEvent] = [placed]
    for returned in p.objects(order.get("order_returns")):
        amount = p.money(returned.get("total_amount")) or p.money(returned.get("total"))
        events.append(
            OrderRefunded(
                placed.order_id,
                amount=abs(amount) if amount is not None else None,
                full=False,
                refund_id=p.ident(returned.get("id")),
                reason=p.text(returned.get("code")) or "returned",
            )
        )
    return_status = (p.text(order.get("return_status")) or "").lower()
    if status in GO_CANCELLED or return_status in GO_RETURNED:
        reason = p.text(order.get("reason_cancel_id")) or status or return_status
        events.append(OrderRefunded(placed.order_id, amount=None, full=True, reason=reason))
        return events
    shipped = {
        (p.text(f.get("composite_fulfillment_status")) or "").lower()
        for f in p.objects(order.get("fulfillments"))
    } | {(p.text(order.get("fulfillment_status")) or "").lower()}
    if shipped & GO_SHIPPED or status == "completed":
        events.append(OrderFulfilled(placed.order_id, delivered=bool(shipped & GO_DELIVERED)))
    return events


_TABLE = {
    "orders/create": _order,
    "orders/update": _order,
    "orders/updated": _order,
    "orders/paid": _order,
    "orders/fulfilled": _order,
    "orders/cancelled": _order,
    "products/create": _product,
    "products/update": _product,
    "products/updated": _product,
}


class Sapo:
    name: str = "sapo"
    topics: tuple[str, ...] = (
        "orders/create",
        "orders/updated",
        "orders/paid",
        "orders/fulfilled",
        "orders/cancelled",
        "products/create",
        "products/update",
    )

    def authenticate(self, headers: Headers, body: bytes, secret: str) -> Delivery:
        require_base64_hmac(headers, body, secret, "X-Sapo-Hmac-Sha256")
        topic = header(headers, "X-Sapo-Topic")
        if topic is None:
            raise BadPayload("the X-Sapo-Topic header is missing")
        decode_json(body)
        return Delivery(
            platform=self.name,
            topic=topic.lower(),
            delivery_id=body_id(body),
            test=(header(headers, "X-Sapo-Test") or "").lower() == "true",
            shop=header(headers, "X-Sapo-Shop-Domain", "X-Sapo-Tenant-Domain"),
        )

    def parse(
        self, topic: str, payload: Mapping[str, Any], context: ParseContext
    ) -> list[ConnectorEvent]:
        return parse_with(_TABLE, topic, payload, context)


PLATFORM = Sapo()
