"""The leaderboard's public embed read (``<rc-leaderboard>``): publishable key and the embed's
origin policy, rate limited per IP, each answer cached a minute and revalidated with an ETag."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce import privacy, ratelimit
from rcommerce.referrals import leaderboard
from rcommerce.stores.service import store_for_publishable_key
from rcommerce.web import (
    Doc,
    content_etag,
    endpoint,
    in_transaction,
    parse_query,
    revalidated,
    runtime_of,
)

CACHE_TTL = 60  # an opt-out leaves the public list within a minute
CACHE_CONTROL = "public, max-age=30, stale-while-revalidate=30"
READS_PER_IP = (300, 60)  # (requests, seconds)


class LeaderboardQuery(BaseModel):
    period: Literal["30d", "all"] = "30d"
    limit: Annotated[int, Field(ge=1, le=leaderboard.MAX_SIZE)] = leaderboard.DEFAULT_SIZE


class LeaderboardRow(BaseModel):
    rank: int
    name: str  # a given name and a family initial ("Mai N."), never an e-mail, phone or code
    tier: str | None
    referred_buyers: int


class Leaderboard(BaseModel):
    """The store's top advocates by referred buyers (empty while the store has it off)."""

    period: str
    advocates: list[LeaderboardRow]


async def read(request: Request) -> Response:
    query = parse_query(request, LeaderboardQuery)
    runtime = runtime_of(request)
    await ratelimit.hit(
        runtime.cache,
        "leaderboard-read",
        privacy.ip_hash(runtime.settings, request),
        limit=READS_PER_IP[0],
        window=READS_PER_IP[1],
        when_down="open",
    )
    pk = str(request.path_params["publishable_key"])
    # The embed CORS policy has already resolved the publishable key (rcommerce.embed.cors).
    store_id: int | None = getattr(request.state, "store_id", None)
    key = f"leaderboard:{store_id}:{query.period}:{query.limit}"
    body = await runtime.cache.call(runtime.cache.get, key) if store_id is not None else None
    if body is None:

        def work(session: Session) -> bytes:
            store = store_for_publishable_key(session, pk)
            rows = leaderboard.public_board(
                session, store, period=query.period, size=query.limit, now=runtime.now()
            )
            return (
                Leaderboard(period=query.period, advocates=[LeaderboardRow(**row) for row in rows])
                .model_dump_json()
                .encode()
            )

        body = await in_transaction(request, work, readonly=True)
        if store_id is not None:
            await runtime.cache.call(runtime.cache.set, key, body, CACHE_TTL)
    return revalidated(
        request,
        body,
        etag=content_etag(body),
        media_type="application/json",
        cache_control=CACHE_CONTROL,
    )


embed_routes = [
    endpoint(
        "/{publishable_key}/leaderboard",
        read,
        doc=Doc(
            "The store's advocates' leaderboard (given name and family initial only)",
            tags=["embed"],
            auth="publishable",
            query=LeaderboardQuery,
            responses={200: Leaderboard},
        ),
        name="embed_leaderboard",
    ),
]
