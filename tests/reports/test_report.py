from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from starlette.testclient import TestClient

from rcommerce.reports import report, service, tables
from rcommerce.reports.definitions import TABLES
from rcommerce.reports.models import ReportDay
from rcommerce.reports.tasks import refresh_store
from rcommerce.reviews import submission
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.reports.seed import Seeded, expected, seed
from tests.support.runtime import StoreKeys

FIRST, LAST = date(2026, 3, 2), date(2026, 3, 22)


def _seed(runtime: Runtime, keys: StoreKeys, rng_seed: int = 7) -> Seeded:
    with runtime.transaction() as session:
        return seed(session, keys.store_id, random.Random(rng_seed), FIRST, LAST)


def _report(runtime: Runtime, keys: StoreKeys, group: str = "week", **kw: Any) -> dict[str, Any]:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        return report.word_of_mouth(
            session=session,
            settings=runtime.settings,
            store=store,
            first=FIRST,
            last=LAST,
            group=group,  # type: ignore[arg-type]
            now=runtime.now(),
            **kw,
        )


def _rollup(runtime: Runtime, keys: StoreKeys) -> None:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        service.refresh(
            session=session,
            settings=runtime.settings,
            store=store,
            first=FIRST - timedelta(days=3),
            last=LAST + timedelta(days=3),
            now=runtime.now(),
        )


def test_report_equals_figures_computed_from_the_raw_events(
    runtime: Runtime, make_store: Callable[..., StoreKeys]
) -> None:
    keys = make_store()
    other = make_store(name="Other")
    data = _seed(runtime, keys)
    _seed(runtime, other, rng_seed=99)  # another store's events must not leak in
    want = expected(data)
    _rollup(runtime, keys)
    from_rollups = _report(runtime, keys)
    from_raw = _report(runtime, keys, from_raw=True)
    for name, value in want.items():
        if name.startswith("_"):
            continue
        assert from_rollups["totals"][name] == value, name
        assert from_raw["totals"][name] == value, name
    channels = {c["channel"]: [c["clicks"], c["unique_clicks"]] for c in from_rollups["channels"]}
    assert channels == want["_channels"]
    praised = {a["aspect"]: a["count"] for a in from_rollups["aspects"]["praised"]}
    assert praised == {k: v[0] for k, v in want["_aspects"].items() if v[0]}
    top = {
        a["advocate_id"]: [a["referred_orders"], a["referred_revenue"], a["reward_cost"]]
        for a in from_rollups["top_advocates"]
    }
    assert top == {
        k: [v[0], str(v[1].quantize(Decimal("0.01"))), str(v[2].quantize(Decimal("0.01")))]
        for k, v in want["_per_advocate"].items()
        if v[0]
    }
    # The grouped periods add up to the totals, and people are counted once over the range.
    assert sum(p["clicks"] for p in from_rollups["periods"]) == want["clicks"]
    assert next(p["start"] for p in from_rollups["periods"]) == FIRST.isoformat()
    assert from_rollups["periods"] == from_raw["periods"]
    assert from_rollups["top_advocates"] == from_raw["top_advocates"]
    assert from_rollups["aspects"] == from_raw["aspects"]


def test_days_never_rolled_up_are_rolled_up_on_first_read(
    runtime: Runtime, store: StoreKeys
) -> None:
    data = _seed(runtime, store)
    got = _report(runtime, store, group="month")
    assert got["totals"]["clicks"] == expected(data)["clicks"]
    with runtime.transaction() as session:
        assert len(list(session.exec(ReportDay.__table__.select()))) == (LAST - FIRST).days + 1  # type: ignore[attr-defined]


