"""The store's API for reviews and testimonials (secret key, under /api/v1): submit, list, moderate,
reply, feature, import and export, and a person's data."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.errors import ApiError, InvalidInput
from rcommerce.orders.models import BuyerIn
from rcommerce.reviews import (
    imports,
    manage,
    personal_data,
    rules,
    serialise,
    shapes,
    submission,
    testimonials,
)
from rcommerce.stores.auth import authenticated
from rcommerce.web import (
    Doc,
    endpoint,
    in_transaction,
    json_response,
    parse_query,
    read_body,
    read_json,
    runtime_of,
)


def _review_id(request: Request) -> int:
    return int(request.path_params["review_id"])


def _base(request: Request) -> str:
    return runtime_of(request).settings.base_url


async def create_review_api(request: Request) -> Response:
    data = await read_json(request, shapes.ApiReviewIn)
    runtime = runtime_of(request)

    def work(session: Session) -> shapes.Accepted:
        store = authenticated(request, session)
        review = submission.submit_from_store(
            session=session, store=store, data=data, now=runtime.now()
        )
        assert review.id is not None
        return shapes.Accepted(id=review.id, status=review.status)

    return json_response(await in_transaction(request, work), 202)


async def list_reviews(request: Request) -> Response:
    query = parse_query(request, shapes.AdminReviewQuery)
    base = _base(request)

    def work(session: Session) -> shapes.ReviewAdminPage:
        store = authenticated(request, session)
        rows, cursor = manage.list_admin(session=session, store=store, query=query)
        return shapes.ReviewAdminPage(reviews=serialise.admins(session, rows, base), next=cursor)

    return json_response(await in_transaction(request, work, readonly=True))


async def get_review(request: Request) -> Response:
    review_id = _review_id(request)
    base = _base(request)

    def work(session: Session) -> shapes.ReviewAdmin:
        store = authenticated(request, session)
        review = manage.get_review(session, store, review_id)
        return serialise.admin(session, review, base, with_decisions=True)

    return json_response(await in_transaction(request, work, readonly=True))


async def patch_review(request: Request) -> Response:
    data = await read_json(request, shapes.StatusUpdate)
    review_id = _review_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> shapes.ReviewAdmin:
        store = authenticated(request, session)
        review = manage.manager_update(
            session=session, store=store, review_id=review_id, data=data, now=runtime.now()
        )
        return serialise.admin(session, review, runtime.settings.base_url, with_decisions=True)

    return json_response(await in_transaction(request, work))


async def put_reply(request: Request) -> Response:
    data = await read_json(request, shapes.ReplyIn)
    return await _reply(request, data.body)


async def delete_reply(request: Request) -> Response:
    return await _reply(request, None)


async def _reply(request: Request, body: str | None) -> Response:
    review_id = _review_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> shapes.ReviewAdmin:
        store = authenticated(request, session)
        review = manage.set_reply(
            session=session, store=store, review_id=review_id, body=body, now=runtime.now()
        )
        return serialise.admin(session, review, runtime.settings.base_url)

    return json_response(await in_transaction(request, work))


async def feature(request: Request) -> Response:
    review_id = _review_id(request)
    runtime = runtime_of(request)

    def work(session: Session) -> tuple[shapes.TestimonialAdmin, bool]:
        store = authenticated(request, session)
        row, created = manage.feature_review(
            session=session, store=store, review_id=review_id, now=runtime.now()
        )
        return serialise.testimonial_admin(row), created

    out, created = await in_transaction(request, work)
    return json_response(out, 201 if created else 200)


async def import_reviews(request: Request) -> Response:
    query = parse_query(request, shapes.ImportQuery)
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

    def work(session: Session) -> shapes.ImportOut:
        store = authenticated(request, session)
        report = imports.import_csv(
            session=session, store=store, text=text, fmt=query.format, now=runtime.now()
        )
        return shapes.ImportOut(**report.as_dict())

    return json_response(await in_transaction(request, work))


async def export_reviews(request: Request) -> Response:
    query = parse_query(request, shapes.ExportQuery)

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
    data = await read_json(request, BuyerIn)
    base = _base(request)

    def work(session: Session) -> dict[str, Any]:
        store = authenticated(request, session)
        return personal_data.person_export(
            session=session, store=store, email=data.email, phone=data.phone, base_url=base
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def person_erase(request: Request) -> Response:
    data = await read_json(request, BuyerIn)
    settings = runtime_of(request).settings

    def work(session: Session) -> dict[str, int]:
        store = authenticated(request, session)
        return personal_data.person_erase(
            session=session, store=store, email=data.email, phone=data.phone, settings=settings
        )

    return json_response(await in_transaction(request, work))


async def list_testimonials_admin(request: Request) -> Response:
    query = parse_query(request, shapes.TestimonialQuery)

    def work(session: Session) -> shapes.TestimonialAdminList:
        store = authenticated(request, session)
        rows = testimonials.all_testimonials(session, store, query.status)
        return shapes.TestimonialAdminList(
            testimonials=[serialise.testimonial_admin(r) for r in rows]
        )

    return json_response(await in_transaction(request, work, readonly=True))


async def patch_testimonial(request: Request) -> Response:
    data = await read_json(request, shapes.TestimonialUpdate)
    testimonial_id = int(request.path_params["testimonial_id"])
    runtime = runtime_of(request)

    def work(session: Session) -> shapes.TestimonialAdmin:
        store = authenticated(request, session)
        row = testimonials.update_testimonial(
            session=session,
            store=store,
            testimonial_id=testimonial_id,
            data=data,
            now=runtime.now(),
        )
        return serialise.testimonial_admin(row)

    return json_response(await in_transaction(request, work))


# ---- declarations --------------------------------------------------------------------------

_T = ["reviews"]
_TT = ["testimonials"]

routes = [
    endpoint(
        "/api/v1/reviews",
        list_reviews,
        doc=Doc(
            "Reviews of the store, newest first (every status)",
            tags=_T,
            auth="secret",
            query=shapes.AdminReviewQuery,
            responses={200: shapes.ReviewAdminPage},
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
            body=shapes.ApiReviewIn,
            responses={202: shapes.Accepted},
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
            responses={200: shapes.ReviewAdmin},
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
            body=shapes.StatusUpdate,
            responses={200: shapes.ReviewAdmin},
            description="Rejecting or unpublishing needs a reason from: "
            + ", ".join(f"{k} ({v})" for k, v in rules.REJECT_REASONS.items())
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
            body=shapes.ReplyIn,
            responses={200: shapes.ReviewAdmin},
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
            responses={200: shapes.ReviewAdmin},
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
            responses={201: shapes.TestimonialAdmin, 200: shapes.TestimonialAdmin},
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
            query=shapes.ImportQuery,
            responses={200: shapes.ImportOut},
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
            query=shapes.ExportQuery,
            responses={200: "text/csv"},
        ),
        name="reviews_export",
    ),
    endpoint(
        "/api/v1/reviews/privacy/export",
        person_export,
        methods=["POST"],
        doc=Doc(
            "Everything kept about one e-mail address or phone number in reviews and testimonials",
            tags=[*_T, "privacy"],
            auth="secret",
            body=BuyerIn,
            responses={200: shapes.PersonExport},
            description="The reviews' part of /api/v1/privacy/export, which covers every "
            "part of the product.",
        ),
        name="reviews_person_export",
    ),
    endpoint(
        "/api/v1/reviews/privacy/erase",
        person_erase,
        methods=["POST"],
        doc=Doc(
            "Erase the reviews, photos, testimonials and review requests of an e-mail or phone",
            tags=[*_T, "privacy"],
            auth="secret",
            body=BuyerIn,
            responses={200: shapes.PersonErased},
            description="The reviews' part of /api/v1/privacy/erase, which erases the person "
            "from every part of the product in one transaction.",
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
            query=shapes.TestimonialQuery,
            responses={200: shapes.TestimonialAdminList},
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
            body=shapes.TestimonialUpdate,
            responses={200: shapes.TestimonialAdmin},
        ),
        name="testimonial_patch",
    ),
]
