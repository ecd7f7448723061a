"""The store's advocates' leaderboard: the advocates who referred the most buyers (accepted
referrals: pending or approved, never reversed or rejected), shown by a given name and a family
initial only, never an e-mail, phone or code. Advocates who opted out of the leaderboard or of the
programme, blocked and erased advocates are never listed; a store shows it only once it turns
``leaderboard_enabled`` on. Like tiers, it never reads a review or a rating."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.models import AdvocateTier, Conversion
from rcommerce.referrals.tiers import ACCEPTED, tiers
from rcommerce.stores.models import Store

PERIODS: dict[str, int | None] = {"30d": 30, "all": None}
DEFAULT_SIZE = 10
MAX_SIZE = 50
GIVEN_NAME_MAX = 40

# Vietnamese family names (lower case, without tone marks; names that are as often given names,
# such as Mai, Hà, Kim or Giang, are left out): a name that starts with one is written family name
# first ("Nguyễn Thị Mai"), unless it also ends with one and starts otherwise ("Mai Nguyễn").
VIETNAMESE_FAMILY_NAMES = frozenset(
    [
        "nguyen",
        "tran",
        "le",
        "pham",
        "hoang",
        "huynh",
        "phan",
        "vu",
        "vo",
        "dang",
        "bui",
        "do",
        "ho",
        "ngo",
        "duong",
        "ly",
        "dinh",
        "dao",
        "doan",
        "lam",
        "luong",
        "trinh",
        "truong",
        "cao",
        "chau",
        "chu",
        "kieu",
        "lai",
        "luu",
        "mac",
        "nong",
        "phung",
        "quach",
        "ta",
        "thai",
        "than",
        "tieu",
        "ton",
        "tong",
        "trieu",
        "vuong",
        "khuc",
    ]
)


def _plain(word: str) -> str:
    """``word`` lower case without tone marks, đ as d: what the family-name list holds."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def display_name(name: str) -> str:
    """A given name and a family initial: "Nguyễn Thị Mai" → "Mai N.", "Emily Carter" →
    "Emily C.", "Mai" → "Mai". Words with a digit or an @ (an e-mail or phone typed as a name)
    are dropped; an empty result is "" (the widget then shows its own word for an advocate)."""
    words = [
        w
        for w in unicodedata.normalize("NFC", name).split()
        if not any(c.isdigit() or c == "@" for c in w)
    ]
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:GIVEN_NAME_MAX]
    first, last = (_plain(w) in VIETNAMESE_FAMILY_NAMES for w in (words[0], words[-1]))
    if first and not (last and len(words) == 2):
        given, family = words[-1], words[0]
    else:
        given, family = words[0], words[-1]
    return f"{given[:GIVEN_NAME_MAX]} {family[0].upper()}."


def _counts(session: Session, store: Store, since: datetime | None) -> Any:
    buyers = func.count(func.distinct(func.coalesce(Order.email, Order.phone)))
    query = (
        select(Advocate.id, Advocate.name, buyers)
        .select_from(Conversion)
        .join(Order, col(Order.id) == Conversion.order_pk)
        .join(Advocate, col(Advocate.id) == Conversion.advocate_id)
        .where(
            Conversion.store_id == store.id,
            Advocate.store_id == store.id,
            col(Conversion.status).in_(ACCEPTED),
            col(Conversion.reversed_at).is_(None),
            Advocate.status == "active",
            col(Advocate.leaderboard_opt_out).is_(False),
            col(Advocate.erased_at).is_(None),
        )
        .group_by(col(Advocate.id), col(Advocate.name))
    )
    if since is not None:
        query = query.where(Conversion.created_at >= since)
    # Ties go to the advocate who joined first.
    return session.exec(query.order_by(buyers.desc(), col(Advocate.id)))


def _tier_of(ladder: list[AdvocateTier], count: int) -> str | None:
    name = None
    for tier in ladder:
        if count >= tier.min_referred_buyers:
            name = tier.name
    return name


def _all_time(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = session.exec(
        select(
            Conversion.advocate_id,
            func.count(func.distinct(func.coalesce(Order.email, Order.phone))),
        )
        .select_from(Conversion)
        .join(Order, col(Order.id) == Conversion.order_pk)
        .where(col(Conversion.advocate_id).in_(ids), col(Conversion.status).in_(ACCEPTED))
        .group_by(col(Conversion.advocate_id))
    )
    return {advocate_id: int(count) for advocate_id, count in rows}


def ranking(session: Session, store: Store, *, period: str, now: datetime) -> list[dict[str, Any]]:
    """Every listed advocate of the store, best first: id, rank, name (masked), tier, count.
    Equal counts share a rank. Empty while the store has the leaderboard off."""
    if not store.leaderboard_enabled:
        return []
    days = PERIODS[period]
    since = now - timedelta(days=days) if days is not None else None
    rows = [(int(i), n, int(c)) for i, n, c in _counts(session, store, since)]
    ladder = tiers(session, store)
    # A tier is held by all-time referred buyers, whatever period the board counts.
    standing = _all_time(session, [i for i, _, _ in rows]) if ladder else {}
    out: list[dict[str, Any]] = []
    rank, previous = 0, -1
    for position, (advocate_id, name, count) in enumerate(rows, start=1):
        if count != previous:
            rank, previous = position, count
        out.append(
            {
                "id": advocate_id,
                "rank": rank,
                "name": display_name(name),
                "tier": _tier_of(ladder, standing.get(advocate_id, count)),
                "referred_buyers": count,
            }
        )
    return out


def public_board(
    session: Session, store: Store, *, period: str, size: int, now: datetime
) -> list[dict[str, Any]]:
    """The top ``size`` as the widget shows them (no ids)."""
    return [
        {k: v for k, v in row.items() if k != "id"}
        for row in ranking(session, store, period=period, now=now)[:size]
    ]


def own_rank(rows: list[dict[str, Any]], advocate_id: int) -> dict[str, Any] | None:
    """The advocate's own row in a ranking (None: not listed)."""
    return next((row for row in rows if row["id"] == advocate_id), None)
