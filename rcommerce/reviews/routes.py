"""HTTP for reviews and testimonials: the store's API (secret key), the widgets' embed API
(publishable key, CORS per store), the review-request form pages and review photos."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, StringConstraints
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from rcommerce import privacy, ratelimit, signing
from rcommerce.errors import ApiError, InvalidInput, NotFound
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, ProductKey
from rcommerce.reviews import aggregates, imports, markup, moderation, photos, requests, service
from rcommerce.reviews.i18n import strings
from rcommerce.reviews.models import STORE_SUBJECT
from rcommerce.runtime import Runtime
from rcommerce.stores.auth import authenticated
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.templating import render
from rcommerce.web import (
    Doc,
    content_etag,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_body,
    read_json,
    revalidated,
    runtime_of,
)

READ_CACHE_TTL = 300
CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=60"
SUBMIT_PER_IP = (10, 600)  # (requests, seconds)
SUBMIT_PER_EMAIL = (5, 3600)
PHOTOS_PER_IP = (20, 600)
VOTES_PER_IP = (60, 60)
REPORTS_PER_IP = (20, 3600)
TESTIMONIALS_PER_IP = (5, 3600)
READS_PER_IP = (600, 60)
FORM_PER_IP = (30, 600)


# ---- small shapes --------------------------------------------------------------------------


class ApiReviewIn(BaseModel):
    """A review sent by the store's backend; verified when order_id is one of this buyer's."""

    model_config = ConfigDict(extra="forbid")
    product_id: ProductKey | None = None
    rating: service.Rating
    body: service.Body
    name: service.Name
    email: EmailStr
    title: service.Text200 = ""
    order_id: ProductKey | None = None
    testimonial_consent: bool = False


class EmailIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr


class ImportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: Literal["judgeme", "yotpo", "generic"] = "generic"


class ImportOut(BaseModel):
    """Rows imported, rows already imported before, and every failed row with its reasons."""

    format: str
    imported: int
    unchanged: int
    failed: list[dict[str, Any]]


class ExportQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["received", "published", "pending", "rejected", "unpublished"] | None = None


class TestimonialQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["received", "published", "pending", "rejected", "unpublished"] | None = None


class PersonExport(BaseModel):
    email: str
    reviews: list[dict[str, Any]]
    testimonials: list[dict[str, Any]]
    review_requests: list[dict[str, Any]]


class PersonErased(BaseModel):
    reviews: int
    testimonials: int
    review_requests: int


class PhotoOut(BaseModel):
    """The stored photo; pass its id in the review's photo_ids."""

    id: str
    width: int
    height: int


class JsonLd(BaseModel):
    """schema.org Product with AggregateRating and Review (JSON-LD)."""

    model_config = ConfigDict(extra="allow")


# ---- helpers -------------------------------------------------------------------------------


async def _limit(
    runtime: Runtime, scope: str, key: str, rule: tuple[int, int], *, reads: bool = False
) -> None:
    """Reads go unlimited while Redis is unavailable; writes are counted in process memory."""
    when_down: ratelimit.WhenDown = "open" if reads else "local"
    await ratelimit.hit(
        runtime.cache, scope, key, limit=rule[0], window=rule[1], when_down=when_down
    )


def _pk(request: Request) -> str:
    return str(request.path_params["publishable_key"])


def _review_id(request: Request) -> int:
    return int(request.path_params["review_id"])


def _base(request: Request) -> str:
    return runtime_of(request).settings.base_url


async def _cached(
    request: Request,
    product_id: str,
    build: Callable[[Session, Store], tuple[bytes, str]],
) -> Response:
    """A widget read: served from the cache keyed by the product's version, with an ETag."""
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "reviews-read", ip, READS_PER_IP, reads=True)
    pk = _pk(request)
    # The embed CORS policy has already resolved the publishable key (rcommerce.embed.cors).
    store_id: int | None = getattr(request.state, "store_id", None)
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    digest = hashlib.sha1(f"{request.url.path}?{query}".encode(), usedforsecurity=False).hexdigest()
    cached: bytes | None = None
    key = ""
    if store_id is not None:
        key, cached = await runtime.cache.call(_lookup, runtime, store_id, product_id, digest)
    if cached is None:

        def work(session: Session) -> tuple[int, bytes, str]:
            store = store_for_publishable_key(session, pk)
            assert store.id is not None
            body, media_type = build(session, store)
            return store.id, body, media_type

        store_id, body, media_type = await in_transaction(request, work, readonly=True)
        assert store_id is not None
        meta = {"e": content_etag(body), "t": media_type}
        cached = json.dumps(meta).encode() + b"\n" + body
        await runtime.cache.call(_keep, runtime, key, store_id, product_id, digest, cached)
    head, _, body = cached.partition(b"\n")
    info = json.loads(head)
    return revalidated(
        request, body, etag=info["e"], media_type=info["t"], cache_control=CACHE_CONTROL
    )


