"""The widgets' embed API for reviews and testimonials (publishable key, CORS per store, mounted
under /embed/v1): reads, submissions, photo uploads, votes and reports."""

from __future__ import annotations

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from rcommerce import privacy, ratelimit
from rcommerce.errors import ApiError
from rcommerce.orders import service as orders
from rcommerce.reviews import (
    aggregates,
    highlights,
    markup,
    photos,
    reads,
    serialise,
    shapes,
    submission,
    testimonials,
    videos,
    votes,
    widget_cache,
)
from rcommerce.reviews.models import STORE_SUBJECT
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from rcommerce.stores.service import store_for_publishable_key
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

SUBMIT_PER_IP = (10, 600)  # (requests, seconds)
SUBMIT_PER_EMAIL = (5, 3600)
PHOTOS_PER_IP = (20, 600)
VIDEOS_PER_IP = (5, 600)
VOTES_PER_IP = (60, 60)
REPORTS_PER_IP = (20, 3600)
TESTIMONIALS_PER_IP = (5, 3600)


async def _limit(runtime: Runtime, scope: str, key: str, rule: tuple[int, int]) -> None:
    """Counted in each process's memory while Redis is unavailable."""
    await ratelimit.hit(runtime.cache, scope, key, limit=rule[0], window=rule[1], when_down="local")


def _pk(request: Request) -> str:
    return str(request.path_params["publishable_key"])


def _review_id(request: Request) -> int:
    return int(request.path_params["review_id"])


def _base(request: Request) -> str:
    return runtime_of(request).settings.base_url


async def embed_reviews(request: Request) -> Response:
    product_id = str(request.path_params.get("product_id", STORE_SUBJECT))
    query = parse_query(request, shapes.ReviewQuery)
    base = _base(request)

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        page = reads.review_page(
            session=session, store=store, product_id=product_id, query=query, base_url=base
        )
        return widget_cache.json_bytes(
            page.model_dump(mode="json", exclude_none=False)
        ), "application/json"

    return await widget_cache.serve(request, product_id, build)


async def embed_summary(request: Request) -> Response:
    product_id = str(request.path_params.get("product_id", STORE_SUBJECT))

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        summary = reads.summary(session=session, store=store, product_id=product_id)
        return widget_cache.json_bytes(summary), "application/json"

    return await widget_cache.serve(request, product_id, build)


async def embed_highlights(request: Request) -> Response:
    product_id = str(request.path_params["product_id"])

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        data = highlights.product_highlights(session, store, product_id)
        return widget_cache.json_bytes(data), "application/json"

    return await widget_cache.serve(request, product_id, build)


async def embed_jsonld(request: Request) -> Response:
    product_id = str(request.path_params["product_id"])

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        data = reads.product_jsonld(session=session, store=store, product_id=product_id)
        return widget_cache.json_bytes(data), "application/ld+json"

    return await widget_cache.serve(request, product_id, build)


async def embed_snippet(request: Request) -> Response:
    product_id = str(request.path_params["product_id"])

    def build(session: Session, store: Store) -> tuple[bytes, str]:
        data = reads.product_jsonld(session=session, store=store, product_id=product_id)
        tag = markup.script_tag(data)
        return tag.encode(), "text/html; charset=utf-8"

    return await widget_cache.serve(request, product_id, build)


async def embed_submit(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "review-submit-ip", ip, SUBMIT_PER_IP)
    data = await read_json(request, shapes.ReviewIn)
    # Per address and per phone as well: each may be sent a confirmation link.
    if data.email is not None:
        await _limit(
            runtime,
            "review-submit-email",
            privacy.keyed_hash(runtime.settings, "email", orders.normalise_email(data.email)),
            SUBMIT_PER_EMAIL,
        )
    if data.phone is not None:
        await _limit(
            runtime,
            "review-submit-phone",
            privacy.keyed_hash(runtime.settings, "phone", data.phone),
            SUBMIT_PER_EMAIL,
        )
    pk = _pk(request)

    def work(session: Session) -> shapes.Accepted:
        done = submission.submit_from_widget(
            session=session,
            settings=runtime.settings,
            store=store_for_publishable_key(session, pk),
            data=data,
            ip_hash=ip,
            now=runtime.now(),
        )
        assert done.review.id is not None
        if data.token:  # the link proved who writes: their review's id
            return shapes.Accepted(id=done.review.id, status=done.status)
        return shapes.Accepted(status=done.status)

    # Database work only (a confirmation to send is a job): committed with the submissions
    # that arrive meanwhile.
    return json_response(await in_transaction(request, work, grouped=True), 202)


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

    def work(session: Session) -> shapes.PhotoOut:
        photo = photos.store_photo(
            session=session,
            store=store_for_publishable_key(session, pk),
            settings=runtime.settings,
            jpeg=jpeg,
            width=width,
            height=height,
            ip_hash=ip,
            now=runtime.now(),
        )
        return shapes.PhotoOut(id=photo.id, width=width, height=height)

    return json_response(await in_transaction(request, work), 201)


