"""The order, refund and product JSON that Shopify, Haravan and Sapo Web share.

Haravan and Sapo Web copied Shopify's REST resources; their differences (``created_on`` for
``created_at``, ``cancelled_status``, ``carrier_status_code``, ``alias`` for ``handle``) are read
here too, so each platform module only maps its topics and headers.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rcommerce.connectors import payloads as p
from rcommerce.connectors.events import (
    ConnectorEvent,
    Ignored,
    OrderFulfilled,
    OrderLine,
    OrderPlaced,
    OrderRefunded,
    ProductChanged,
)
from rcommerce.connectors.webhooks import ParseContext

PAID = {"paid", "partially_paid", "partially_refunded", "refunded"}
DELIVERED = {"delivered", "success_delivery"}


def order_placed(order: Mapping[str, Any], context: ParseContext) -> OrderPlaced | None:
    """The order as a record-once OrderPlaced; None when it has no id or no total."""
    order_id = p.ident(order.get("id"))
    total = p.money(order.get("total_price"))
    if total is None:
        total = p.money(order.get("current_total_price"))
    if order_id is None or total is None:
        return None
    customer = p.obj(order.get("customer"))
    billing = p.obj(order.get("billing_address"))
    shipping = p.obj(order.get("shipping_address"))
    default_address = p.obj(customer.get("default_address"))
    number = p.text(order.get("name")) or p.text(order.get("order_number")) or order_id
    return OrderPlaced(
        order_id=order_id,
        number=number,
        email=p.first_email(order.get("email"), order.get("contact_email"), customer.get("email")),
        phone=p.first_phone(
            [
                (order.get("phone"), None),
                (customer.get("phone"), None),
                (billing.get("phone"), billing.get("country_code")),
                (shipping.get("phone"), shipping.get("country_code")),
                (default_address.get("phone"), default_address.get("country_code")),
            ],
            context.region,
        ),
        customer_name=(
            p.full_name(customer.get("first_name"), customer.get("last_name"))
            or p.full_name(billing.get("name"))
            or p.full_name(billing.get("first_name"), billing.get("last_name"))
            or p.full_name(shipping.get("name"))
        ),
        total=total,
        currency=(
            p.text(order.get("currency"))
            or p.text(order.get("presentment_currency"))
            or context.currency
        ).upper(),
        placed_at=p.when(order.get("processed_at"))
        or p.when(order.get("created_at"))
        or p.when(order.get("created_on")),
        items=tuple(order_line(item) for item in p.objects(order.get("line_items"))),
        discount_codes=p.codes(code.get("code") for code in p.objects(order.get("discount_codes"))),
        referral_token=(
            p.referral_from_attributes(order.get("note_attributes"))
            or p.referral_from_url(order.get("landing_site"))
            or p.referral_from_note(order.get("note"))
        ),
        paid=(p.text(order.get("financial_status")) or "").lower() in PAID,
    )


def order_line(item: Mapping[str, Any]) -> OrderLine:
    return OrderLine(
        product_id=p.ident(item.get("product_id")) or "",
        name=p.text(item.get("title")) or p.text(item.get("name")) or "",
        quantity=p.count(item.get("quantity")),
        price=p.money(item.get("price")),
        sku=p.text(item.get("sku")),
        variant_id=p.ident(item.get("variant_id")),
    )


def refund_amount(refund: Mapping[str, Any]) -> Decimal | None:
    """What one refund returned: its successful refund transactions, else its lines and shipping."""
    transactions = [
        t
        for t in p.objects(refund.get("transactions"))
        if (p.text(t.get("kind")) or "").lower() == "refund"
        and (p.text(t.get("status")) or "success").lower() == "success"
    ]
    amounts = [p.money(t.get("amount")) for t in transactions]
    if transactions and all(a is not None for a in amounts):
        return sum((a for a in amounts if a is not None), Decimal(0))
    lines = p.objects(refund.get("refund_line_items"))
    parts = [p.money(line.get("subtotal")) for line in lines]
    if not lines or any(part is None for part in parts):
        return None
    taxes = [p.money(line.get("total_tax")) or Decimal(0) for line in lines]
    shipping = [
        p.money(p.obj(p.obj(line.get("subtotal_amount_set")).get("shop_money")).get("amount"))
        or Decimal(0)
        for line in p.objects(refund.get("refund_shipping_lines"))
    ]
    return sum((a for a in parts if a is not None), Decimal(0)) + sum(taxes) + sum(shipping)


def refund_event(refund: Mapping[str, Any], order_id: str | None = None) -> OrderRefunded | None:
    """A refunds/create payload (or one entry of an order's ``refunds``): a partial refund."""
    order_id = order_id or p.ident(refund.get("order_id"))
    if order_id is None:
        return None
    return OrderRefunded(
        order_id=order_id,
        amount=refund_amount(refund),
        full=False,
        refund_id=p.ident(refund.get("id")),
        reason=p.text(refund.get("note")),
    )


def is_cancelled(order: Mapping[str, Any]) -> bool:
    status = (p.text(order.get("cancelled_status")) or "").lower()
    if status:  # Haravan says "cancelled" / "uncancelled" and keeps cancelled_at after a reopen
        return status == "cancelled"
    return bool(p.text(order.get("cancelled_at")) or p.text(order.get("cancelled_on")))


def is_delivered(order: Mapping[str, Any]) -> bool:
    for fulfilment in p.objects(order.get("fulfillments")):
        status = p.text(fulfilment.get("shipment_status")) or p.text(
            fulfilment.get("carrier_status_code")
        )
        if (status or "").lower() in DELIVERED:
            return True
    return False


def order_events(order: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    """A full order payload: record it, then whatever its state says happened since.

    Each event is idempotent on its own (the order by id, a partial refund by refund id, a
    cancellation or a fulfilment once per order), so any order topic can carry all of them.
    """
    placed = order_placed(order, context)
    if placed is None:
        return [Ignored("the order has no id or no total")]
    events: list[ConnectorEvent] = [placed]
    for refund in p.objects(order.get("refunds")):
        event = refund_event(refund, placed.order_id)
        if event is not None:
            events.append(event)
    financial = (p.text(order.get("financial_status")) or "").lower()
    if is_cancelled(order) or financial in {"refunded", "voided"}:
        reason = p.text(order.get("cancel_reason")) or financial or "cancelled"
        events.append(OrderRefunded(placed.order_id, amount=None, full=True, reason=reason))
    fulfilment = (p.text(order.get("fulfillment_status")) or "").lower()
    delivered = is_delivered(order)
    if fulfilment == "fulfilled" or delivered:
        events.append(OrderFulfilled(placed.order_id, delivered=delivered))
    return events


def fulfilment_events(fulfilment: Mapping[str, Any]) -> list[ConnectorEvent]:
    """A fulfillments/create or /update payload: shipped (``success``) or delivered."""
    order_id = p.ident(fulfilment.get("order_id"))
    if order_id is None:
        return [Ignored("the fulfilment names no order")]
    status = (p.text(fulfilment.get("status")) or "").lower()
    shipment = (p.text(fulfilment.get("shipment_status")) or "").lower()
    if shipment in DELIVERED:
        return [OrderFulfilled(order_id, delivered=True)]
    if status == "success":
        return [OrderFulfilled(order_id)]
    return [Ignored(f"the fulfilment is {status or 'in an unknown state'}, not shipped")]


def product_event(product: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    product_id = p.ident(product.get("id"))
    name = p.text(product.get("title")) or p.text(product.get("name"))
    if product_id is None or name is None:
        return [Ignored("the product has no id or no name")]
    variants = p.objects(product.get("variants"))
    first = variants[0] if variants else {}
    images = p.objects(product.get("images"))
    image = p.obj(product.get("image")) or (images[0] if images else {})
    handle = p.text(product.get("handle")) or p.text(product.get("alias"))
    url = (
        f"{context.shop_url.rstrip('/')}/products/{handle}" if context.shop_url and handle else None
    )
    barcode = p.text(first.get("barcode"))
    category = p.obj(product.get("category"))
    return [
        ProductChanged(
            product_id=product_id,
            name=name,
            url=url,
            image_url=p.text(image.get("src")),
            price=p.money(first.get("price")),
            gtin=barcode if barcode and barcode.isdigit() and 8 <= len(barcode) <= 14 else None,
            brand=p.text(product.get("vendor")),
            category=p.text(category.get("full_name"))
            or p.text(category.get("name"))
            or p.text(product.get("product_type")),
            skus=p.codes(variant.get("sku") for variant in variants),
        )
    ]
