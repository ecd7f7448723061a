"""Widget reads answered again from the app's own last answer, before the middleware and router.

Every product page of every shop reads its reviews, and almost every such read is a cache hit
(widget_cache.py): the bytes are ready, yet building the answer through Starlette's middleware
(CORS, compression, security headers), the router and a Request/Response pair cost about twice
what the cached bytes themselves do. So when the app answers a cached read, this layer keeps
what it sent (status line, every header after every middleware, body), keyed by what can change
that answer: the path and query, the Origin, whether gzip is accepted and the If-None-Match
sent. The next identical request gets the same bytes without the app, after the checks the app
would make:

- the publishable key still names the same store, and the Origin is absent or still allowed
  (both from the cached origins entry, as rcommerce.embed.cors reads them);
- the product's cache version still names the entry the answer came from, and that entry is
  still in the cache (a new review, a vote, a moderation decision bumps the version);
- the per-address read limit admits the request (it is counted here, as the app counts it).

Every lookup is in process memory: the in-memory cache, or in distributed mode the near copies
that Redis pub/sub keeps exact (rcommerce.cache_near), and the read limit's local count. Anything
else (no answer kept yet, a changed version, an origin no longer allowed, the limit reached,
HEAD, an entry only Redis holds) goes to the app unchanged.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rcommerce import privacy, ratelimit
from rcommerce.errors import RateLimited
from rcommerce.reviews import aggregates, widget_cache
from rcommerce.runtime import Runtime
from rcommerce.stores.service import local_entry

PREFIX = "/embed/v1/pk_"
KEPT = 4096  # answers kept per process (a few KB each)
STATE = "rc_cached_read"  # where widget_cache.serve tells which cache entry it answered from

Ident = tuple[str, bytes, bytes | None, bool, bytes | None]


@dataclass(frozen=True)
class Answer:
    store_id: int
    subject: str
    digest: str
    key: str
    start: Message
    body: bytes


class ReadReplay:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.kept: OrderedDict[Ident, Answer] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        runtime: Runtime = scope["app"].state.runtime
        origin = gzip = if_none_match = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"accept-encoding":
                gzip = b"gzip" in value
            elif name == b"if-none-match":
                if_none_match = value
        ident: Ident = (
            scope["path"],
            scope.get("query_string", b""),
            origin,
            bool(gzip),
            if_none_match,
        )
        answer = self.kept.get(ident)
        if answer is not None and _still_right(runtime, scope, answer, origin):
            self.kept.move_to_end(ident)
            await send(answer.start)
            await send({"type": "http.response.body", "body": answer.body})
            return
        await self._keeping(ident, scope, receive, send)

    async def _keeping(self, ident: Ident, scope: Scope, receive: Receive, send: Send) -> None:
        """Let the app answer, and keep its answer when it came from a cached read."""
        sent: list[Message] = []

        async def keep(message: Message) -> None:
            sent.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        read: tuple[int, str, str, str] | None = scope.get("state", {}).get(STATE)
        if read is None or len(sent) != 2:
            return
        start, body = sent
        if (
            start["type"] != "http.response.start"
            or start["status"] not in (200, 304)
            or body["type"] != "http.response.body"
            or body.get("more_body", False)
        ):
            return
        store_id, subject, digest, key = read
        headers = [(bytes(name), bytes(value)) for name, value in start.get("headers", [])]
        self.kept[ident] = Answer(
            store_id=store_id,
            subject=subject,
            digest=digest,
            key=key,
            start={"type": "http.response.start", "status": start["status"], "headers": headers},
            body=bytes(body.get("body", b"")),
        )
        if len(self.kept) > KEPT:
            self.kept.popitem(last=False)


def _still_right(runtime: Runtime, scope: Scope, answer: Answer, origin: bytes | None) -> bool:
    """Whether the app would give ``answer`` now (and the request is counted if so)."""
    publishable_key = scope["path"][len("/embed/v1/") :].split("/", 1)[0]
    found, entry = local_entry(runtime, publishable_key)
    if not found or entry is None or entry[0] != answer.store_id:
        return False
    if origin is not None and origin.decode("latin-1") not in entry[1]:
        return False
    version = aggregates.local_version(runtime, answer.store_id, answer.subject)
    if version is None:
        return False
    current = widget_cache.entry_key(answer.store_id, version, answer.digest)
    if current != answer.key or runtime.cache.local(current) is None:
        return False
    return _admitted(runtime, scope)


def _admitted(runtime: Runtime, scope: Scope) -> bool:
    ip = privacy.keyed_hash(runtime.settings, "ip", privacy.scope_client_ip(scope))
    limit, window = widget_cache.READS_PER_IP
    try:
        ratelimit.hit_now(
            runtime.cache, "reviews-read", ip, limit=limit, window=window, when_down="open"
        )
    except RateLimited:
        return False  # the app answers the 429, with its CORS headers
    return True
