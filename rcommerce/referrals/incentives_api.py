"""The store's API for its review incentive (secret key): a reward for reviews with a photo or
video and enough words, whatever their rating."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.errors import NotFound
from rcommerce.referrals import review_rewards
from rcommerce.referrals.models import ReviewIncentive
from rcommerce.referrals.review_rewards import IncentiveIn, IncentiveOut
from rcommerce.stores.auth import authenticated
from rcommerce.web import Doc, endpoint, in_transaction, json_response, read_json, runtime_of


def _out(row: ReviewIncentive) -> IncentiveOut:
    return IncentiveOut(
        active=row.active,
        kind=row.kind,
        value=row.value,
        min_chars=row.min_chars,
        needs_media=row.needs_media,
    )


async def get_incentive(request: Request) -> Response:
    def work(session: Session) -> IncentiveOut:
        row = review_rewards.incentive_of(session, authenticated(request, session))
        if row is None:
            raise NotFound("This store has no review incentive.")
        return _out(row)

    return json_response(await in_transaction(request, work, readonly=True))


async def put_incentive(request: Request) -> Response:
    data = await read_json(request, IncentiveIn)
    now = runtime_of(request).now()

    def work(session: Session) -> IncentiveOut:
        store = authenticated(request, session)
        return _out(review_rewards.set_incentive(session, store, data, now))

    return json_response(await in_transaction(request, work))


_DESCRIPTION = (
    "Each review that goes live meeting the rules (at least `min_chars` characters of title "
    "and body; a photo when `needs_media`) earns the reward once, whatever its rating: the "
    "rules have no rating or sentiment field, by design (FTC 16 CFR 465.4). Coupons and "
    "ledger credit go to the review's author as an advocate of the store."
)

routes = [
    endpoint(
        "/api/v1/review-incentive",
        get_incentive,
        doc=Doc(
            "The store's review incentive",
            tags=["referrals"],
            auth="secret",
            responses={200: IncentiveOut, 404: "None set."},
            description=_DESCRIPTION,
        ),
        name="review_incentive_get",
    ),
    endpoint(
        "/api/v1/review-incentive",
        put_incentive,
        methods=["PUT"],
        doc=Doc(
            "Set the store's review incentive (a reward for reviews with a photo, any rating)",
            tags=["referrals"],
            auth="secret",
            body=IncentiveIn,
            responses={200: IncentiveOut, 422: "Invalid."},
            description=_DESCRIPTION,
        ),
        name="review_incentive_put",
    ),
]
