"""HTTP for the referral programme's advocates: the server-to-server API (enrol, read with
clicks, conversions, balance and rewards, block, export, erase, redeem) and the widget's join.
The advocate portal's pages live in rcommerce.portal."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from rcommerce import privacy, ratelimit
from rcommerce.advocates import service
from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Phone
from rcommerce.referrals import clicks, coupons, ledger, personal_data, read_models
from rcommerce.stores.auth import authenticated
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import (
    Doc,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_json,
    runtime_of,
)

Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
JOIN_PER_IP_PER_MINUTE = 10
JOIN_PER_STORE_PER_MINUTE = 600


class AdvocateIn(BaseModel):
    """An e-mail, a phone (any way it is typed: ``0901 234 567``, ``+84 90 123 4567``), or both."""

    model_config = ConfigDict(extra="forbid")
    email: EmailStr | None = None
    phone: Phone | None = None
    name: Name = ""
    locale: Literal["vi", "en"] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> AdvocateIn:
        if self.email is None and self.phone is None:
            raise ValueError("email or phone is required")
        return self


JoinIn = AdvocateIn  # the widget's join takes exactly what the API's enrolment takes


class AdvocateCreated(BaseModel):
    """The advocate (new: 201; the same e-mail or phone again: 200, the same advocate)."""

    id: int
    referral_code: str
    referral_url: str
    friend_coupon_code: str


class Joined(BaseModel):
    """The shopper's referral link and code."""

    referral_code: str
    referral_url: str
    friend_coupon_code: str
    portal_url: str


class RewardPublic(BaseModel):
    id: int
    conversion_id: int
    kind: str
    value: str
    status: str
    coupon_code: str | None
    created_at: str
    issued_at: str | None


class AdvocatePublic(BaseModel):
    """An advocate with clicks, conversions, balance and rewards."""

    id: int
    email: str | None
    phone: str | None = Field(description="E.164 (+84901234567), when the advocate gave one.")
    name: str
    status: str
    referral_code: str
    referral_url: str
    friend_coupon_code: str
    clicks: int
    unique_clicks: int
    clicks_by_channel: dict[str, int]
    conversions: int
    balance: str = Field(
        description="Store credit: the sum of the ledger; negative while the advocate owes a debt."
    )
    points: str
    debt: str = Field(
        description="Store credit owed after a clawback of credit already spent (0.00 when "
        "none): later rewards repay it, and it blocks redemptions until then."
    )
    points_debt: str
    currency: str
    rewards: list[RewardPublic]
    created_at: str


class AdvocateRow(BaseModel):
    id: int
    email: str | None
    phone: str | None
    name: str
    status: str
    referral_code: str
    leaderboard_opt_out: bool
    created_at: str


class AdvocateList(BaseModel):
    """A page of advocates, newest first."""

    advocates: list[AdvocateRow]
    total: int


class AdvocateQuery(BaseModel):
    search: Annotated[str, StringConstraints(max_length=200)] | None = None
    status: Literal["active", "blocked", "opted_out"] | None = None
    limit: Annotated[int, Field(ge=1, le=500)] = 50
    offset: Annotated[int, Field(ge=0)] = 0


class AdvocateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["active", "blocked", "opted_out"] | None = None
    name: Name | None = None
    leaderboard_opt_out: bool | None = None  # kept off the store's public leaderboard


class RedemptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=2)]
    unit: Literal["credit", "points"] = "credit"


class RedemptionOut(BaseModel):
    """The balance was spent: a coupon code for the amount (store credit) and what is left."""

    id: int
    advocate_id: int
    amount: str
    unit: str
    currency: str | None
    coupon_code: str | None
    coupon_kind: str | None = None
    coupon_value: str | None = None
    catalogue_item_id: int | None = None
    balance: str
    created_at: str


class Erased(BaseModel):
    """The person's data is erased; accounting records stay, anonymised."""

    id: int
    status: str


class Export(BaseModel):
    """Everything kept about the advocate."""

    advocate: dict[str, Any]
    store: dict[str, Any]
    clicks: list[dict[str, Any]]
    conversions: list[dict[str, Any]]
    rewards: list[dict[str, Any]]
    ledger: list[dict[str, Any]]
    redemptions: list[dict[str, Any]]
    coupons: list[dict[str, Any]]


def _row(advocate: Advocate) -> AdvocateRow:
    assert advocate.id is not None
    return AdvocateRow(
        id=advocate.id,
        email=advocate.email,
        phone=advocate.phone,
        name=advocate.name,
        status=advocate.status,
        referral_code=advocate.referral_code,
        leaderboard_opt_out=advocate.leaderboard_opt_out,
        created_at=advocate.created_at.isoformat(),
    )


