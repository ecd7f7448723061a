"""WooCommerce webhooks (WooCommerce > Settings > Advanced > Webhooks).

Headers (woocommerce-rest-api-docs, "Webhooks > Delivery/payload"): X-WC-Webhook-Source,
X-WC-Webhook-Topic (``order.updated``), X-WC-Webhook-Resource, X-WC-Webhook-Event,
X-WC-Webhook-Signature = base64(HMAC-SHA256(raw body, webhook secret)), X-WC-Webhook-ID and
X-WC-Webhook-Delivery-ID. The body is the REST API v3 resource. On creation WooCommerce pings
the URL with a form body ``webhook_id=…`` and no signature: answer 200 and store nothing.

WooCommerce has no refund or fulfilment topic: ``order.updated`` carries the order's ``status``
(``completed``, ``cancelled``, ``refunded``) and its ``refunds`` list (``{"id", "total": "-9.00"}``).
"""

from __future__ import annotations

import re
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
    ProductChanged,
)
from rcommerce.connectors.webhooks import (
    Delivery,
    Headers,
    ParseContext,
    body_id,
    decode_json,
    header,
    parse_with,
    require_base64_hmac,
)

_PING = re.compile(rb"^webhook_id=\d+\s*$")
PAID = {"processing", "completed"}
NOT_AN_ORDER_YET = {"checkout-draft", "auto-draft", "trash"}
FULL_REFUND = {"cancelled", "refunded"}


def is_ping(headers: Headers, body: bytes) -> bool:
    """WooCommerce's hello when a webhook is saved: ``webhook_id=123``, form-encoded, unsigned."""
    return header(headers, "X-WC-Webhook-Signature") is None and bool(_PING.match(body.strip()))


def order_placed(order: Mapping[str, Any], context: ParseContext) -> OrderPlaced | None:
    order_id = p.ident(order.get("id"))
    total = p.money(order.get("total"))
    if order_id is None or total is None:
        return None
    billing = p.obj(order.get("billing"))
    shipping = p.obj(order.get("shipping"))
    status = (p.text(order.get("status")) or "").lower()
    return OrderPlaced(
        order_id=order_id,
        number=p.text(order.get("number")) or order_id,
        email=p.first_email(billing.get("email")),
        phone=p.first_phone(
            [
                (billing.get("phone"), billing.get("country")),
                (shipping.get("phone"), shipping.get("country")),
            ],
            context.region,
        ),
        customer_name=p.full_name(billing.get("first_name"), billing.get("last_name"))
        or p.full_name(shipping.get("first_name"), shipping.get("last_name")),
        total=total,
        currency=(p.text(order.get("currency")) or context.currency).upper(),
        placed_at=p.when(order.get("date_created_gmt")) or p.when(order.get("date_created")),
        items=tuple(
            OrderLine(
                product_id=p.ident(item.get("product_id")) or "",
                name=p.text(item.get("name")) or "",
                quantity=p.count(item.get("quantity")),
                price=p.money(item.get("price")),
                sku=p.text(item.get("sku")),
                variant_id=p.ident(item.get("variation_id"))
                if item.get("variation_id") not in (0, "0", None)
                else None,
            )
            for item in p.objects(order.get("line_items"))
        ),
        discount_codes=p.codes(c.get("code") for c in p.objects(order.get("coupon_lines"))),
        referral_token=(
            p.referral_from_attributes(order.get("meta_data"), key_fields=("key",))
            or p.referral_from_note(order.get("customer_note"))
        ),
        paid=status in PAID
        or p.text(order.get("date_paid_gmt") or order.get("date_paid")) is not None,
    )


def order_events(order: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    status = (p.text(order.get("status")) or "").lower()
    if status in NOT_AN_ORDER_YET:
        return [Ignored(f"the order is a {status}, not an order yet")]
    placed = order_placed(order, context)
    if placed is None:
        return [Ignored("the order has no id or no total")]
    events: list[ConnectorEvent] = [placed]
    for refund in p.objects(order.get("refunds")):
        amount = p.money(refund.get("total"))
        events.append(
            OrderRefunded(
                placed.order_id,
                amount=abs(amount) if amount is not None else None,
                full=False,
                refund_id=p.ident(refund.get("id")),
                reason=p.text(refund.get("reason")),
            )
        )
    if status in FULL_REFUND:
        events.append(OrderRefunded(placed.order_id, amount=None, full=True, reason=status))
    elif status == "completed":
        events.append(OrderFulfilled(placed.order_id))
    return events


def product_event(product: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    product_id = p.ident(product.get("id"))
    name = p.text(product.get("name"))
    if product_id is None or name is None:
        return [Ignored("the product has no id or no name")]
    images = p.objects(product.get("images"))
    categories = p.objects(product.get("categories"))
    brands = p.objects(product.get("brands"))
    gtin = p.text(product.get("global_unique_id"))  # WooCommerce 9.2+: GTIN, UPC, EAN or ISBN
    return [
        ProductChanged(
            product_id=product_id,
            name=name,
            url=p.text(product.get("permalink")),
            image_url=p.text(images[0].get("src")) if images else None,
            price=p.money(product.get("price")),
            gtin=gtin if gtin and gtin.isdigit() else None,
            brand=p.text(brands[0].get("name")) if brands else None,
            category=p.text(categories[0].get("name")) if categories else None,
            skus=p.codes([product.get("sku")]),
        )
    ]


def _order(payload: Mapping[str, Any], context: ParseContext) -> list[ConnectorEvent]:
    return order_events(payload, context)


_TABLE = {
    "order.created": _order,
    "order.updated": _order,
    "order.restored": _order,
    "product.created": product_event,
    "product.updated": product_event,
    "product.restored": product_event,
}


class WooCommerce:
    name: str = "woocommerce"
    topics: tuple[str, ...] = (
        "order.created",
        "order.updated",
        "product.created",
        "product.updated",
    )

    def authenticate(self, headers: Headers, body: bytes, secret: str) -> Delivery:
        if is_ping(headers, body):
            return Delivery(platform=self.name, topic="ping", delivery_id=body_id(body), ping=True)
        require_base64_hmac(headers, body, secret, "X-WC-Webhook-Signature")
        decode_json(body)
        topic = header(headers, "X-WC-Webhook-Topic")
        if topic is None:
            resource = header(headers, "X-WC-Webhook-Resource") or ""
            event = header(headers, "X-WC-Webhook-Event") or ""
            topic = f"{resource}.{event}" if resource and event else "unknown"
        return Delivery(
            platform=self.name,
            topic=topic.lower(),
            delivery_id=header(headers, "X-WC-Webhook-Delivery-ID", "X-WC-Delivery-ID")
            or body_id(body),
            shop=header(headers, "X-WC-Webhook-Source"),
        )

    def parse(
        self, topic: str, payload: Mapping[str, Any], context: ParseContext
    ) -> list[ConnectorEvent]:
        return parse_with(_TABLE, topic, payload, context)


PLATFORM = WooCommerce()
