"""HTTP for the store's backend: the catalogue of rewards for points (list, add, change)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.referrals import catalogue
from rcommerce.referrals.models import (
    Catalogue,
    CatalogueItemIn,
    CatalogueItemPublic,
    CatalogueItemUpdate,
)
from rcommerce.stores.auth import authenticated
from rcommerce.web import Doc, endpoint, in_transaction, json_response, read_json, runtime_of


async def list_items(request: Request) -> Response:
    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        found = [catalogue.public(item) for item in catalogue.items(session, store)]
        return Catalogue(items=found).model_dump(mode="json")

    return json_response(await in_transaction(request, work, readonly=True))


async def create_item(request: Request) -> Response:
    data = await read_json(request, CatalogueItemIn)
    now = runtime_of(request).now()

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        item = catalogue.create_item(session=session, store=store, data=data, now=now)
        return catalogue.public(item).model_dump(mode="json")

    return json_response(await in_transaction(request, work), status=201)


async def update_item(request: Request) -> Response:
    data = await read_json(request, CatalogueItemUpdate)
    item_id = request.path_params["item_id"]

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        item = catalogue.update_item(session=session, store=store, item_id=item_id, data=data)
        return catalogue.public(item).model_dump(mode="json")

    return json_response(await in_transaction(request, work))


routes = [
    endpoint(
        "/api/v1/catalogue",
        list_items,
        doc=Doc(
            "The catalogue of rewards for points",
            tags=["coupons"],
            auth="secret",
            responses={200: Catalogue},
        ),
        name="catalogue_list",
    ),
    endpoint(
        "/api/v1/catalogue",
        create_item,
        methods=["POST"],
        doc=Doc(
            "Add a reward for points (a percentage, fixed-amount or free-shipping coupon)",
            tags=["coupons"],
            auth="secret",
            body=CatalogueItemIn,
            responses={201: CatalogueItemPublic, 422: "A field is missing or out of range."},
        ),
        name="catalogue_create",
    ),
    endpoint(
        "/api/v1/catalogue/{item_id:int}",
        update_item,
        methods=["PATCH"],
        doc=Doc(
            "Change a reward for points (active: false withdraws it)",
            tags=["coupons"],
            auth="secret",
            body=CatalogueItemUpdate,
            responses={200: CatalogueItemPublic, 404: "No such item in this store."},
        ),
        name="catalogue_update",
    ),
]
