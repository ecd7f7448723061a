"""The widget script and the embed endpoints the widgets need besides the domains' own.

``GET /embed/v1/embed.js`` serves the core, ``embeds/embed.js``, and ``GET /embed/v1/m/{file}``
the widgets kept in modules, ``embeds/modules/*.js``, each at a content-hashed file name that the
core lists (reached through the package's ``rcommerce/embed/static`` link, so an installed wheel
carries the files). All are lightly minified, gzip-compressed once, with a content-hash ETag
and cache headers. The store's public settings (locale, currency, the referral programme's
offer) and the widgets' texts (``embeds/strings.json``) are served here too.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.errors import NotFound
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

STATIC = Path(__file__).parent / "static"
SCRIPT_PATH = STATIC / "embed.js"
MODULES_DIR = STATIC / "modules"
STRINGS_PATH = STATIC / "strings.json"
VERSION_MARK = "__RC_VERSION__"
MODULES_MARK = "__RC_MODULES__"
# A module's first lines name its elements and the height each reserves while it loads.
_ELEMENT = re.compile(r"^// @element (rc-[a-z0-9-]+)(?: ([0-9.]+(?:rem|em|px)))?$", re.MULTILINE)
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
        if gap == "\n" and out and last not in ";{,[(" and token[0] not in "})]":
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


def _asset(plain: bytes, version: str) -> Asset:
    return Asset(version, plain, gzip.compress(plain, compresslevel=9, mtime=0))


@dataclass(frozen=True)
class Module:
    """A widget module: its asset, the file name the core fetches it by, its elements."""

    asset: Asset
    file: str
    elements: dict[str, str]  # tag -> the height it reserves while loading ("" for none)


@dataclass(frozen=True)
class Bundle:
    core: Asset
    modules: dict[str, Module]  # module name (the file's stem) -> module


def build_module(path: Path) -> Module:
    source = path.read_text(encoding="utf-8")
    elements = {tag: reserve or "" for tag, reserve in _ELEMENT.findall(source)}
    if not elements:
        raise ValueError(f"{path.name} names no element (// @element rc-... on its first lines)")
    # 32 bits of the content's hash tell a file's versions apart; every module's name is in
    # the core's module list, where each hex digit costs gzipped bytes of the core's budget.
    version = hashlib.sha256(source.encode()).hexdigest()[:8]
    asset = _asset(minify(source).encode(), version)
    return Module(asset, f"{path.stem}.{version}.js", elements)


def build_bundle(core: Path, modules: list[Path]) -> Bundle:
    """The core with the module list filled in (its version covers the modules' too)."""
    built = {path.stem: build_module(path) for path in modules}
    # An element that reserves no height is listed by its file alone (the core reads a
    # missing height as none): bytes of the core's budget.
    listing = {
        tag: [module.file, reserve] if reserve else [module.file]
        for module in built.values()
        for tag, reserve in module.elements.items()
    }
    source = core.read_text(encoding="utf-8")
    manifest = json.dumps(listing, separators=(",", ":"), sort_keys=True)
    version = hashlib.sha256(f"{source}\n{manifest}".encode()).hexdigest()[:16]
    plain = minify(source).replace(VERSION_MARK, version).replace(MODULES_MARK, manifest)
    return Bundle(_asset(plain.encode(), version), built)


def build_asset(path: Path) -> Asset:
    """The core script alone, as served when ``path``'s folder has no modules."""
    return build_bundle(path, _module_paths(path.parent / "modules")).core


def _module_paths(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.js")) if folder.is_dir() else []


_lock = threading.Lock()
_cached: dict[Path, tuple[tuple[tuple[str, int, int], ...], Bundle]] = {}


def bundle(path: Path = SCRIPT_PATH) -> Bundle:
    """The built core and modules, rebuilt only when a file changes (a few stats per request)."""
    files = [path, *_module_paths(path.parent / "modules")]
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    with _lock:
        hit = _cached.get(path)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        built = build_bundle(path, files[1:])
        _cached[path] = (stamp, built)
        return built


def script_asset(path: Path = SCRIPT_PATH) -> Asset:
    """The built core script."""
    return bundle(path).core


_strings: dict[Path, tuple[int, dict[str, Any]]] = {}


def widget_strings(path: Path = STRINGS_PATH) -> dict[str, Any]:
    """The widgets' texts by language (embeds/strings.json), re-read when the file changes."""
    mtime = path.stat().st_mtime_ns
    hit = _strings.get(path)
    if hit is None or hit[0] != mtime:
        hit = (mtime, json.loads(path.read_text(encoding="utf-8")))
        _strings[path] = hit
    return hit[1]


def accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return not re.search(r"q\s*=\s*0(\.0*)?\s*$", params.strip())
    return False


def _asset_response(request: Request, asset: Asset, *, pinned: bool) -> Response:
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


async def embed_js(request: Request) -> Response:
    asset = script_asset()
    return _asset_response(request, asset, pinned=request.query_params.get("v") == asset.version)


async def embed_module(request: Request) -> Response:
    """A widget module by its content-hashed name: cached for a year. An older name (a core
    cached before a release asks for it) gets the current module with the core's short cache."""
    file = str(request.path_params["file"])
    module = bundle().modules.get(file.split(".", 1)[0])
    if module is None:
        raise NotFound(f"No widget module {file}.")
    return _asset_response(request, module.asset, pinned=file == module.file)


class Offer(BaseModel):
    """What the store's referral programme gives each side (for the widget's invitation)."""

    friend_reward_kind: str
    friend_reward_value: Decimal
    advocate_reward_kind: str
    advocate_reward_value: Decimal


class EmbedConfig(BaseModel):
    """The store's public settings the widgets need before they render, and their texts."""

    name: str
    locale: str
    currency: str
    offer: Offer | None = None
    strings: dict[str, dict[str, str | list[str]]] = Field(
        default_factory=dict,
        description="The widgets' texts by language: {0} {1} are arguments; a pair [one, many] "
        "is picked by the first argument.",
    )


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
            strings=widget_strings(),
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
        "/m/{file}",
        embed_module,
        doc=Doc(
            "A widget module (e.g. <rc-testimonials>), fetched by embed.js",
            tags=["widgets"],
            description=(
                "Fetched by the core script only on pages that use one of the module's "
                "elements, by the content-hashed name the core lists: cached for a year."
            ),
            responses={**_doc_responses("JavaScript (an ES module)."), 404: "No such module."},
        ),
        name="embed_module",
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