def test_periodic_refresh_picks_up_new_events(
    runtime: Runtime, store: StoreKeys, clock: Any
) -> None:
    with runtime.transaction() as session:
        today = runtime.now()
        seeded = seed(session, store.store_id, random.Random(3), today.date(), today.date())
    refresh_store(runtime, store.store_id, 1)
    with runtime.transaction() as session:
        s = session.get(Store, store.store_id)
        assert s is not None
        day = (runtime.now() + timedelta(hours=7)).date()
        got = report.word_of_mouth(
            session=session, settings=runtime.settings, store=s, first=day, last=day
        )
    assert got["totals"]["clicks"] == sum(
        1 for c in seeded.clicks if (c.created_at + timedelta(hours=7)).date() == day
    )


def test_api_answers_json_and_csv_for_the_secret_key_only(
    client: TestClient, runtime: Runtime, make_store: Callable[..., StoreKeys]
) -> None:
    keys = make_store()
    other = make_store(name="Other")
    data = _seed(runtime, keys)
    _seed(runtime, other, rng_seed=5)
    want = expected(data)
    url = f"/api/v1/reports/word-of-mouth?from={FIRST}&to={LAST}&group=month"
    body = client.get(url, headers=keys.auth).json()
    assert body["totals"]["referred_revenue"] == want["referred_revenue"]
    assert [p["start"] for p in body["periods"]] == ["2026-03-02"]
    assert body["definitions"]["k_factor"]["vi"] == "Hệ số K"
    # The other store's key sees the other store's figures, never these.
    theirs = client.get(url, headers=other.auth).json()
    assert theirs["store_id"] == other.store_id
    assert theirs["totals"]["clicks"] != body["totals"]["clicks"]
    response = client.get(url, headers={**keys.auth, "Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows[0]["clicks"] == str(want["clicks"])
    assert rows[0]["revenue"] == want["revenue"]
    for table in TABLES:
        answer = client.get(url + f"&table={table}", headers={**keys.auth, "Accept": "text/csv"})
        assert answer.status_code == 200, table
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer sk_live_nope"}).status_code == 401


def test_api_refuses_bad_ranges_with_clear_errors(client: TestClient, store: StoreKeys) -> None:
    base = "/api/v1/reports/word-of-mouth"
    for query in (
        "from=2026-03-10&to=2026-03-01",
        "from=2026-02-30&to=2026-03-01",
        "from=yesterday&to=2026-03-01",
        "to=2026-03-01",
        "from=2020-01-01&to=2026-03-01",
        "from=2026-03-01&to=2026-03-02&group=year",
        "from=2026-03-01&to=2026-03-02&bogus=1",
        "from=9999-12-30&to=9999-12-31",  # the day after 'to' is past date.max
        "from=0001-01-01&to=0001-01-02",  # midnight in UTC+7 is before year 1
    ):
        response = client.get(f"{base}?{query}", headers=store.auth)
        assert response.status_code == 422, query
        assert response.json()["error"]["code"] in ("invalid",), query
    bad_table = client.get(
        f"{base}?from=2026-03-01&to=2026-03-02&table=orders",
        headers={**store.auth, "Accept": "text/csv"},
    )
    assert bad_table.status_code == 422


def test_csv_cells_cannot_run_as_spreadsheet_formulas() -> None:
    text = tables.csv_table(
        {
            "aspects": {
                "praised": [
                    {
                        "aspect": "quality",
                        "count": 1,
                        "examples": [{"review_id": 1, "quote": '=HYPERLINK("http://x")'}],
                    }
                ],
                "complained": [],
            }
        },
        "aspects",
    )
    assert "'=HYPERLINK" in text


def test_report_is_in_openapi(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    operation = document["paths"]["/api/v1/reports/word-of-mouth"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "group"} <= names
    assert not any(path.startswith("/dashboard") for path in document["paths"])


def test_a_review_scored_after_its_day_was_rolled_up_is_counted_scored(
    runtime: Runtime, store: StoreKeys, clock: Any
) -> None:
    written = runtime.now() - timedelta(days=5)
    day = (written + timedelta(hours=7)).date()
    with runtime.transaction() as session:
        shop = session.get(Store, store.store_id)
        assert shop is not None
        submission.submit_review(
            session=session,
            store=shop,
            product_id=None,  # a store review
            rating=2,
            body="Giao hàng chậm quá, áo thì đẹp",
            name="Lan",
            email="lan@example.com",
            now=written,
        )

    def totals(**kw: Any) -> dict[str, Any]:
        with runtime.transaction() as session:
            shop = session.get(Store, store.store_id)
            assert shop is not None
            got = report.word_of_mouth(
                session=session,
                settings=runtime.settings,
                store=shop,
                first=day,
                last=day,
                now=runtime.now(),
                **kw,
            )
            return dict(got["totals"])

    assert totals()["unscored"] == 1  # rolled up before moderation and scoring ran
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    clock.advance(minutes=11)  # the day's rebuild runs when its ten-minute window ends
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert totals() == totals(from_raw=True)
    assert totals()["unscored"] == 0


def test_quotes_are_confident_mentions_and_never_sarcastic_praise(
    runtime: Runtime, store: StoreKeys
) -> None:
    """Reviews scored by the real scorer: the sarcastic one ("Tuyệt vời ... Cảm ơn shop") is
    counted but never quoted as praise; a sincere, clear one is quoted; a mention the scorer is
    not sure of (or scored before confidence was recorded) is counted but not quoted."""
    from rcommerce.reviews.models import Review
    from rcommerce.reviews.scoring import apply_score, score_text

    written = runtime.now() - timedelta(days=3)
    day = written.date()
    texts = {
        "sarcastic": "Tuyệt vời, đặt hàng 2 tuần rồi vẫn chưa nhận được. Cảm ơn shop nhiều nhé",
        "sincere": "Shop tư vấn nhiệt tình, rất hài lòng",
        "unsure": "Shop này",
    }
    ids: dict[str, int] = {}
    with runtime.transaction() as session:
        for name, body in texts.items():
            row = Review(
                store_id=store.store_id,
                product_id="sp-1",
                rating=3,
                body=body,
                author_name=name,
                email=f"{name}@example.com",
                status="published",
                created_at=written,
            )
            apply_score(row, score_text(body, "vi"))
            session.add(row)
            session.flush()
            assert row.id is not None
            ids[name] = row.id
        legacy = Review(
            store_id=store.store_id,
            product_id="sp-1",
            rating=5,
            body="Shop phục vụ tốt (scored before confidence was recorded)",
            author_name="legacy",
            email="legacy@example.com",
            status="published",
            created_at=written,
            sentiment_label="positive",
            sentiment_compound=0.8,
            sentiment_aspects={"service": 0.8},
        )
        session.add(legacy)
        session.flush()
        sarcastic = session.get(Review, ids["sarcastic"])
        assert sarcastic is not None and sarcastic.sentiment_sarcasm is True
        assert sarcastic.sentiment_label == "negative"
        sincere = session.get(Review, ids["sincere"])
        assert sincere is not None and sincere.sentiment_sarcasm is False
        assert (sincere.sentiment_aspect_confidence or {}).get("service", 0) >= 0.5
        store_row = session.get(Store, store.store_id)
        assert store_row is not None
        got = report.word_of_mouth(
            session=session,
            settings=runtime.settings,
            store=store_row,
            first=day - timedelta(days=1),
            last=day + timedelta(days=1),
            now=runtime.now(),
            from_raw=True,
        )
    praised = {a["aspect"]: a for a in got["aspects"]["praised"]}
    quoted = {q["review_id"] for q in praised["service"]["examples"]}
    assert quoted == {ids["sincere"]}
    assert praised["service"]["count"] >= 2  # the legacy row counts, unquoted
    complained = {a["aspect"]: a for a in got["aspects"]["complained"]}
    for entry in complained.values():
        assert ids["unsure"] not in {q["review_id"] for q in entry["examples"]}