async def create_advocate(request: Request) -> Response:
    data = await read_json(request, AdvocateIn)
    settings = runtime_of(request).settings

    def work(session: Session) -> tuple[AdvocateCreated, bool]:
        store = authenticated(request, session)
        enrolment = service.enrol(
            session=session,
            store=store,
            email=data.email,
            phone=data.phone,
            name=data.name,
            locale=data.locale,
        )
        advocate = enrolment.advocate
        assert advocate.id is not None
        out = AdvocateCreated(
            id=advocate.id,
            referral_code=advocate.referral_code,
            referral_url=service.referral_url(settings, advocate),
            friend_coupon_code=coupons.friend_coupon(session, store, advocate).code,
        )
        return out, enrolment.created

    out, created = await in_transaction(request, work)
    return json_response(out, 201 if created else 200)


async def list_advocates(request: Request) -> Response:
    query = parse_query(request, AdvocateQuery)

    def work(session: Session) -> AdvocateList:
        store = authenticated(request, session)
        rows, total = service.list_advocates(
            session=session,
            store=store,
            search=query.search,
            status=query.status,
            limit=query.limit,
            offset=query.offset,
        )
        return AdvocateList(advocates=[_row(a) for a in rows], total=total)

    return json_response(await in_transaction(request, work, readonly=True))


async def get_advocate(request: Request) -> Response:
    advocate_id = request.path_params["advocate_id"]
    settings = runtime_of(request).settings

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        advocate = service.get_advocate(session, store, advocate_id)
        return read_models.advocate_summary(session, settings, store, advocate)

    return json_response(AdvocatePublic.model_validate(await in_transaction(request, work)))


async def update_advocate(request: Request) -> Response:
    data = await read_json(request, AdvocateUpdate)
    advocate_id = request.path_params["advocate_id"]
    runtime = runtime_of(request)

    def work(session: Session) -> AdvocateRow:
        store = authenticated(request, session)
        advocate = service.update_advocate(
            session=session,
            store=store,
            advocate_id=advocate_id,
            now=runtime.now(),
            status=data.status,
            name=data.name,
            leaderboard_opt_out=data.leaderboard_opt_out,
        )
        return _row(advocate)

    return json_response(await in_transaction(request, work))


async def opt_out(request: Request) -> Response:
    advocate_id = request.path_params["advocate_id"]
    runtime = runtime_of(request)

    def work(session: Session) -> AdvocateRow:
        store = authenticated(request, session)
        advocate = service.set_status(
            session=session, store=store, advocate_id=advocate_id, status="opted_out"
        )
        service.opt_out_of_emails(session=session, advocate=advocate, now=runtime.now())
        return _row(advocate)

    return json_response(await in_transaction(request, work))


async def export_advocate(request: Request) -> Response:
    advocate_id = request.path_params["advocate_id"]
    settings = runtime_of(request).settings

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return personal_data.export(session, settings, store, advocate_id)

    data = await in_transaction(request, work, readonly=True)
    return json_response(
        data,
        headers={"Content-Disposition": f'attachment; filename="advocate-{advocate_id}.json"'},
    )


async def erase_advocate(request: Request) -> Response:
    advocate_id = request.path_params["advocate_id"]
    runtime = runtime_of(request)

    def work(session: Session) -> Erased:
        store = authenticated(request, session)
        advocate = personal_data.erase(
            session=session, store=store, advocate_id=advocate_id, now=runtime.now()
        )
        assert advocate.id is not None
        return Erased(id=advocate.id, status=advocate.status)

    return json_response(await in_transaction(request, work))


async def redeem(request: Request) -> Response:
    data = await read_json(request, RedemptionIn)
    advocate_id = request.path_params["advocate_id"]
    runtime = runtime_of(request)
    key = request.headers.get("idempotency-key", "")

    def work(session: Session) -> ledger.RedemptionAnswer:
        store = authenticated(request, session)
        return ledger.redeem(
            session=session,
            store=store,
            advocate_id=advocate_id,
            amount=data.amount,
            unit=data.unit,
            idempotency_key=key,
            now=runtime.now(),
        )

    answer = await in_transaction(request, work)
    return JSONResponse(answer.body, status_code=answer.status)


