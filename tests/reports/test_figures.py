"""The word-of-mouth figures as docs/reports.md defines them: a period built by hand (with
orders referred by a typed code or a coupon alone, without a click) checked figure by figure,
and no rate above 1 over randomised data, whatever the grouping."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from rcommerce.advocates.models import Advocate
from rcommerce.jobs import Job
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Click, Conversion, Reward
from rcommerce.reports import report
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.reports.seed import seed
from tests.support.referrals import enrol, follow, post_order
from tests.support.runtime import Clock, StoreKeys

DAY = date(2026, 3, 10)
AT = datetime(2026, 3, 10, 3, tzinfo=UTC)  # 10:00 in Ho Chi Minh City
RATES = (
    "referral_rate",
    "conversion_rate",
    "invite_conversion",
    "referred_revenue_share",
    "reply_rate",
)


def _report(runtime: Runtime, keys: StoreKeys, first: date, last: date, **kw: Any) -> Any:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        return report.word_of_mouth(
            session=session,
            settings=runtime.settings,
            store=store,
            first=first,
            last=last,
            now=runtime.now(),
            **kw,
        )


def _build_day(session: Session, store_id: int) -> None:
    """One day of a store: three advocates, seven clicks (three unique), nine orders."""

    def advocate(name: str, joined: datetime) -> int:
        row = Advocate(
            store_id=store_id,
            email=f"{name}@example.com",
            email_canonical=f"{name}@example.com",
            name=name,
            referral_code=f"K{uuid.uuid4().hex[:6].upper()}",
            created_at=joined,
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id

    a = advocate("anh", AT)
    b = advocate("binh", AT)  # never shares a link: refers by code and coupon only
    c = advocate("chi", AT - timedelta(days=40))

    clicks: dict[str, str] = {}
    for name, owner, unique, channel in (
        ("a1", a, True, "zalo"),
        ("a2", a, True, "facebook"),
        ("a3", a, False, "zalo"),
        ("a4", a, False, "copy"),
        ("a5", a, False, "zalo"),  # a repeat visit within the hour: not a unique click
        ("a6", a, False, "zalo"),
        ("c1", c, True, "messenger"),
    ):
        clicks[name] = uuid.uuid4().hex
        session.add(
            Click(
                id=clicks[name],
                store_id=store_id,
                advocate_id=owner,
                channel=channel,
                unique=unique,
                created_at=AT,
            )
        )
    session.flush()

    def order(
        number: int,
        email: str,
        total: int,
        referred: tuple[int, str, str | None, str] | None = None,
        rewards: tuple[tuple[str, str, Decimal, str], ...] = (),
        refunded: bool = False,
    ) -> None:
        row = Order(
            store_id=store_id,
            order_id=f"H{number}",
            email=email,
            total=Decimal(total * 1000),
            currency="VND",
            status="refunded" if refunded else "placed",
            placed_at=AT + timedelta(minutes=number),
        )
        session.add(row)
        session.flush()
        if referred is None:
            return
        advocate_id, kind, click, status = referred
        conversion = Conversion(
            store_id=store_id,
            order_pk=row.id,  # type: ignore[arg-type]
            advocate_id=advocate_id,
            attributed_by=kind,
            click_id=clicks[click] if click else None,
            status=status,
            order_total=row.total,
            created_at=row.placed_at,
            approve_after=row.placed_at + timedelta(days=14),
        )
        session.add(conversion)
        session.flush()
        for recipient, reward_kind, value, reward_status in rewards:
            session.add(
                Reward(
                    store_id=store_id,
                    conversion_id=conversion.id,  # type: ignore[arg-type]
                    advocate_id=advocate_id,
                    recipient=recipient,
                    kind=reward_kind,
                    value=value,
                    status=reward_status,
                    created_at=row.placed_at,
                )
            )

    credit = ("advocate", "store_credit", Decimal(50000))
    order(1, "f1@example.com", 200, (a, "token", "a1", "pending"), ((*credit, "pending"),))
    order(
        2,
        "f2@example.com",
        300,
        (a, "token", "a5", "approved"),
        ((*credit, "issued"), ("friend", "coupon_percent", Decimal(10), "redeemed")),
    )
    order(
        3,
        "f3@example.com",
        100,
        (b, "code", None, "pending"),
        (("advocate", "coupon_fixed", Decimal(30000), "approved"),),
    )
    order(
        4,
        "f4@example.com",
        150,
        (b, "coupon", None, "held"),
        (("advocate", "points", Decimal(200), "pending"),),
    )
    order(
        5,
        "f5@example.com",
        250,
        (c, "coupon", None, "pending"),
        ((*credit, "void"), ("friend", "coupon_percent", Decimal(10), "redeemed")),
    )
    order(
        6,
        "f6@example.com",
        500,
        (a, "token", "a2", "reversed"),
        ((*credit, "clawed_back"),),
        refunded=True,
    )
    order(7, "f7@example.com", 400, (a, "token", "a3", "rejected"))
    order(8, "buyer@example.com", 1000)
    order(9, "buyer@example.com", 50)


def test_a_period_built_by_hand_gives_every_figure(
    runtime: Runtime, make_store: Callable[..., StoreKeys]
) -> None:
    keys = make_store()
    with runtime.transaction() as session:
        _build_day(session, keys.store_id)
    want = {
        "advocates_joined": 2,
        "customers": 7,  # f1, f2, f3, f4, f5, f7 and the buyer of two orders (f6 refunded)
        "referred_customers": 5,
        "referrers": 3,
        "referral_rate": round(5 / 7, 4),
        "sharing_advocates": 2,  # anh and chi; binh never shared a link
        "clicks": 7,
        "unique_clicks": 3,
        "referred_orders": 5,  # H1-H5: H6 was refunded, H7's conversion rejected
        "referred_orders_by_click": 2,
        "referred_orders_by_code": 1,
        "referred_orders_by_coupon": 2,
        # a1 (H1) and a5 (H2, a repeat visit): two of the three unique clicks. Dividing all
        # five referred orders by the clicks, as before, gave 5 / 3 = 1.67.
        "converted_clicks": 2,
        "conversion_rate": round(2 / 3, 4),
        "orders": 8,
        "revenue": "2450000.00",
        "referred_revenue": "1000000.00",
        "referred_revenue_share": round(1000 / 2450, 4),
        # 50 000 + 50 000 credit, 30 000 fixed coupon, 10 % of 300 000 and of 250 000
        "reward_cost": "185000.00",
        "reward_points": "200.00",
        "roi": round((1000000 - 185000) / 185000, 2),
        "invites_per_advocate": 1.5,
        "invite_conversion": round(2 / 3, 4),
        "k_factor": 1.0,  # 1.5 invites × 2/3 converted: one new customer per sharing advocate
        "reviews": 0,
        "average_rating": None,
        **{f"rating_{n}": 0 for n in range(1, 6)},
        "positive": 0,
        "neutral": 0,
        "negative": 0,
        "unscored": 0,
        "replied": 0,
        "reply_rate": None,
        "reply_hours": None,
    }
    for source in ({}, {"from_raw": True}):
        got = _report(runtime, keys, DAY, DAY, **source)
        assert got["totals"] == want, source
        assert got["periods"][0] == {"start": "2026-03-10", "end": "2026-03-10", **want}
        # Every figure but the rating counts, unscored and replied has its definition.
        undefined = {f"rating_{n}" for n in range(1, 6)} | {"unscored", "replied"}
        assert set(want) - undefined <= set(got["definitions"])


def test_a_click_converts_on_its_own_day_whenever_the_order_comes(
    runtime: Runtime, make_store: Callable[..., StoreKeys]
) -> None:
    keys = make_store()
    with runtime.transaction() as session:
        _build_day(session, keys.store_id)
        # A friend who clicked c1 on the 10th orders on the 20th.
        late = Order(
            store_id=keys.store_id,
            order_id="LATE",
            email="late@example.com",
            total=Decimal(90000),
            currency="VND",
            placed_at=AT + timedelta(days=10),
        )
        session.add(late)
        session.flush()
        c1 = session.exec(Click.__table__.select().where(Click.channel == "messenger")).one()  # type: ignore[attr-defined]
        session.add(
            Conversion(
                store_id=keys.store_id,
                order_pk=late.id,  # type: ignore[arg-type]
                advocate_id=c1.advocate_id,
                attributed_by="token",
                click_id=c1.id,
                status="pending",
                order_total=late.total,
                created_at=late.placed_at,
                approve_after=late.placed_at,
            )
        )
    tenth = _report(runtime, keys, DAY, DAY, from_raw=True)["totals"]
    assert (tenth["converted_clicks"], tenth["conversion_rate"]) == (3, 1.0)
    twentieth = _report(runtime, keys, DAY + timedelta(days=10), DAY + timedelta(days=10))
    totals = twentieth["totals"]
    # The order counts on its own day; its click converted on the 10th, so no click today.
    assert (totals["referred_orders_by_click"], totals["unique_clicks"]) == (1, 0)
    assert totals["conversion_rate"] is None and totals["k_factor"] is None


@pytest.mark.parametrize("rng_seed", [1, 2, 3])
def test_no_rate_exceeds_one_over_randomised_data(
    runtime: Runtime, make_store: Callable[..., StoreKeys], rng_seed: int
) -> None:
    keys = make_store()
    rng = random.Random(rng_seed)
    first = date(2026, 3, 1) + timedelta(days=rng.randrange(20))
    last = first + timedelta(days=rng.randrange(1, 12))
    with runtime.transaction() as session:
        seed(session, keys.store_id, rng, first, last)
    for group in ("day", "week", "month"):
        for source in ({}, {"from_raw": True}):
            got = _report(runtime, keys, first, last, group=group, **source)
            for period in [got["totals"], *got["periods"]]:
                for name in RATES:
                    value = period[name]
                    assert value is None or 0 <= value <= 1, (group, name, value)
                assert period["converted_clicks"] <= period["unique_clicks"]
                assert period["referred_customers"] <= period["customers"]
                assert (
                    period["referred_orders_by_click"]
                    + period["referred_orders_by_code"]
                    + period["referred_orders_by_coupon"]
                    == period["referred_orders"]
                )
            assert all(0 <= c["share"] <= 1 for c in got["channels"])


def test_a_click_converting_days_later_rebuilds_the_clicks_day(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock
) -> None:
    advocate = enrol(client, store)
    clicked = runtime.now()
    token = follow(client, advocate["referral_code"])
    clock.advance(days=5)
    post_order(client, store, "LATER", referral_token=token)
    with runtime.transaction(readonly=True) as session:
        jobs = session.exec(select(Job).where(Job.name == "reports.rebuild")).all()
    day = (clicked + timedelta(hours=7)).date().isoformat()
    assert [(j.payload["first"], j.payload["last"]) for j in jobs] == [(day, day)]