async def embed_video(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "review-video-ip", ip, VIDEOS_PER_IP)
    declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if declared not in videos.EXTENSIONS:
        raise ApiError(
            "Send the video itself as the body with Content-Type video/mp4 or video/webm.",
            code="unsupported_media_type",
            status=415,
        )
    # Over the cap: refused from Content-Length, or as soon as the stream passes it.
    data = await read_body(request, limit=runtime.settings.max_video_bytes)
    pk = _pk(request)
    kind, seconds = videos.check(runtime.settings, declared, data)

    def work(session: Session) -> shapes.VideoOut:
        video = videos.store_video(
            session=session,
            store=store_for_publishable_key(session, pk),
            settings=runtime.settings,
            data=data,
            content_type=kind,
            duration=seconds,
            ip_hash=ip,
            now=runtime.now(),
        )
        return shapes.VideoOut(id=video.id, content_type=kind, duration=round(seconds, 3))

    # Writing up to 20 MB with fsync: off the event loop.
    return json_response(await in_transaction(request, work), 201)


def _visitor(request: Request, runtime: Runtime, store_id: int) -> votes.Visitor:
    return votes.identify(
        runtime.settings,
        store_id,
        header=request.headers.get("x-rc-visitor", ""),
        ip_hash=privacy.ip_hash(runtime.settings, request),
        user_agent=request.headers.get("user-agent", ""),
        now=runtime.now(),
    )


async def embed_vote(request: Request) -> Response:
    runtime = runtime_of(request)
    await _limit(
        runtime, "review-vote-ip", privacy.ip_hash(runtime.settings, request), VOTES_PER_IP
    )
    data = await read_json(request, shapes.VoteIn)
    pk, review_id = _pk(request), _review_id(request)

    def work(session: Session) -> shapes.VoteOut:
        store = store_for_publishable_key(session, pk)
        assert store.id is not None
        who = _visitor(request, runtime, store.id)
        review = votes.vote(
            session=session,
            store=store,
            review_id=review_id,
            voter=who.voter,
            helpful=data.helpful,
            ip_hash=who.ip_hash,
            now=runtime.now(),
        )
        return shapes.VoteOut(
            helpful=review.helpful_count, not_helpful=review.not_helpful_count, visitor=who.issued
        )

    return json_response(await in_transaction(request, work))


async def embed_report(request: Request) -> Response:
    runtime = runtime_of(request)
    await _limit(
        runtime, "review-report-ip", privacy.ip_hash(runtime.settings, request), REPORTS_PER_IP
    )
    data = await read_json(request, shapes.ReportIn)
    pk, review_id = _pk(request), _review_id(request)

    def work(session: Session) -> None:
        store = store_for_publishable_key(session, pk)
        assert store.id is not None
        votes.report(
            session=session,
            store=store,
            review_id=review_id,
            reporter=_visitor(request, runtime, store.id).voter,
            data=data,
        )

    await in_transaction(request, work)
    return json_response({"status": "received"}, 202)


async def embed_testimonials(request: Request) -> Response:
    def build(session: Session, store: Store) -> tuple[bytes, str]:
        rows = testimonials.published_testimonials(session, store)
        out = shapes.TestimonialList(testimonials=[serialise.testimonial_public(r) for r in rows])
        return widget_cache.json_bytes(out.model_dump(mode="json")), "application/json"

    return await widget_cache.serve(request, aggregates.TESTIMONIALS, build)


async def embed_submit_testimonial(request: Request) -> Response:
    runtime = runtime_of(request)
    ip = privacy.ip_hash(runtime.settings, request)
    await _limit(runtime, "testimonial-submit-ip", ip, TESTIMONIALS_PER_IP)
    data = await read_json(request, shapes.TestimonialIn)
    pk = _pk(request)

    def work(session: Session) -> shapes.Accepted:
        store = store_for_publishable_key(session, pk)
        row = testimonials.submit_testimonial(
            session=session, store=store, data=data, ip_hash=ip, now=runtime.now()
        )
        assert row.id is not None
        return shapes.Accepted(id=row.id, status=row.status)

    return json_response(await in_transaction(request, work), 202)