async def join(request: Request) -> Response:
    """The widget's join: rate-limited per visitor IP and per store."""
    runtime = runtime_of(request)
    settings = runtime.settings
    publishable_key = request.path_params["publishable_key"]
    ip_hash = privacy.ip_hash(settings, request)
    await ratelimit.hit(
        runtime.cache, "join", ip_hash, limit=JOIN_PER_IP_PER_MINUTE, window=60, when_down="local"
    )
    await ratelimit.hit(
        runtime.cache,
        "join-store",
        publishable_key,
        limit=JOIN_PER_STORE_PER_MINUTE,
        window=60,
        when_down="local",
    )
    data = await read_json(request, JoinIn)
    visitor = (request.headers.get("x-rc-visitor") or "").strip()[:64] or None
    user_agent = request.headers.get("user-agent", "")

    def work(session: Session) -> tuple[Joined, bool]:
        store = store_for_publishable_key(session, publishable_key)
        enrolment = service.enrol(
            session=session,
            store=store,
            email=data.email,
            phone=data.phone,
            name=data.name,
            source="widget",
            locale=data.locale,
            visitor_id=visitor,
            ip_hash=ip_hash,
            user_agent_hash=clicks.ua_hash(settings, user_agent),
        )
        advocate = enrolment.advocate
        joined = Joined(
            referral_code=advocate.referral_code,
            referral_url=service.referral_url(settings, advocate),
            friend_coupon_code=coupons.friend_coupon(session, store, advocate).code,
            portal_url=service.portal_url(settings, store),
        )
        return joined, enrolment.created

    joined, created = await in_transaction(request, work)
    return json_response(joined, 201 if created else 200)


routes = [
    endpoint(
        "/api/v1/advocates",
        create_advocate,
        methods=["POST"],
        doc=Doc(
            "Enrol an advocate by e-mail, phone or both (the same e-mail or phone again returns the "
            "same advocate with 200)",
            tags=["advocates"],
            auth="secret",
            body=AdvocateIn,
            responses={201: AdvocateCreated, 200: AdvocateCreated},
        ),
        name="advocates_create",
    ),
    endpoint(
        "/api/v1/advocates",
        list_advocates,
        doc=Doc(
            "List and search advocates",
            tags=["advocates"],
            auth="secret",
            query=AdvocateQuery,
            responses={200: AdvocateList},
        ),
        name="advocates_list",
    ),
    endpoint(
        "/api/v1/advocates/{advocate_id:int}",
        get_advocate,
        doc=Doc(
            "An advocate with clicks, conversions, balance and rewards",
            tags=["advocates"],
            auth="secret",
            responses={200: AdvocatePublic},
        ),
        name="advocates_get",
    ),
    endpoint(
        "/api/v1/advocates/{advocate_id:int}",
        update_advocate,
        methods=["PATCH"],
        doc=Doc(
            "Block, unblock or rename an advocate, or keep them off the leaderboard",
            tags=["advocates"],
            auth="secret",
            body=AdvocateUpdate,
            responses={200: AdvocateRow},
        ),
        name="advocates_update",
    ),
    endpoint(
        "/api/v1/advocates/{advocate_id:int}",
        erase_advocate,
        methods=["DELETE"],
        doc=Doc(
            "Erase an advocate's personal data (right to erasure)",
            tags=["advocates"],
            auth="secret",
            responses={200: Erased},
        ),
        name="advocates_erase",
    ),
    endpoint(
        "/api/v1/advocates/{advocate_id:int}/export",
        export_advocate,
        doc=Doc(
            "Export everything kept about an advocate (right of access)",
            tags=["advocates"],
            auth="secret",
            responses={200: Export},
        ),
        name="advocates_export",
    ),
    endpoint(
        "/api/v1/advocates/{advocate_id:int}/opt-out",
        opt_out,
        methods=["POST"],
        doc=Doc(
            "The advocate leaves the programme (no more rewards nor e-mails)",
            tags=["advocates"],
            auth="secret",
            responses={200: AdvocateRow},
        ),
        name="advocates_opt_out",
    ),
    endpoint(
        "/api/v1/advocates/{advocate_id:int}/redemptions",
        redeem,
        methods=["POST"],
        doc=Doc(
            "Spend an advocate's balance",
            tags=["advocates"],
            auth="secret",
            body=RedemptionIn,
            headers={"Idempotency-Key": "Required; a repeated key returns the first answer."},
            responses={
                201: RedemptionOut,
                409: "The balance does not cover the amount (insufficient_balance), or the "
                "advocate owes a debt that later rewards must repay first (balance_in_debt).",
            },
        ),
        name="advocates_redeem",
    ),
]

embed_routes = [
    endpoint(
        "/{publishable_key}/advocates",
        join,
        methods=["POST"],
        doc=Doc(
            "Join the referral programme from the widget",
            tags=["embed"],
            auth="publishable",
            body=JoinIn,
            headers={"X-RC-Visitor": "The widget's anonymous visitor id (self-referral checks)."},
            responses={201: Joined, 200: Joined, 429: "Too many joins from this address."},
        ),
        name="embed_join",
    ),
]