def _read_key(runtime: Runtime, store_id: int, product_id: str, digest: str) -> str:
    version = aggregates.version(runtime, store_id, product_id)
    return f"reviews:c:{store_id}:{version}:{digest}"


def _lookup(
    runtime: Runtime, store_id: int, product_id: str, digest: str
) -> tuple[str, bytes | None]:
    """The cache key of a widget read (the product's current version in it) and its entry."""
    key = _read_key(runtime, store_id, product_id, digest)
    return key, runtime.cache.get(key)


def _keep(
    runtime: Runtime, key: str, store_id: int, product_id: str, digest: str, entry: bytes
) -> None:
    runtime.cache.set(
        key or _read_key(runtime, store_id, product_id, digest), entry, READ_CACHE_TTL
    )


def _json_bytes(data: Any) -> bytes:
    if isinstance(data, BaseModel):
        return data.model_dump_json().encode()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


# ---- the store's API -----------------------------------------------------------------------


async def create_review_api(request: Request) -> Response:
    data = await read_json(request, ApiReviewIn)
    runtime = runtime_of(request)

    def work(session: Session) -> service.Accepted:
        store = authenticated(request, session)
        if data.order_id is not None:
            order = orders.require_order(session, store, data.order_id)
            if order.email != orders.normalise_email(data.email):
                raise InvalidInput("order_id belongs to another e-mail address.")
        review = service.submit_review(
            session=session,
            store=store,
            product_id=data.product_id,
            rating=data.rating,
            body=data.body,
            name=data.name,
            email=data.email,
            title=data.title,
            source="api",
            testimonial_consent=data.testimonial_consent,
            now=runtime.now(),
        )
        assert review.id is not None
        return service.Accepted(id=review.id, status=review.status)

    return json_response(await in_transaction(request, work), 202)


async def list_reviews(request: Request) -> Response:
    query = parse_query(request, service.AdminReviewQuery)
    base = _base(request)

    def work(session: Session) -> service.ReviewAdminPage:
        store = authenticated(request, session)
        rows, cursor = service.list_admin(session=session, store=store, query=query)
        return service.ReviewAdminPage(reviews=service.admins(session, rows, base), next=cursor)

    return json_response(await in_transaction(request, work, readonly=True))


async def get_review(request: Request) -> Response:
    review_id = _review_id(request)
    base = _base(request)

    def work(session: Session) -> service.ReviewAdmin:
        store = authenticated(request, session)
        review = service.get_review(session, store, review_id)
        return service.admin(session, review, base, with_decisions=True)

    return json_response(await in_transaction(request, work, readonly=True))


async def patch_review(request: Request) -> Response:
    data = await read_json(request, service.StatusUpdate)
    review_id = _review_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> service.ReviewAdmin:
        store = authenticated(request, session)
        review = service.manager_update(
            session=session, store=store, review_id=review_id, data=data, now=runtime.now()
        )
        return service.admin(session, review, runtime.settings.base_url, with_decisions=True)

    return json_response(await in_transaction(request, work))


async def put_reply(request: Request) -> Response:
    data = await read_json(request, service.ReplyIn)
    return await _reply(request, data.body)


async def delete_reply(request: Request) -> Response:
    return await _reply(request, None)


async def _reply(request: Request, body: str | None) -> Response:
    review_id = _review_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> service.ReviewAdmin:
        store = authenticated(request, session)
        review = service.set_reply(
            session=session, store=store, review_id=review_id, body=body, now=runtime.now()
        )
        return service.admin(session, review, runtime.settings.base_url)

    return json_response(await in_transaction(request, work))


