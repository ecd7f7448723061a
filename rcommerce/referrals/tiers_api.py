"""HTTP for the store's backend: the advocate tiers (read, replace)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.referrals import tiers
from rcommerce.referrals.models import Tiers, TiersIn
from rcommerce.stores.auth import authenticated
from rcommerce.web import Doc, endpoint, in_transaction, json_response, read_json


async def get_tiers(request: Request) -> Response:
    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return {"tiers": tiers.public(tiers.tiers(session, store))}

    return json_response(await in_transaction(request, work, readonly=True))


async def put_tiers(request: Request) -> Response:
    data = await read_json(request, TiersIn)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return {"tiers": tiers.public(tiers.replace_tiers(session=session, store=store, data=data))}

    return json_response(await in_transaction(request, work))


routes = [
    endpoint(
        "/api/v1/tiers",
        get_tiers,
        doc=Doc("The advocate tiers", tags=["campaigns"], auth="secret", responses={200: Tiers}),
        name="tiers",
    ),
    endpoint(
        "/api/v1/tiers",
        put_tiers,
        methods=["PUT"],
        doc=Doc(
            "Replace the advocate tiers (names, referred buyers to reach each, reward bonus)",
            tags=["campaigns"],
            auth="secret",
            body=TiersIn,
            responses={200: Tiers, 422: "A tier is malformed or two share a threshold."},
        ),
        name="tiers_replace",
    ),
]
