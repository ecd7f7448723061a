"""HTTP for the store's own records (secret key): products, orders, fulfilments and refunds."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.orders import personal_data, service
from rcommerce.orders.models import (
    BuyerIn,
    BuyerOrders,
    BuyerOrdersErased,
    OrderCreate,
    ProductIn,
    ProductKey,
    ProductPublic,
    RefundIn,
)
from rcommerce.stores.auth import authenticated
from rcommerce.web import (
    Doc,
    endpoint,
    in_transaction,
    json_response,
    read_json,
    runtime_of,
    validate,
)


class ProductPath(BaseModel):
    """The product id in the path: the catalogue's key (at most 200 characters)."""

    product_id: ProductKey


class OrderPath(BaseModel):
    order_id: ProductKey


class OrderOut(BaseModel):
    """Whether the order was referred, and what became of its conversion."""

    order_id: str
    attributed: bool
    advocate_id: int | None = None
    conversion_status: str | None = None
    conversion_id: int | None = None
    reasons: list[str] = []
    token_rejected: str | None = Field(
        default=None,
        description="Why the order's referral_token was refused (token_invalid, "
        "token_wrong_store, token_expired): the order was recorded all the same, not "
        "attributed by that token.",
    )


class OrderView(BaseModel):
    """The order as stored: buyer, lines, state, and what the referral programme
    (``attribution``) and review requests (``review_request``) made of it."""

    order_id: str
    number: str | None
    source: str
    email: str | None
    phone: str | None
    customer_name: str
    total: str
    currency: str
    status: str
    refunded_amount: str
    placed_at: str
    fulfilled_at: str | None
    refunded_at: str | None
    coupon_codes: list[str]
    items: list[dict[str, Any]]
    attribution: dict[str, Any] | None = None
    review_request: dict[str, Any] | None = None


class RefundOut(BaseModel):
    """The order is refunded (``status`` ``refunded``) or partly refunded (``refunded_amount``
    below the total); a full refund reverses its conversion and voids or claws back rewards.
    ``duplicate``: this partial refund's id was applied before, nothing changed."""

    order_id: str
    status: str
    refunded_amount: str
    duplicate: bool | None = None
    conversion_status: str | None = None
    balance: str | None = None


class FulfilOut(BaseModel):
    """The order is fulfilled; its review request is scheduled (or why none is)."""

    order_id: str
    fulfilled_at: str
    review_request: dict[str, Any] | None = None
    skipped: str | None = None


def _order_id(request: Request) -> str:
    return validate(OrderPath, request.path_params).order_id


async def put_product(request: Request) -> Response:
    product_id = validate(ProductPath, request.path_params).product_id
    data = await read_json(request, ProductIn)

    def work(session: Session) -> ProductPublic:
        store = authenticated(request, session)
        product = service.upsert_product(
            session=session, store=store, product_id=product_id, data=data
        )
        return ProductPublic.model_validate(product, from_attributes=True)

    return json_response(await in_transaction(request, work))


async def get_product(request: Request) -> Response:
    product_id = validate(ProductPath, request.path_params).product_id

    def work(session: Session) -> ProductPublic:
        store = authenticated(request, session)
        product = service.require_product(session, store, product_id)
        return ProductPublic.model_validate(product, from_attributes=True)

    return json_response(await in_transaction(request, work, readonly=True))


async def post_order(request: Request) -> Response:
    data = await read_json(request, OrderCreate)
    runtime = runtime_of(request)

    def work(session: Session) -> tuple[OrderOut, bool]:
        store = authenticated(request, session)
        order, created = service.record_order(
            session=session, settings=runtime.settings, store=store, data=data, now=runtime.now()
        )
        view = service.describe_order(
            session=session, settings=runtime.settings, store=store, order=order
        )
        attribution = view.get("attribution") or {"attributed": False}
        if not attribution.get("attributed"):
            unattributed = {"order_id": order.order_id, "attributed": False}
            if "token_rejected" in attribution:
                unattributed["token_rejected"] = attribution["token_rejected"]
            return OrderOut.model_validate(unattributed), created
        fields = {k: attribution[k] for k in OrderOut.model_fields if k in attribution}
        return OrderOut.model_validate({**fields, "order_id": order.order_id}), created

    out, created = await in_transaction(request, work)
    body = out.model_dump(mode="json", exclude_unset=not out.attributed)
    return json_response(body, 201 if created else 200)