async def feature(request: Request) -> Response:
    review_id = _review_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> tuple[service.TestimonialAdmin, bool]:
        store = authenticated(request, session)
        row, created = service.feature_review(
            session=session, store=store, review_id=review_id, now=runtime.now()
        )
        return service.testimonial_admin(row), created

    out, created = await in_transaction(request, work)
    return json_response(out, 201 if created else 200)


async def import_reviews(request: Request) -> Response:
    query = parse_query(request, ImportQuery)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("text/csv", "application/csv", "text/plain"):
        raise ApiError(
            "Send the CSV file as the body with 'Content-Type: text/csv'.",
            code="unsupported_media_type",
            status=415,
        )
    runtime = runtime_of(request)
    raw = await read_body(request, limit=max(runtime.settings.max_upload_bytes, 1_000_000))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The CSV file must be UTF-8 encoded.") from None

    def work(session: Session) -> ImportOut:
        store = authenticated(request, session)
        report = imports.import_csv(
            session=session, store=store, text=text, fmt=query.format, now=runtime.now()
        )
        return ImportOut(**report.as_dict())

    return json_response(await in_transaction(request, work))


async def export_reviews(request: Request) -> Response:
    query = parse_query(request, ExportQuery)

    def work(session: Session) -> str:
        store = authenticated(request, session)
        return imports.export_csv(session, store, query.status)

    text = await in_transaction(request, work, readonly=True)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="reviews.csv"'},
    )


async def person_export(request: Request) -> Response:
    data = await read_json(request, EmailIn)
    base = _base(request)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return service.person_export(session=session, store=store, email=data.email, base_url=base)

    return json_response(await in_transaction(request, work, readonly=True))


async def person_erase(request: Request) -> Response:
    data = await read_json(request, EmailIn)
    settings = runtime_of(request).settings

    def work(session: Session) -> dict[str, int]:
        store = authenticated(request, session)
        return service.person_erase(
            session=session, store=store, email=data.email, settings=settings
        )

    return json_response(await in_transaction(request, work))


