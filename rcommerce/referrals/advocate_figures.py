"""The dashboard's list of advocates with their figures (clicks, referred orders and revenue,
balance), sorted by any of them in SQL and read a page at a time."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import Session, col, select

from rcommerce.advocates import service as advocates
from rcommerce.advocates.models import Advocate
from rcommerce.referrals.models import Click, Conversion, LedgerEntry
from rcommerce.stores.models import Store

Sort = Literal["joined", "name", "clicks", "referred_orders", "revenue", "balance"]
SORTS: tuple[Sort, ...] = ("joined", "name", "clicks", "referred_orders", "revenue", "balance")
# A referred order counts while it may still earn (waiting, held, approved), as on the
# advocate's own page; rejected, reversed and ineligible ones do not.
COUNTED = ("pending", "held", "approved")


def advocates_with_figures(
    *,
    session: Session,
    store: Store,
    search: str | None = None,
    sort: Sort = "joined",
    descending: bool = True,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the store's advocates with their figures, and how many match ``search``."""
    matching = advocates.advocates_query(store=store, search=search).subquery()
    total = session.exec(select(func.count()).select_from(matching)).one()
    clicks = (
        select(Click.advocate_id, func.count().label("n"))
        .where(Click.store_id == store.id)
        .group_by(col(Click.advocate_id))
        .subquery()
    )
    orders = (
        select(
            Conversion.advocate_id,
            func.count().label("n"),
            func.sum(Conversion.order_total).label("revenue"),
        )
        .where(Conversion.store_id == store.id, col(Conversion.status).in_(COUNTED))
        .group_by(col(Conversion.advocate_id))
        .subquery()
    )
    credit = (
        select(LedgerEntry.advocate_id, func.sum(LedgerEntry.amount).label("balance"))
        .where(LedgerEntry.store_id == store.id, LedgerEntry.unit == "credit")
        .group_by(col(LedgerEntry.advocate_id))
        .subquery()
    )
    figures = {
        "clicks": func.coalesce(clicks.c.n, 0),
        "referred_orders": func.coalesce(orders.c.n, 0),
        "revenue": func.coalesce(orders.c.revenue, 0),
        "balance": func.coalesce(credit.c.balance, 0),
    }
    keys: dict[str, Any] = {
        "joined": col(Advocate.created_at),
        "name": func.lower(
            func.coalesce(
                func.nullif(col(Advocate.name), ""), col(Advocate.email), col(Advocate.phone)
            )
        ),
        **figures,
    }
    key = keys[sort]
    query = (
        select(Advocate, *(value.label(name) for name, value in figures.items()))
        .join(matching, matching.c.id == Advocate.id)
        .outerjoin(clicks, clicks.c.advocate_id == Advocate.id)
        .outerjoin(orders, orders.c.advocate_id == Advocate.id)
        .outerjoin(credit, credit.c.advocate_id == Advocate.id)
        .order_by(key.desc() if descending else key.asc(), col(Advocate.id).desc())
        .limit(limit)
        .offset(offset)
    )
    found: Any = session.execute(query)  # an advocate and its four figures per row
    rows = []
    for advocate, n_clicks, n_orders, revenue, balance in found:
        rows.append(
            {
                "id": advocate.id,
                "name": advocate.name,
                "email": advocate.email,
                "phone": advocate.phone,
                "referral_code": advocate.referral_code,
                "status": advocate.status,
                "created_at": advocate.created_at,
                "clicks": int(n_clicks),
                "referred_orders": int(n_orders),
                "revenue": Decimal(str(revenue)).quantize(Decimal("0.01")),
                "balance": Decimal(str(balance)).quantize(Decimal("0.01")),
            }
        )
    return rows, int(total)
