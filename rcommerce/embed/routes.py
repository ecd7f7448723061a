"""The widget script and the embed endpoints the widgets need besides the domains' own.

``GET /embed/v1/embed.js`` serves ``embeds/embed.js`` (reached through the package's
``rcommerce/embed/static`` link, so an installed wheel carries the file), lightly minified,
gzip-compressed once, with a content-hash ETag and cache headers. The store's public settings
(locale, currency, the referral programme's offer) is served here too.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.stores import service as stores
from rcommerce.stores.models import Store
from rcommerce.web import (
    Doc,
    content_etag,
    endpoint,
    in_transaction,
    not_modified,
    revalidated,
    runtime_of,
)

SCRIPT_PATH = Path(__file__).parent / "static" / "embed.js"
VERSION_MARK = "__RC_VERSION__"
# The unversioned URL is what shops paste: short freshness, long stale-while-revalidate, so a
# release reaches every shop within minutes while pages never wait on us. A URL carrying the
# current ?v= hash never changes and is cached for a year.
SCRIPT_CACHE = "public, max-age=300, stale-while-revalidate=86400, stale-if-error=604800"
PINNED_CACHE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    version: str
    plain: bytes
    gzipped: bytes

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    @property
    def etag_gzip(self) -> str:
        return f'"{self.version}-gz"'


_WORD = re.compile(r"[\w$\\\u0080-\uffff]")
# After these, a "/" starts a regular expression literal rather than a division.
_REGEX_AFTER_CHARS = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_AFTER_WORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete",
                      "void", "throw", "instanceof", "yield", "await"}  # fmt: skip


def minify(source: str) -> str:
    """Drop comments, indentation and the spaces between tokens that need none.

    A small scanner that knows strings, template literals (with nested ``${...}``) and regular
    expression literals, and copies them verbatim. Line breaks are kept (one per
    run), so automatic semicolon insertion sees exactly what it saw in the source.
    """
    out: list[str] = []
    i, n = 0, len(source)
    gap = ""  # whitespace seen since the last token: "", " " or "\n"
    last = ""  # the last character emitted outside whitespace
    word = ""  # the last identifier or keyword emitted
    braces: list[int] = []  # brace depth at each open ``${`` of a template literal
    depth = 0

    def emit(token: str) -> None:
        nonlocal gap, last
        if gap == "\n" and out:
            out.append("\n")
        elif (
            gap == " "
            and last
            and (
                (_WORD.match(last) and _WORD.match(token[0]))
                or (last in "+-" and token[0] in "+-")
                or (last == "/" and token[0] in "/*")
            )
        ):
            out.append(" ")
        out.append(token)
        gap, last = "", token[-1]

    def template(start: int) -> int:
        """Copy a template literal's text from ``start`` (after a backtick or a closing
        brace of ``${``) up to its end or its next ``${``; return the index after it."""
        nonlocal depth
        j = start
        while j < n:
            ch = source[j]
            if ch == "\\":
                j += 2
                continue
            if ch == "`":
                out.append(source[start : j + 1])
                return j + 1
            if source.startswith("${", j):
                out.append(source[start : j + 2])
                braces.append(depth)
                depth += 1
                return j + 2
            j += 1
        raise ValueError("unterminated template literal")

    while i < n:
        ch = source[i]
        if ch in " \t\r\n":
            if ch == "\n" or gap == "\n":
                gap = "\n"
            elif not gap:
                gap = " "
            i += 1
            continue
        if source.startswith("//", i):
            i = source.find("\n", i)
            i = n if i < 0 else i
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            if end < 0:
                raise ValueError("unterminated comment")
            i = end + 2
            if not gap:
                gap = " "
            continue
        if ch in "'\"":
            j = i + 1
            while source[j] != ch:
                j += 2 if source[j] == "\\" else 1
            emit(source[i : j + 1])
            word, i = "", j + 1
            continue
        if ch == "`":
            emit("`")
            i = template(i + 1)
            last, word = "`", ""
            continue
        if ch == "/" and (not last or last in _REGEX_AFTER_CHARS or word in _REGEX_AFTER_WORDS):
            j, in_class = i + 1, False
            while True:
                c = source[j]
                if c == "\\":
                    j += 2
                    continue
                if c == "\n":
                    raise ValueError("unterminated regular expression")
                if c == "[":
                    in_class = True
                elif c == "]":
                    in_class = False
                elif c == "/" and not in_class:
                    break
                j += 1
            j += 1
            while j < n and (source[j].isalnum()):
                j += 1
            emit(source[i:j])
            word, i = "", j
            continue
        if _WORD.match(ch):
            j = i + 1
            while j < n and _WORD.match(source[j]):
                j += 1
            emit(source[i:j])
            word, i = source[i:j], j
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if braces and braces[-1] == depth:
                braces.pop()
                emit("}")
                i = template(i + 1)
                last, word = "`", ""
                continue
        emit(ch)
        word, i = "", i + 1
    return "".join(out).strip() + "\n"


def build_asset(path: Path) -> Asset:
    source = path.read_text(encoding="utf-8")
    version = hashlib.sha256(source.encode()).hexdigest()[:16]
    plain = minify(source).replace(VERSION_MARK, version).encode()
    return Asset(version, plain, gzip.compress(plain, compresslevel=9, mtime=0))


_lock = threading.Lock()
_cached: dict[Path, tuple[tuple[int, int], Asset]] = {}


def script_asset(path: Path = SCRIPT_PATH) -> Asset:
    """The built script, rebuilt only when the file changes (a stat per request)."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        hit = _cached.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        asset = build_asset(path)
        _cached[path] = (stamp, asset)
        return asset


def accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return not re.search(r"q\s*=\s*0(\.0*)?\s*$", params.strip())
    return False


async def embed_js(request: Request) -> Response:
    asset = script_asset()
    pinned = request.query_params.get("v") == asset.version
    use_gzip = accepts_gzip(request)
    etag = asset.etag_gzip if use_gzip else asset.etag
    headers = {
        "Cache-Control": PINNED_CACHE if pinned else SCRIPT_CACHE,
        "ETag": etag,
        "Vary": "Accept-Encoding",
        "X-RC-Version": asset.version,
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if not_modified(request, asset.etag, asset.etag_gzip):
        return Response(status_code=304, headers=headers)
    body = asset.gzipped if use_gzip else asset.plain
    if use_gzip:
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


class Offer(BaseModel):
    """What the store's referral programme gives each side (for the widget's invitation)."""

    friend_reward_kind: str
    friend_reward_value: Decimal
    advocate_reward_kind: str
    advocate_reward_value: Decimal


class EmbedConfig(BaseModel):
    """The store's public settings the widgets need before they render."""

    name: str
    locale: str
    currency: str
    offer: Offer | None = None


def default_offer(session: Session, store: Store, now: datetime) -> Offer | None:
    """The rewards of the store's default campaign while it runs (read only: the referral
    programme creates that campaign on first use; a widget load must not write)."""
    from rcommerce.referrals import campaigns

    campaign = campaigns.find_default_campaign(session, store)
    if campaign is None or not campaigns.campaign_running(campaign, now):
        return None
    return Offer.model_validate(campaign, from_attributes=True)


async def embed_config(request: Request) -> Response:
    key = request.path_params["publishable_key"]
    now = runtime_of(request).now()

    def load(session: Session) -> EmbedConfig:
        store = stores.store_for_publishable_key(session, key)
        return EmbedConfig(
            name=store.name,
            locale=store.locale,
            currency=store.currency,
            offer=default_offer(session, store, now),
        )

    config = await in_transaction(request, load, readonly=True)
    body = config.model_dump_json().encode()
    return revalidated(
        request,
        body,
        etag=content_etag(body),
        media_type="application/json",
        cache_control="public, max-age=60, stale-while-revalidate=600",
    )


def _doc_responses(ok: type[BaseModel] | str) -> dict[int, type[BaseModel] | str]:
    return {200: ok, 304: "Not modified (If-None-Match matched the ETag)."}


embed_routes = [
    endpoint(
        "/embed.js",
        embed_js,
        doc=Doc(
            "The widget script",
            tags=["widgets"],
            description=(
                'Embed with `<script src=".../embed/v1/embed.js" data-key="pk_..." async>`. '
                "gzip when accepted, ETag / If-None-Match, five-minute freshness; "
                "`?v=<X-RC-Version>` pins a version that is cached for a year."
            ),
            responses=_doc_responses("JavaScript."),
        ),
        name="embed_js",
    ),
    endpoint(
        "/{publishable_key}/config",
        embed_config,
        doc=Doc(
            "The store's public widget settings: locale, currency, referral offer",
            tags=["widgets"],
            auth="publishable",
            responses=_doc_responses(EmbedConfig),
        ),
        name="embed_config",
    ),
]