async def get_order(request: Request) -> Response:
    order_id = _order_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        order = service.require_order(session, store, order_id)
        return service.describe_order(
            session=session, settings=runtime.settings, store=store, order=order
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def buyer_export(request: Request) -> Response:
    data = await read_json(request, BuyerIn)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return personal_data.export(
            session=session, store=store, email=data.email, phone=data.phone
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def buyer_erase(request: Request) -> Response:
    data = await read_json(request, BuyerIn)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        erased = personal_data.erase(
            session=session, store=store, email=data.email, phone=data.phone
        )
        return {"orders": erased}

    return json_response(await in_transaction(request, work))


async def refund_order(request: Request) -> Response:
    order_id = _order_id(request)
    data = await read_json(request, RefundIn, optional=True)
    runtime = runtime_of(request)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        order, answer = service.refund_order(
            session=session,
            store=store,
            order_id=order_id,
            now=runtime.now(),
            amount=data.amount,
            refund_id=data.refund_id,
            reason=data.reason,
        )
        return {
            "order_id": order.order_id,
            "status": order.status,
            "refunded_amount": str(order.refunded_amount),
            **answer,
        }

    return json_response(await in_transaction(request, work))


async def fulfil_order(request: Request) -> Response:
    order_id = _order_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        order, answer = service.fulfil_order(
            session=session, store=store, order_id=order_id, now=runtime.now()
        )
        assert order.fulfilled_at is not None
        return {
            "order_id": order.order_id,
            "fulfilled_at": order.fulfilled_at.isoformat(),
            "review_request": None,
            "skipped": None,
            **answer,
        }

    return json_response(await in_transaction(request, work), 202)


_ORDERS = ["orders"]

routes = [
    endpoint(
        "/api/v1/products/{product_id}",
        put_product,
        methods=["PUT"],
        doc=Doc(
            "Create or update a product",
            tags=["catalogue"],
            auth="secret",
            body=ProductIn,
            responses={200: ProductPublic},
        ),
        name="product_put",
    ),
    endpoint(
        "/api/v1/products/{product_id}",
        get_product,
        doc=Doc("A product", tags=["catalogue"], auth="secret", responses={200: ProductPublic}),
        name="product_get",
    ),
    endpoint(
        "/api/v1/orders",
        post_order,
        methods=["POST"],
        doc=Doc(
            "Record an order and attribute it to an advocate",
            tags=_ORDERS,
            auth="secret",
            body=OrderCreate,
            responses={201: OrderOut, 200: "The order was recorded before (same answer)."},
            description=(
                "Idempotent by order_id. The buyer is known by email, phone (E.164; a number "
                "without its country code is read as Vietnamese) or both. "
                "Attribution by referral_token (the rc_ref), "
                "referral_code or a friend's coupon code. A tampered, expired or foreign "
                "referral_token never loses the order: it is recorded, not attributed by that "
                "token (by the code or coupon when it has one), and token_rejected says why."
            ),
        ),
        name="orders_create",
    ),
    endpoint(
        "/api/v1/orders/privacy/export",
        buyer_export,
        methods=["POST"],
        doc=Doc(
            "The orders placed with one e-mail address or phone number",
            tags=[*_ORDERS, "privacy"],
            auth="secret",
            body=BuyerIn,
            responses={200: BuyerOrders},
            description="email, phone (any way it is typed: 0912 345 678, +84 91 234 5678) "
            "or both; an order placed with either is theirs. The orders' part of "
            "/api/v1/privacy/export, which covers every part of the product.",
        ),
        name="orders_buyer_export",
    ),
    endpoint(
        "/api/v1/orders/privacy/erase",
        buyer_erase,
        methods=["POST"],
        doc=Doc(
            "Remove one e-mail address or phone number from the orders placed with it",
            tags=[*_ORDERS, "privacy"],
            auth="secret",
            body=BuyerIn,
            responses={200: BuyerOrdersErased},
            description="The orders stay, for the store's accounts, without the buyer's "
            "e-mail, phone, name or visitor id. The orders' part of /api/v1/privacy/erase, "
            "which erases the person from every part of the product at once.",
        ),
        name="orders_buyer_erase",
    ),
    endpoint(
        "/api/v1/orders/{order_id}",
        get_order,
        doc=Doc(
            "The order as stored: buyer, lines, attribution and review-request state",
            tags=_ORDERS,
            auth="secret",
            responses={200: OrderView, 404: "No such order."},
        ),
        name="orders_get",
    ),
    endpoint(
        "/api/v1/orders/{order_id}/refund",
        refund_order,
        methods=["POST"],
        doc=Doc(
            "Refund an order: reverse its conversion, void or claw back rewards",
            tags=_ORDERS,
            auth="secret",
            body=RefundIn,
            responses={200: RefundOut},
            description="No body: the whole order (what is left of it). "
            "{amount, refund_id}: a partial refund, applied once per refund_id; one that "
            "covers the rest refunds the order in full.",
        ),
        name="orders_refund",
    ),
    endpoint(
        "/api/v1/orders/{order_id}/fulfil",
        fulfil_order,
        methods=["POST"],
        doc=Doc(
            "Mark an order fulfilled and schedule its review request",
            tags=[*_ORDERS, "reviews"],
            auth="secret",
            responses={202: FulfilOut, 404: "No such order."},
            description="The request goes out after the store's review_request_delay_days: to "
            "the order's phone by Zalo ZNS, then SMS, when those are configured, else by "
            "e-mail with one reminder; its signed link opens a review form for the order's "
            "products and works once. Calling this again changes nothing.",
        ),
        name="order_fulfil",
    ),
]
