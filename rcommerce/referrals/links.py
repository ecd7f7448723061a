"""Referral links as the redirect needs them: each code's store, advocate, campaign, landing
URL and whether it is live, cached in the process and in the shared cache for a few seconds,
and forgotten as soon as an advocate changes; and where a mistyped code's visitor should land."""

from __future__ import annotations

import json
import time
import weakref
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from rcommerce import signing
from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.referrals import campaigns, clicks, tokens
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store

LINK_TTL = 30  # seconds a referral code's target is cached; blocking applies this fast


def _load_link(runtime: Runtime, code: str) -> dict[str, Any] | None:
    with runtime.transaction(readonly=True) as session:
        advocate = advocates.by_code(session, code)
        if advocate is None:
            return None
        store = session.get(Store, advocate.store_id)
        assert store is not None
        campaign = campaigns.find_default_campaign(session, store)
        running = campaign is not None and campaigns.campaign_running(campaign, runtime.now())
        return {
            "s": store.id,
            "a": advocate.id,
            "c": campaign.id if campaign is not None else None,
            "on": advocate.status == "active" and (campaign is None or running),
            "u": store.default_landing_url,
        }


def _load_and_share(runtime: Runtime, code: str) -> dict[str, Any] | None:
    link = _load_link(runtime, code)
    runtime.cache.set(f"ref:{code}", json.dumps(link).encode(), LINK_TTL)
    return link


class _LocalLinks:
    """A per-process layer over the shared cache: the hot path parses nothing it has seen in
    the last LINK_TTL seconds."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self.items: dict[str, tuple[float, dict[str, Any] | None]] = {}

    def get(self, code: str) -> tuple[bool, dict[str, Any] | None]:
        hit = self.items.get(code)
        if hit is None or hit[0] < time.monotonic():
            return False, None
        return True, hit[1]

    def put(self, code: str, link: dict[str, Any] | None) -> None:
        if len(self.items) >= self.size:
            self.items.clear()
        self.items[code] = (time.monotonic() + LINK_TTL, link)


_local: weakref.WeakKeyDictionary[Runtime, _LocalLinks] = weakref.WeakKeyDictionary()


async def link_target(runtime: Runtime, code: str) -> dict[str, Any] | None:
    local = _local.get(runtime)
    if local is None:
        local = _local.setdefault(runtime, _LocalLinks())
    found, link = local.get(code)
    if found:
        return link
    cached = await runtime.cache.call(runtime.cache.get, f"ref:{code}")
    if cached is not None:
        value = json.loads(cached)
        link = value if isinstance(value, dict) else None
    else:
        link = await run_in_threadpool(_load_and_share, runtime, code)
    if link is not None:
        landing = link["u"]
        link["j"] = "&" if landing and urlsplit(landing).query else "?"
        link["sig"] = signing.signer(runtime.settings, "referral")
        link["tp"] = tokens.token_prefix(link["s"], link["a"], link["c"])
        link["sp"] = clicks.spool_prefix(link["s"], link["a"], link["c"])
    local.put(code, link)
    return link


def forget_link(runtime: Runtime, code: str) -> None:
    runtime.cache.delete(f"ref:{code}")
    local = _local.get(runtime)
    if local is not None:
        local.items.pop(code, None)


# ---- mistyped codes ------------------------------------------------------------------------


def near_codes(code: str) -> set[str]:
    """Every code one slip away from ``code`` (a character wrong, missing, added or two
    swapped), in the codes' alphabet: what a friend who mistyped a shared link meant."""
    alphabet = advocates.CODE_ALPHABET
    near: set[str] = set()
    for i in range(len(code) + 1):
        for ch in alphabet:
            near.add(code[:i] + ch + code[i:])  # a character missing
            if i < len(code):
                near.add(code[:i] + ch + code[i + 1 :])  # a character wrong
        if i < len(code):
            near.add(code[:i] + code[i + 1 :])  # a character added
        if i + 1 < len(code):
            near.add(code[:i] + code[i + 1] + code[i] + code[i + 2 :])  # two swapped
    near.discard(code)
    return near


def _stray_landing(runtime: Runtime, code: str) -> str | None:
    with runtime.transaction(readonly=True) as session:
        stores: set[int] = set(
            session.exec(
                select(Advocate.store_id)
                .where(col(Advocate.referral_code).in_(near_codes(code)))
                .distinct()
                .limit(2)
            )
        )
        if len(stores) != 1 and session.exec(select(func.count()).select_from(Store)).one() == 1:
            # The only store this server has.
            stores = {int(i) for i in session.exec(select(col(Store.id))) if i is not None}
        if len(stores) != 1:
            return None
        store = session.get(Store, stores.pop())
        return store.default_landing_url if store is not None else None


async def stray_landing(runtime: Runtime, code: str) -> str | None:
    """Where the visitor of an unknown code lands (without rc_ref: nobody is credited): the
    store of the codes one slip away when they are all one store's, else the only store this
    server has; None when the store cannot be told."""
    if not code or len(code) > 16:
        return None
    return await run_in_threadpool(_stray_landing, runtime, code)
