"""HTTP for a person's data requests, as the app loads it: one export and one erasure across
every package (secret key)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.data_requests import service
from rcommerce.data_requests.models import PersonErased, PersonExport, PersonIn
from rcommerce.identity import Person
from rcommerce.stores.auth import authenticated
from rcommerce.web import Doc, endpoint, in_transaction, json_response, read_json, runtime_of


async def _person(request: Request) -> Person:
    data = await read_json(request, PersonIn)
    return Person(email=data.email.strip().lower() if data.email else None, phone=data.phone)


async def export(request: Request) -> Response:
    person = await _person(request)
    settings = runtime_of(request).settings

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return service.export(session=session, settings=settings, store=store, person=person)

    return json_response(await in_transaction(request, work, readonly=True))


async def erase(request: Request) -> Response:
    person = await _person(request)
    runtime = runtime_of(request)

    def work(session: Session) -> dict[str, int]:
        store = authenticated(request, session)
        return service.erase(
            session=session,
            settings=runtime.settings,
            store=store,
            person=person,
            now=runtime.now(),
        )

    return json_response(await in_transaction(request, work))


_T = ["privacy"]
_WHO = (
    "The person is known by email, phone (any way it is typed: 0912 345 678, +84 91 234 5678; "
    "read as Vietnamese without its country code) or both; a record kept under either is theirs. "
    "Only the data of the store whose secret key is sent."
)

routes = [
    endpoint(
        "/api/v1/privacy/export",
        export,
        methods=["POST"],
        doc=Doc(
            "Everything the store keeps about one person, in every part of the product",
            tags=_T,
            auth="secret",
            body=PersonIn,
            responses={200: PersonExport},
            description=_WHO,
        ),
        name="privacy_export",
    ),
    endpoint(
        "/api/v1/privacy/erase",
        erase,
        methods=["POST"],
        doc=Doc(
            "Erase one person from every part of the product, all or nothing",
            tags=_T,
            auth="secret",
            body=PersonIn,
            responses={200: PersonErased},
            description=_WHO
            + " Orders and advocates' money records stay for the store's accounts, without "
            "who they were; reviews, testimonials, review requests, questions and answers go. "
            "Asking again answers zeros.",
        ),
        name="privacy_erase",
    ),
]