async def list_testimonials_admin(request: Request) -> Response:
    query = parse_query(request, TestimonialQuery)

    def work(session: Session) -> service.TestimonialAdminList:
        store = authenticated(request, session)
        rows = service.all_testimonials(session, store, query.status)
        return service.TestimonialAdminList(
            testimonials=[service.testimonial_admin(r) for r in rows]
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def patch_testimonial(request: Request) -> Response:
    data = await read_json(request, service.TestimonialUpdate)
    testimonial_id = int(request.path_params["testimonial_id"])
    runtime = runtime_of(request)

    def work(session: Session) -> service.TestimonialAdmin:
        store = authenticated(request, session)
        row = service.update_testimonial(
            session=session,
            store=store,
            testimonial_id=testimonial_id,
            data=data,
            now=runtime.now(),
        )
        return service.testimonial_admin(row)

    return json_response(await in_transaction(request, work))


# ---- widgets (embed API) -------------------------------------------------------------------


async def embed_reviews(request: Request) -> Response:
    product_id = str(request.path_params.get("product_id", STORE_SUBJECT))
    query = parse_query(request, service.ReviewQuery)
    base = _base(request)

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        page = service.review_page(
            session=session, store=store, product_id=product_id, query=query, base_url=base
        )
        return _json_bytes(page.model_dump(mode="json", exclude_none=False)), "application/json"

    return await _cached(request, product_id, build)


async def embed_summary(request: Request) -> Response:
    product_id = str(request.path_params["product_id"])

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        assert store.id is not None
        orders.require_product(session, store, product_id)
        summary = service.Summary(**aggregates.summary(session, store.id, product_id))
        return _json_bytes(summary), "application/json"

    return await _cached(request, product_id, build)


def _jsonld(session: Session, store: Store, product_id: str) -> dict[str, Any]:
    assert store.id is not None
    product = orders.require_product(session, store, product_id)
    rows, _ = service.list_published(
        session=session,
        store=store,
        product_id=product_id,
        query=service.ReviewQuery(limit=markup.MAX_MARKED_REVIEWS),
    )
    return markup.product_jsonld(
        store=store,
        product=product,
        summary=aggregates.summary(session, store.id, product_id),
        reviews=rows,
    )


async def embed_jsonld(request: Request) -> Response:
    product_id = str(request.path_params["product_id"])

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        return _json_bytes(_jsonld(session, store, product_id)), "application/ld+json"

    return await _cached(request, product_id, build)


async def embed_snippet(request: Request) -> Response:
    product_id = str(request.path_params["product_id"])

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        tag = markup.script_tag(_jsonld(session, store, product_id))
        return tag.encode(), "text/html; charset=utf-8"

    return await _cached(request, product_id, build)


async def embed_submit(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "review-submit-ip", ip, SUBMIT_PER_IP)
    data = await read_json(request, service.ReviewIn)
    await _limit(
        runtime,
        "review-submit-email",
        privacy.keyed_hash(runtime.settings, "email", orders.normalise_email(data.email)),
        SUBMIT_PER_EMAIL,
    )
    pk = _pk(request)

    def work(session: Session) -> service.Accepted:
        store = store_for_publishable_key(session, pk)
        now = runtime.now()
        review_request = None
        if data.token:
            review_request = requests.claim(
                session,
                runtime.settings,
                data.token,
                store=store,
                email=data.email,
                product_id=data.product_id or STORE_SUBJECT,
                now=now,
            )
        review = service.submit_review(
            session=session,
            store=store,
            product_id=data.product_id,
            rating=data.rating,
            body=data.body,
            name=data.name,
            email=data.email,
            title=data.title,
            source="email" if review_request else "widget",
            ip_hash=ip,
            honeypot=bool(data.website.strip()),
            photo_ids=data.photo_ids,
            testimonial_consent=data.testimonial_consent,
            request=review_request,
            now=now,
        )
        assert review.id is not None
        return service.Accepted(id=review.id, status=review.status)

    return json_response(await in_transaction(request, work), 202)


async def embed_photo(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "review-photo-ip", ip, PHOTOS_PER_IP)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type.startswith("image/"):
        raise ApiError(
            "Send the photo itself as the body with an image/* Content-Type.",
            code="unsupported_media_type",
            status=415,
        )
    data = await read_body(request, limit=runtime.settings.max_upload_bytes)
    pk = _pk(request)
    # Decoding an image is CPU work: off the event loop, before the transaction.
    jpeg, width, height = await run_in_threadpool(photos.process, runtime.settings, data)

    def work(session: Session) -> PhotoOut:
        photo = service.store_photo(
            session=session,
            store=store_for_publishable_key(session, pk),
            settings=runtime.settings,
            jpeg=jpeg,
            width=width,
            height=height,
            ip_hash=ip,
            now=runtime.now(),
        )
        return PhotoOut(id=photo.id, width=width, height=height)

    return json_response(await in_transaction(request, work), 201)


def _visitor(request: Request, runtime: Runtime, store_id: int) -> str:
    visitor = request.headers.get("x-rc-visitor", "").strip()[:64]
    who = f"v:{visitor}" if visitor else f"ip:{privacy.client_ip(request)}"
    return privacy.keyed_hash(runtime.settings, "voter", f"{store_id}:{who}")


async def embed_vote(request: Request) -> Response:
    runtime = runtime_of(request)
    await _limit(
        runtime, "review-vote-ip", privacy.ip_hash(runtime.settings, request), VOTES_PER_IP
    )
    data = await read_json(request, service.VoteIn)
    pk, review_id = _pk(request), _review_id(request)

    def work(session: Session) -> service.VoteOut:
        store = store_for_publishable_key(session, pk)
        assert store.id is not None
        review = service.vote(
            session=session,
            store=store,
            review_id=review_id,
            voter=_visitor(request, runtime, store.id),
            helpful=data.helpful,
        )
        return service.VoteOut(helpful=review.helpful_count, not_helpful=review.not_helpful_count)

    return json_response(await in_transaction(request, work))


async def embed_report(request: Request) -> Response:
    runtime = runtime_of(request)
    await _limit(
        runtime, "review-report-ip", privacy.ip_hash(runtime.settings, request), REPORTS_PER_IP
    )
    data = await read_json(request, service.ReportIn)
    pk, review_id = _pk(request), _review_id(request)

    def work(session: Session) -> None:
        store = store_for_publishable_key(session, pk)
        assert store.id is not None
        service.report(
            session=session,
            store=store,
            review_id=review_id,
            reporter=_visitor(request, runtime, store.id),
            data=data,
        )

    await in_transaction(request, work)
    return json_response({"status": "received"}, 202)


async def embed_testimonials(request: Request) -> Response:
    def build(session: Session, store: Store) -> tuple[bytes, str]:
        rows = service.published_testimonials(session, store)
        out = service.TestimonialList(testimonials=[service.testimonial_public(r) for r in rows])
        return _json_bytes(out.model_dump(mode="json")), "application/json"

    return await _cached(request, aggregates.TESTIMONIALS, build)


async def embed_submit_testimonial(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "testimonial-submit-ip", ip, TESTIMONIALS_PER_IP)
    data = await read_json(request, service.TestimonialIn)
    pk = _pk(request)

    def work(session: Session) -> service.Accepted:
        store = store_for_publishable_key(session, pk)
        row = service.submit_testimonial(
            session=session, store=store, data=data, ip_hash=ip, now=runtime.now()
        )
        assert row.id is not None
        return service.Accepted(id=row.id, status=row.status)

    return json_response(await in_transaction(request, work), 202)


# ---- pages: the review form of a review-request e-mail, unsubscribe, photos ----------------


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    response = HTMLResponse(render(template, **context), status_code=status)
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the URL carries the token
    return response


def _link_error(exc: ApiError, locale: str | None) -> HTMLResponse:
    t = strings(locale)
    kind = {"link_used": "used", "token_expired": "expired"}.get(exc.code, "invalid")
    return _page(
        "reviews/message.html",
        exc.status,
        lang=locale or "vi",
        title=t[f"{kind}_title"],
        body=t[f"{kind}_body"],
        action=None,
    )


async def write_form(request: Request) -> Response:
    runtime = runtime_of(request)
    token = str(request.path_params["token"])
    try:
        form = await in_transaction(
            request,
            lambda s: requests.open_form(s, runtime.settings, token, runtime.now()),
            readonly=True,
        )
    except ApiError as exc:
        return _link_error(exc, None)
    return _write_page(request, form.store, form.order, form.items, {}, None, 200)


def _write_page(
    request: Request,
    store: Store,
    order: Order,
    items: list[requests.FormItem],
    values: dict[str, str],
    error: str | None,
    status: int,
) -> HTMLResponse:
    return _page(
        "reviews/write.html",
        status,
        lang=store.locale,
        t=strings(store.locale),
        store=store,
        order=order,
        items=items,
        name=order.customer_name,
        values=values,
        error=error,
        action=str(request.url.path),
    )


_FORM_FIELD = re.compile(r"(product|rating|title|body)-([0-9]{1,3})")


def _form_answers(values: dict[str, str]) -> service.FormAnswers:
    """The review form's fields (``rating-0``, ``body-0``, ... one group a product)."""
    groups: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        match = _FORM_FIELD.fullmatch(key)
        if match is not None:
            groups.setdefault(int(match[2]), {})[match[1]] = value
    entries = []
    for i in range(max(groups, default=-1) + 1):
        group = groups.get(i, {})
        entries.append(
            service.FormEntry(
                product_id=group.get("product", ""),
                rating=group.get("rating", ""),
                title=group.get("title", ""),
                body=group.get("body", ""),
            )
        )
    return service.FormAnswers(
        entries=entries,
        name=values.get("name", ""),
        honeypot=bool(values.get("website", "").strip()),
        testimonial_consent=values.get("consent") == "1",
    )


async def write_submit(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "review-form-ip", ip, FORM_PER_IP)
    token = str(request.path_params["token"])
    posted: FormData = await request.form(max_files=0, max_fields=200, max_part_size=20_000)
    values = {k: v for k, v in posted.items() if isinstance(v, str)}
    answers = _form_answers(values)

    def work(session: Session) -> tuple[requests.Form, bool]:
        form, reviews = service.submit_request_form(
            session=session,
            settings=runtime.settings,
            token=token,
            answers=answers,
            ip_hash=ip,
            now=runtime.now(),
        )
        return form, bool(reviews)

    try:
        form, submitted = await in_transaction(request, work)
    except ApiError as exc:
        if exc.code in ("link_used", "token_expired", "token_invalid"):
            return _link_error(exc, None)
        raise
    store, t = form.store, strings(form.store.locale)
    if not submitted:
        return _write_page(request, store, form.order, form.items, values, t["need_one"], 422)
    return _page(
        "reviews/message.html",
        200,
        lang=store.locale,
        title=t["thanks_title"],
        body=t["thanks_body"],
        action=None,
    )


async def unsubscribe_page(request: Request) -> Response:
    runtime = runtime_of(request)
    token = str(request.path_params["token"])
    try:
        store_id, email = requests.read_unsubscribe(runtime.settings, token)
    except ApiError as exc:
        return _link_error(exc, None)

    def load(session: Session) -> Store | None:
        return session.get(Store, store_id)

    store = await in_transaction(request, load, readonly=True)
    if store is None:
        return _link_error(signing.TokenInvalid("unknown store"), None)
    t = strings(store.locale)
    if request.method == "POST":

        def work(session: Session) -> None:
            requests.opt_out(session=session, store_id=store_id, email=email, now=runtime.now())

        await in_transaction(request, work)
        return _page(
            "reviews/message.html",
            200,
            lang=store.locale,
            title=t["unsub_title"],
            body=t["unsub_done"].format(store=store.name),
            action=None,
        )
    # A GET only asks: mail scanners follow links, and must not unsubscribe anyone.
    return _page(
        "reviews/message.html",
        200,
        lang=store.locale,
        title=t["unsub_title"],
        body=t["unsub_body"].format(store=store.name),
        action=str(request.url.path),
        button=t["unsub_confirm"],
    )


async def photo_file(request: Request) -> Response:
    runtime = runtime_of(request)
    photo_id = str(request.path_params["photo_id"])
    if len(photo_id) != 32 or not all(c in "0123456789abcdef" for c in photo_id):
        raise NotFound("No such photo.")

    photo = await in_transaction(
        request, lambda session: service.published_photo(session, photo_id), readonly=True
    )
    path = photos.photo_path(runtime.settings, photo)
    if not path.exists():
        raise NotFound("No such photo.")
    return FileResponse(
        path,
        media_type="image/jpeg",
        headers={"Cache-Control": "public, max-age=86400", "Content-Security-Policy": "sandbox"},
    )


# ---- declarations --------------------------------------------------------------------------

_T = ["reviews"]
_TT = ["testimonials"]

Token = Annotated[str, StringConstraints(max_length=1000)]

routes = [
    endpoint(
        "/api/v1/reviews",
        list_reviews,
        doc=Doc(
            "Reviews of the store, newest first (every status)",
            tags=_T,
            auth="secret",
            query=service.AdminReviewQuery,
            responses={200: service.ReviewAdminPage},
        ),
        name="reviews_list",
    ),
    endpoint(
        "/api/v1/reviews",
        create_review_api,
        methods=["POST"],
        doc=Doc(
            "Submit a review from the store's backend (moderated like any other)",
            tags=_T,
            auth="secret",
            body=ApiReviewIn,
            responses={202: service.Accepted},
        ),
        name="reviews_create",
    ),
    endpoint(
        "/api/v1/reviews/{review_id:int}",
        get_review,
        doc=Doc(
            "One review with its audit trail",
            tags=_T,
            auth="secret",
            responses={200: service.ReviewAdmin},
        ),
        name="review_get",
    ),
    endpoint(
        "/api/v1/reviews/{review_id:int}",
        patch_review,
        methods=["PATCH"],
        doc=Doc(
            "Approve, reject or unpublish a review",
            tags=_T,
            auth="secret",
            body=service.StatusUpdate,
            responses={200: service.ReviewAdmin},
            description="Rejecting or unpublishing needs a reason from: "
            + ", ".join(f"{k} ({v})" for k, v in moderation.REJECT_REASONS.items())
            + ". Being negative is not a reason. Every decision is kept in the audit trail.",
        ),
        name="review_patch",
    ),
    endpoint(
        "/api/v1/reviews/{review_id:int}/reply",
        put_reply,
        methods=["PUT"],
        doc=Doc(
            "Set the store's public reply to a review",
            tags=_T,
            auth="secret",
            body=service.ReplyIn,
            responses={200: service.ReviewAdmin},
        ),
        name="review_reply",
    ),
    endpoint(
        "/api/v1/reviews/{review_id:int}/reply",
        delete_reply,
        methods=["DELETE"],
        doc=Doc(
            "Remove the store's public reply",
            tags=_T,
            auth="secret",
            responses={200: service.ReviewAdmin},
        ),
        name="review_reply_delete",
    ),
    endpoint(
        "/api/v1/reviews/{review_id:int}/testimonial",
        feature,
        methods=["POST"],
        doc=Doc(
            "Feature a published review as a testimonial (needs its author's consent)",
            tags=_T + _TT,
            auth="secret",
            responses={201: service.TestimonialAdmin, 200: service.TestimonialAdmin},
        ),
        name="review_feature",
    ),
    endpoint(
        "/api/v1/reviews/import",
        import_reviews,
        methods=["POST"],
        doc=Doc(
            "Import reviews from a CSV file (Judge.me, Yotpo or the generic format)",
            tags=_T,
            auth="secret",
            body_type="text/csv",
            query=ImportQuery,
            responses={200: ImportOut},
            description="Valid rows are kept; failed rows are listed with their line number "
            "and reasons. Importing the same file again changes nothing.",
        ),
        name="reviews_import",
    ),
    endpoint(
        "/api/v1/reviews/export",
        export_reviews,
        doc=Doc(
            "Export reviews as CSV (the generic import format)",
            tags=_T,
            auth="secret",
            query=ExportQuery,
            responses={200: "text/csv"},
        ),
        name="reviews_export",
    ),
    endpoint(
        "/api/v1/reviews/privacy/export",
        person_export,
        methods=["POST"],
        doc=Doc(
            "Everything kept about one e-mail address in reviews and testimonials",
            tags=[*_T, "privacy"],
            auth="secret",
            body=EmailIn,
            responses={200: PersonExport},
        ),
        name="reviews_person_export",
    ),
    endpoint(
        "/api/v1/reviews/privacy/erase",
        person_erase,
        methods=["POST"],
        doc=Doc(
            "Erase one e-mail address's reviews, photos, testimonials and review requests",
            tags=[*_T, "privacy"],
            auth="secret",
            body=EmailIn,
            responses={200: PersonErased},
        ),
        name="reviews_person_erase",
    ),
    endpoint(
        "/api/v1/testimonials",
        list_testimonials_admin,
        doc=Doc(
            "Testimonials of the store in display order",
            tags=_TT,
            auth="secret",
            query=TestimonialQuery,
            responses={200: service.TestimonialAdminList},
        ),
        name="testimonials_list",
    ),
    endpoint(
        "/api/v1/testimonials/{testimonial_id:int}",
        patch_testimonial,
        methods=["PATCH"],
        doc=Doc(
            "Approve, reject, unpublish or reorder a testimonial",
            tags=_TT,
            auth="secret",
            body=service.TestimonialUpdate,
            responses={200: service.TestimonialAdmin},
        ),
        name="testimonial_patch",
    ),
    endpoint(
        "/reviews/write/{token}",
        write_form,
        doc=Doc(
            "The review form of a review-request e-mail (HTML)",
            tags=["pages"],
            responses={200: "text/html", 400: "Invalid or expired link.", 410: "Link used."},
        ),
        name="review_form",
    ),
    endpoint(
        "/reviews/write/{token}",
        write_submit,
        methods=["POST"],
        doc=Doc(
            "Send the review form (HTML form post); spends the link",
            tags=["pages"],
            body_type="application/x-www-form-urlencoded",
            responses={200: "text/html", 410: "Link used."},
        ),
        name="review_form_submit",
    ),
    endpoint(
        "/reviews/unsubscribe/{token}",
        unsubscribe_page,
        methods=["GET", "POST"],
        doc=Doc(
            "Stop review-request e-mails (GET asks, POST confirms; RFC 8058 one-click)",
            tags=["pages"],
            responses={200: "text/html"},
        ),
        name="review_unsubscribe",
    ),
    endpoint(
        "/media/reviews/{photo_id}.jpg",
        photo_file,
        doc=Doc(
            "A photo of a published review",
            tags=["reviews"],
            responses={200: "image/jpeg", 404: "No such photo."},
        ),
        name="review_photo",
    ),
]

_E = ["embed", "reviews"]
_ET = ["embed", "testimonials"]

embed_routes = [
    endpoint(
        "/{publishable_key}/products/{product_id}/reviews",
        embed_reviews,
        doc=Doc(
            "A product's published reviews with its summary",
            tags=_E,
            auth="publishable",
            query=service.ReviewQuery,
            responses={200: service.ReviewPage, 304: "Not modified (ETag)."},
        ),
        name="embed_reviews",
    ),
    endpoint(
        "/{publishable_key}/products/{product_id}/summary",
        embed_summary,
        doc=Doc(
            "A product's rating summary (star badges)",
            tags=_E,
            auth="publishable",
            responses={200: service.Summary, 304: "Not modified (ETag)."},
        ),
        name="embed_summary",
    ),
    endpoint(
        "/{publishable_key}/products/{product_id}/jsonld",
        embed_jsonld,
        doc=Doc(
            "schema.org Product + AggregateRating + Review as JSON-LD",
            tags=_E,
            auth="publishable",
            responses={200: JsonLd, 304: "Not modified (ETag)."},
        ),
        name="embed_jsonld",
    ),
    endpoint(
        "/{publishable_key}/products/{product_id}/snippet",
        embed_snippet,
        doc=Doc(
            "The JSON-LD as an HTML <script> snippet for server-rendered pages",
            tags=_E,
            auth="publishable",
            responses={200: "text/html", 304: "Not modified (ETag)."},
        ),
        name="embed_snippet",
    ),
    endpoint(
        "/{publishable_key}/store/reviews",
        embed_reviews,
        doc=Doc(
            "The store's own published reviews with their summary",
            tags=_E,
            auth="publishable",
            query=service.ReviewQuery,
            responses={200: service.ReviewPage, 304: "Not modified (ETag)."},
        ),
        name="embed_store_reviews",
    ),
    endpoint(
        "/{publishable_key}/reviews",
        embed_submit,
        methods=["POST"],
        doc=Doc(
            "Submit a review (stored at once; moderated and scored in the background)",
            tags=_E,
            auth="publishable",
            body=service.ReviewIn,
            responses={202: service.Accepted, 429: "Too many submissions."},
            description="Leave product_id out to review the store itself. `token` is the "
            "review-request link's token (verified buyer). `website` must stay empty.",
        ),
        name="embed_review_submit",
    ),
    endpoint(
        "/{publishable_key}/photos",
        embed_photo,
        methods=["POST"],
        doc=Doc(
            "Upload one review photo (the image as the body); use its id in photo_ids",
            tags=_E,
            auth="publishable",
            body_type="image/jpeg",
            responses={201: PhotoOut, 413: "Too large.", 422: "Not an image."},
        ),
        name="embed_photo",
    ),
    endpoint(
        "/{publishable_key}/reviews/{review_id:int}/votes",
        embed_vote,
        methods=["POST"],
        doc=Doc(
            "Helpful / not helpful (one vote per visitor; voting again changes it)",
            tags=_E,
            auth="publishable",
            body=service.VoteIn,
            headers={"X-RC-Visitor": "the widget's anonymous visitor id"},
            responses={200: service.VoteOut},
        ),
        name="embed_vote",
    ),
    endpoint(
        "/{publishable_key}/reviews/{review_id:int}/reports",
        embed_report,
        methods=["POST"],
        doc=Doc(
            "Report a review to the store's managers (never hides it by itself)",
            tags=_E,
            auth="publishable",
            body=service.ReportIn,
            headers={"X-RC-Visitor": "the widget's anonymous visitor id"},
            responses={202: "Received."},
        ),
        name="embed_report",
    ),
    endpoint(
        "/{publishable_key}/testimonials",
        embed_testimonials,
        doc=Doc(
            "The store's published testimonials in display order",
            tags=_ET,
            auth="publishable",
            responses={200: service.TestimonialList, 304: "Not modified (ETag)."},
        ),
        name="embed_testimonials",
    ),
    endpoint(
        "/{publishable_key}/testimonials",
        embed_submit_testimonial,
        methods=["POST"],
        doc=Doc(
            "Submit a testimonial (consent required; published after approval)",
            tags=_ET,
            auth="publishable",
            body=service.TestimonialIn,
            responses={202: service.Accepted},
        ),
        name="embed_testimonial_submit",
    ),
]
