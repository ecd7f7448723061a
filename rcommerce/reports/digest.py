"""The weekly digest e-mail: last week's word of mouth beside the week before, per manager,
in the manager's language (else the store's)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from rcommerce.mail import Mail
from rcommerce.reports.definitions import DEFINITIONS
from rcommerce.reports.report import word_of_mouth
from rcommerce.settings import Settings
from rcommerce.stores.models import Manager, Store
from rcommerce.templating import format_money, render

DIGEST_METRICS = (
    ("advocates_joined", "count"),
    ("unique_clicks", "count"),
    ("referred_orders", "count"),
    ("referred_revenue", "money"),
    ("referred_revenue_share", "percent"),
    ("reward_cost", "money"),
    ("roi", "ratio"),
    ("k_factor", "ratio"),
    ("reviews", "count"),
    ("average_rating", "ratio"),
    ("reply_rate", "percent"),
)

SUBJECT = {
    "vi": "{store}: truyền miệng tuần {first} – {last}",
    "en": "{store}: word of mouth, week of {first} – {last}",
}
INTRO = {
    "vi": "Tuần trước so với tuần trước nữa.",
    "en": "Last week compared with the week before.",
}


def show(value: Any, kind: str, currency: str) -> str:
    if value is None:
        return "—"
    if kind == "money":
        return format_money(value, currency)
    if kind == "percent":
        return f"{float(value) * 100:.1f}%"
    return str(value)


def compose(
    *,
    session: Session,
    settings: Settings,
    store: Store,
    first: date,
    now: datetime,
    job_id: str,
) -> list[Mail]:
    last = first + timedelta(days=6)
    current = word_of_mouth(
        session=session,
        settings=settings,
        store=store,
        first=first,
        last=last,
        group="week",
        now=now,
    )
    before = word_of_mouth(
        session=session,
        settings=settings,
        store=store,
        first=first - timedelta(days=7),
        last=first - timedelta(days=1),
        group="week",
        now=now,
    )
    managers = list(session.exec(select(Manager).where(Manager.store_id == store.id)))
    mails = []
    for manager in managers:
        locale = manager.locale or store.locale
        locale = locale if locale in ("vi", "en") else "en"
        rows = [
            {
                "label": DEFINITIONS[name][1 if locale == "vi" else 0],
                "now": show(current["totals"][name], kind, store.currency),
                "before": show(before["totals"][name], kind, store.currency),
            }
            for name, kind in DIGEST_METRICS
        ]
        praised = [a["aspect"] for a in current["aspects"]["praised"][:3]]
        complained = [a["aspect"] for a in current["aspects"]["complained"][:3]]
        link = (
            f"{settings.base_url}/dashboard/reports?from={first.isoformat()}"
            f"&to={last.isoformat()}&group=day"
        )
        context = {
            "locale": locale,
            "store": store.name,
            "intro": INTRO[locale],
            "rows": rows,
            "praised": praised,
            "complained": complained,
            "link": link,
            "first": first.isoformat(),
            "last": last.isoformat(),
        }
        mails.append(
            Mail(
                to=manager.email,
                subject=SUBJECT[locale].format(
                    store=store.name, first=first.isoformat(), last=last.isoformat()
                ),
                text=render("reports/digest.txt", **context),
                html=render("reports/digest.html", **context),
                message_id=f"<digest-{job_id}-{manager.id}@rcommerce>",
            )
        )
    return mails