# ---- declarations --------------------------------------------------------------------------

_E = ["embed", "reviews"]
_ET = ["embed", "testimonials"]

routes = [
    endpoint(
        "/{publishable_key}/products/{product_id}/reviews",
        embed_reviews,
        doc=Doc(
            "A product's published reviews with its summary",
            tags=_E,
            auth="publishable",
            query=shapes.ReviewQuery,
            responses={200: shapes.ReviewPage, 304: "Not modified (ETag)."},
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
            responses={200: shapes.Summary, 304: "Not modified (ETag)."},
        ),
        name="embed_summary",
    ),
    endpoint(
        "/{publishable_key}/products/{product_id}/highlights",
        embed_highlights,
        doc=Doc(
            "What buyers say: per aspect, the reviews that praise it and complain about it, "
            "with a representative quote",
            tags=_E,
            auth="publishable",
            responses={200: shapes.Highlights, 304: "Not modified (ETag)."},
            description="From the aspects the sentiment scorer found in the product's "
            "published reviews. Empty below 5 scored reviews; an aspect appears once 3 "
            "reviewers mention it. Reviews themselves are never hidden or reordered by it.",
        ),
        name="embed_highlights",
    ),
    endpoint(
        "/{publishable_key}/products/{product_id}/jsonld",
        embed_jsonld,
        doc=Doc(
            "schema.org Product + AggregateRating + Review as JSON-LD",
            tags=_E,
            auth="publishable",
            responses={200: shapes.JsonLd, 304: "Not modified (ETag)."},
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
            query=shapes.ReviewQuery,
            responses={200: shapes.ReviewPage, 304: "Not modified (ETag)."},
        ),
        name="embed_store_reviews",
    ),
    endpoint(
        "/{publishable_key}/store/summary",
        embed_summary,
        doc=Doc(
            "The store's own rating summary (the site-wide badge)",
            tags=_E,
            auth="publishable",
            responses={200: shapes.Summary, 304: "Not modified (ETag)."},
        ),
        name="embed_store_summary",
    ),
    endpoint(
        "/{publishable_key}/reviews",
        embed_submit,
        methods=["POST"],
        doc=Doc(
            "Submit a review (stored at once; moderated and scored in the background)",
            tags=_E,
            auth="publishable",
            body=shapes.ReviewIn,
            responses={
                202: shapes.Accepted,
                422: "Invalid, or unknown_product.",
                429: "Too many submissions.",
            },
            description="Leave product_id out to review the store itself. `token` is the "
            "review-request link's token (verified buyer). `website` must stay empty. A "
            "product the store has not sent is created from product_name (url, image, price) "
            "unless the store takes products only from its API. A second review by the same "
            "e-mail leaves the first alone; a link sent to the address applies it. Without a "
            "token the answer is `{status}` alone and the same for a first review and for an "
            "edit (`received`, or `confirmation_sent` when the store confirms every review), "
            "so it never tells whether an address reviewed the product.",
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
            responses={201: shapes.PhotoOut, 413: "Too large.", 422: "Not an image."},
        ),
        name="embed_photo",
    ),
    endpoint(
        "/{publishable_key}/videos",
        embed_video,
        methods=["POST"],
        doc=Doc(
            "Upload the review's one video (MP4 or WebM as the body); use its id as video_id",
            tags=_E,
            auth="publishable",
            body_type="video/mp4",
            responses={
                201: shapes.VideoOut,
                413: "Too large.",
                415: "Not an MP4 or WebM file.",
                422: "Too long, or its length cannot be read.",
            },
        ),
        name="embed_video",
    ),
    endpoint(
        "/{publishable_key}/reviews/{review_id:int}/votes",
        embed_vote,
        methods=["POST"],
        doc=Doc(
            "Helpful / not helpful (one vote per visitor; voting again changes it)",
            tags=_E,
            auth="publishable",
            body=shapes.VoteIn,
            headers={
                "X-RC-Visitor": "the signed visitor id a vote answered with; without a valid "
                "one the visitor is the network and user agent of the day"
            },
            responses={200: shapes.VoteOut},
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
            body=shapes.ReportIn,
            headers={"X-RC-Visitor": "the signed visitor id a vote answered with"},
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
            responses={200: shapes.TestimonialList, 304: "Not modified (ETag)."},
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
            body=shapes.TestimonialIn,
            responses={202: shapes.Accepted},
        ),
        name="embed_testimonial_submit",
    ),
]
