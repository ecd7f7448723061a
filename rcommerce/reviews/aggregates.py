"""Per-product review aggregates kept incrementally, and the cache versions that expire with them.

Every change of a review that touches what is published runs inside ``tracking(...)``: the
review's contribution before and after is compared and only the difference is added, with a
SQL ``col = col + n`` so that concurrent writers never lose an update. After the commit the
product's cache version changes, so cached lists, summaries and markup are rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from rcommerce.db import after_commit
from rcommerce.reviews.models import PUBLISHED, Review, ReviewAggregate

if TYPE_CHECKING:
    from rcommerce.runtime import Runtime

VERSION_TTL = 24 * 3600
_COUNTERS = (
    "count",
    "rating_sum",
    "r1",
    "r2",
    "r3",
    "r4",
    "r5",
    "positive",
    "neutral",
    "negative",
    "unscored",
)


def contribution(review: Review) -> Counter[str]:
    """What one review adds to its product's aggregate (nothing unless it is published)."""
    if review.status != PUBLISHED:
        return Counter()
    label = review.sentiment_label if review.sentiment_label else "unscored"
    return Counter({"count": 1, "rating_sum": review.rating, f"r{review.rating}": 1, label: 1})


def apply(session: Session, store_id: int, product_id: str, delta: Counter[str]) -> None:
    apply_all(session, {(store_id, product_id): delta})


def ensure_row(session: Session, store_id: int, product_id: str) -> None:
    dialect = session.get_bind().dialect.name
    values = {"store_id": store_id, "product_id": product_id, **dict.fromkeys(_COUNTERS, 0)}
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(ReviewAggregate)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["store_id", "product_id"])
    )


@contextmanager
def tracking(session: Session, review: Review) -> Iterator[None]:
    """Apply the change the block makes to ``review`` to its product's aggregate."""
    before = contribution(review)
    old_product = review.product_id
    yield
    after = contribution(review)
    if old_product != review.product_id:
        apply(session, review.store_id, old_product, Counter({k: -v for k, v in before.items()}))
        apply(session, review.store_id, review.product_id, after)
        invalidate(session, review.store_id, old_product)
    else:
        delta = Counter(after)
        delta.subtract(before)
        apply(session, review.store_id, review.product_id, delta)
    invalidate(session, review.store_id, review.product_id)


class Changes:
    """``tracking`` for many reviews changed in one transaction: each product's aggregate is
    updated once, with the sum of its reviews' differences, by ``apply``."""

    def __init__(self) -> None:
        self._deltas: dict[tuple[int, str], Counter[str]] = {}

    @contextmanager
    def tracking(self, review: Review) -> Iterator[None]:
        before, old_product = contribution(review), review.product_id
        yield
        self._add(review.store_id, old_product, Counter({k: -v for k, v in before.items()}))
        self._add(review.store_id, review.product_id, contribution(review))

    def _add(self, store_id: int, product_id: str, delta: Counter[str]) -> None:
        self._deltas.setdefault((store_id, product_id), Counter()).update(delta)

    def apply(self, session: Session) -> None:
        apply_all(session, self._deltas)
        for store_id, product_id in self._deltas:
            invalidate(session, store_id, product_id)
        self._deltas.clear()


def apply_all(session: Session, deltas: dict[tuple[int, str], Counter[str]]) -> None:
    """``apply`` for many products in one statement: an upsert that creates a product's row
    with its difference or adds the difference to the row there (in key order, so that two
    writers of the same products on PostgreSQL take their row locks in the same order)."""
    rows = []
    for (store_id, product_id), delta in sorted(deltas.items()):
        if any(delta.get(name) for name in _COUNTERS):
            counts = {name: delta.get(name, 0) for name in _COUNTERS}
            rows.append({"store_id": store_id, "product_id": product_id, **counts})
    if not rows:
        return
    # The session's changes first, as an ORM statement would (the reviews' rows are locked
    # before their products' aggregates, in every writer); then the statement built once.
    session.flush()
    connection = session.connection()
    connection.execute(_upsert_once(connection.dialect.name), rows)


@functools.cache
def _upsert_once(dialect: str) -> Any:
    """``apply_all``'s upsert for one row of parameters (run for many: one compilation)."""
    table = ReviewAggregate.__table__  # type: ignore[attr-defined]
    insert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(
        {name: bindparam(name) for name in ("store_id", "product_id", *_COUNTERS)}
    )
    return statement.on_conflict_do_update(
        index_elements=["store_id", "product_id"],
        set_={name: table.c[name] + statement.excluded[name] for name in _COUNTERS},
    )


def summary(session: Session, store_id: int, product_id: str) -> dict[str, Any]:
    row = session.exec(
        select(ReviewAggregate).where(
            ReviewAggregate.store_id == store_id, ReviewAggregate.product_id == product_id
        )
    ).first()
    return (row or ReviewAggregate(store_id=store_id, product_id=product_id)).as_summary()


def rebuild(session: Session, store_id: int) -> int:
    """Recompute a store's aggregates from its reviews (repair tool; returns products seen)."""
    totals: dict[str, Counter[str]] = {}
    for review in session.exec(
        select(Review).where(Review.store_id == store_id, Review.status == PUBLISHED)
    ):
        totals.setdefault(review.product_id, Counter()).update(contribution(review))
    for row in session.exec(select(ReviewAggregate).where(ReviewAggregate.store_id == store_id)):
        totals.setdefault(row.product_id, Counter())
    for product_id, counts in totals.items():
        ensure_row(session, store_id, product_id)
        session.execute(
            update(ReviewAggregate)
            .where(
                col(ReviewAggregate.store_id) == store_id,
                col(ReviewAggregate.product_id) == product_id,
            )
            .values({name: counts.get(name, 0) for name in _COUNTERS})
        )
        invalidate(session, store_id, product_id)
    return len(totals)


# Cache versions: cached reads of a product are keyed by its current version. Testimonials
# use the product id TESTIMONIALS.
TESTIMONIALS = "*testimonials*"


def _version_key(store_id: int, product_id: str) -> str:
    digest = hashlib.sha1(product_id.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"reviews:v:{store_id}:{digest}"


def version(runtime: Runtime, store_id: int, product_id: str) -> str:
    key = _version_key(store_id, product_id)
    current = runtime.cache.get(key)
    if current is None:
        value = secrets.token_hex(6)
        runtime.cache.set(key, value.encode(), VERSION_TTL)
        return value
    return current.decode()


def local_version(runtime: Runtime, store_id: int, product_id: str) -> str | None:
    """The product's current version as this process holds it (None: only Redis can tell)."""
    current = runtime.cache.local(_version_key(store_id, product_id))
    return None if current is None else current.decode()


def bump(runtime: Runtime, store_id: int, product_id: str) -> None:
    """Retire the product's cached reads: the next read draws a new version. A delete, not a
    new value, so that one Redis could not take now is replayed when it answers again."""
    runtime.cache.delete(_version_key(store_id, product_id))


def invalidate(session: Session, store_id: int, product_id: str) -> None:
    """After this transaction commits, cached reads of the product are stale."""
    runtime: Runtime | None = session.info.get("runtime")
    if runtime is None:
        return
    pending: set[tuple[int, str]] = session.info.setdefault("reviews_stale", set())
    if not pending:
        after_commit(session, lambda: _flush(runtime, pending))
    pending.add((store_id, product_id))


def _flush(runtime: Runtime, pending: set[tuple[int, str]]) -> None:
    for store_id, product_id in pending:
        bump(runtime, store_id, product_id)
    pending.clear()
