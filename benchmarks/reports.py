"""How long the word-of-mouth report takes on a year of a busy store, from the daily roll-ups
and from the raw events; and how long the customer segments job and the segments report take.

    .venv/bin/python benchmarks/reports.py [--admin-url postgresql://postgres@127.0.0.1:5432/postgres]
        [--clicks 5000000] [--reviews 1000000] [--orders 300000] [--advocates 20000]
    .venv/bin/python benchmarks/reports.py --sqlite     # embedded: the segments on SQLite

Makes a throwaway PostgreSQL database, migrates it, bulk-loads the events with COPY (spread
over the last 365 days), builds the roll-ups with the same code the scheduled tasks run, then
times the report for 30 and for 365 days: from the roll-ups (what the API and the dashboard
do) and from the raw events (the same figures computed without roll-ups). Then it runs the
segments job (every customer put in their segments) and times the segments report. Drops the
database at the end. Targets: under 300 ms for a year from the roll-ups; the segments job
under 60 s; the segments report under 300 ms.

With ``--sqlite`` the same data is bulk-inserted into an embedded SQLite file (a temporary
directory, removed at the end) and only the segments job and report are timed.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlmodel import SQLModel  # noqa: E402

from rcommerce import db, domains  # noqa: E402
from rcommerce.boot import start_runtime  # noqa: E402
from rcommerce.customers import report as segments_report  # noqa: E402
from rcommerce.customers import service as segments  # noqa: E402
from rcommerce.customers.models import SegmentSettings, Thresholds  # noqa: E402
from rcommerce.reports import report, service  # noqa: E402
from rcommerce.runtime import Runtime  # noqa: E402
from rcommerce.settings import Settings  # noqa: E402
from rcommerce.stores import service as stores  # noqa: E402
from rcommerce.stores.models import Store  # noqa: E402

CATEGORIES = ("Đồ chơi", "Thời trang", "Thực phẩm", "Gia dụng", "Hàng mới về")
CHANNELS = ("zalo", "zalo", "zalo", "facebook", "facebook", "messenger", "email", "copy", "qr")
ASPECTS = ("delivery", "quality", "price", "service", "packaging")
BODIES = (
    "Giao hàng nhanh, đóng gói cẩn thận, chất lượng tốt",
    "Hang giao cham qua, shop tra loi tin nhan rat lau",
    "Great quality for the price, would buy again",
    "Áo mặc lên form đẹp nhưng vải hơi mỏng",
    "Packaging was damaged and delivery took two weeks",
    "Sản phẩm đúng mô tả, giá hợp lý",
)
CHUNK = 200_000
BOOLEANS = {"unique", "verified", "honeypot", "testimonial_consent", "active", "flagged"}
SEGMENTS_JOB_TARGET_S = 60.0
SEGMENTS_REPORT_TARGET_MS = 300.0
Conn = psycopg.Connection[Any] | sqlite3.Connection


def ts(moment: datetime | str) -> str:
    if isinstance(moment, str):  # as SQLite hands it back
        return moment[:19]
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def query(conn: Conn, sql: str, *params: Any) -> list[Any]:
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql.replace("%s", "?"), params).fetchall()
    return list(conn.execute(sql, params))


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: list[str], rows: Iterator[list[str]]
) -> int:
    """SQLite: the COPY text rows as bulk inserts (NULL, booleans and escapes converted)."""
    flags = [c in BOOLEANS for c in columns]
    sql = f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) ' + (
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    count, batch = 0, []
    for row in rows:
        batch.append(
            tuple(
                None if v == "\\N" else (v == "t") if flag else v.replace("\\\\", "\\")
                for v, flag in zip(row, flags, strict=True)
            )
        )
        if len(batch) == CHUNK:
            conn.executemany(sql, batch)
            count, batch = count + len(batch), []
    conn.executemany(sql, batch)
    conn.commit()
    return count + len(batch)


def copy_rows(conn: Conn, table: str, columns: list[str], rows: Iterator[list[str]]) -> int:
    """COPY in text format, written in large chunks (bulk inserts on SQLite)."""
    check_columns(table, columns)
    if isinstance(conn, sqlite3.Connection):
        return insert_rows(conn, table, columns, rows)
    count = 0
    with (
        conn.cursor() as cur,
        cur.copy(
            f'COPY "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN'
        ) as copy,
    ):
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join(row))
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    return count


def check_columns(table: str, columns: list[str]) -> None:
    """Every NOT NULL column without a server default must be given (fail before loading)."""
    schema = SQLModel.metadata.tables[table]
    needed = {
        c.name
        for c in schema.columns
        if not c.nullable
        and c.server_default is None
        and not (c.primary_key and c.type.python_type is int)
    }
    missing = needed - set(columns)
    if missing:
        raise SystemExit(f"{table}: the benchmark does not fill {sorted(missing)}")


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def seed(conn: Conn, store_id: int, args: argparse.Namespace, now: datetime) -> None:
    rng = random.Random(2026)
    start = now - timedelta(days=365)
    year = 365 * 86400

    def when() -> datetime:
        # Busier recently: a shop that grows through the year.
        return start + timedelta(seconds=int(year * (rng.random() ** 0.8)))

    t0 = time.perf_counter()
    n = copy_rows(
        conn,
        "advocate",
        [
            "store_id",
            "email",
            "email_canonical",
            "name",
            "referral_code",
            "status",
            "source",
            "leaderboard_opt_out",
            "created_at",
        ],
        (
            [
                str(store_id),
                f"customer{i}@example.com",
                f"customer{i}@example.com",
                f"Người giới thiệu {i}",
                f"B{i:09d}",
                "active",
                "api",
                "f",
                ts(when()),
            ]
            for i in range(args.advocates)
        ),
    )
    advocate_ids = [
        r[0] for r in query(conn, "SELECT id FROM advocate WHERE store_id = %s", store_id)
    ]
    print(f"  advocates: {n:>10,} rows", flush=True)
    customers = max(args.orders // 2, 1)
    order_times = sorted(when() for _ in range(args.orders))
    n = copy_rows(
        conn,
        "orders",
        [
            "store_id",
            "order_id",
            "email",
            "customer_name",
            "total",
            "currency",
            "status",
            "details",
            "placed_at",
            "created_at",
            "source",
            "refunded_amount",
        ],
        (
            [*row[:6], row[6], *row[7:], "api", row[4] if row[6] == "refunded" else "0"]
            for row in (
                [
                    str(store_id),
                    f"DH{i}",
                    f"customer{rng.randrange(customers)}@example.com",
                    "Khách",
                    str(rng.randrange(50, 3000) * 1000),
                    "VND",
                    "refunded" if rng.random() < 0.04 else "placed",
                    '{"coupon_codes": ["SALE10"]}' if rng.random() < 0.3 else "{}",
                    ts(moment),
                    ts(moment),
                ]
                for i, moment in enumerate(order_times)
            )
        ),
    )
    print(f"  orders:    {n:>10,} rows", flush=True)
    orders = query(conn, "SELECT id, total, placed_at FROM orders WHERE store_id = %s", store_id)
    if isinstance(conn, sqlite3.Connection):  # text there: the timestamps as datetimes
        orders = [(pk, total, datetime.fromisoformat(placed)) for pk, total, placed in orders]
    n = copy_rows(
        conn,
        "product",
        ["store_id", "product_id", "name", "category", "created_at"],
        (
            [str(store_id), f"sp-{i}", f"Sản phẩm {i}", CATEGORIES[i % 5], ts(now)]
            for i in range(500)
        ),
    )
    n = copy_rows(
        conn,
        "order_item",
        ["order_pk", "product_id", "name", "quantity"],
        ([str(pk), f"sp-{rng.randrange(500)}", "", str(rng.randint(1, 3))] for pk, _, _ in orders),
    )
    print(f"  order lines:{n:>9,} rows", flush=True)
    referred = rng.sample(orders, len(orders) // 10)
    statuses = ("approved", "approved", "approved", "pending", "held", "rejected", "ineligible")
    conversion_rows = []
    for order_pk, total, placed in referred:
        conversion_rows.append(
            (order_pk, rng.choice(advocate_ids), rng.choice(statuses), total, placed)
        )
    n = copy_rows(
        conn,
        "conversion",
        [
            "store_id",
            "order_pk",
            "advocate_id",
            "attributed_by",
            "click_id",
            "status",
            "reasons",
            "order_total",
            "created_at",
            "approve_after",
        ],
        (
            [
                str(store_id),
                str(order_pk),
                str(advocate_id),
                "token",
                f"{rng.randrange(max(args.clicks, 1)):032x}",  # the click that brought it
                status,
                "[]",
                str(total),
                ts(placed),
                ts(placed + timedelta(days=14)),
            ]
            for order_pk, advocate_id, status, total, placed in conversion_rows
        ),
    )
    print(f"  conversions:{n:>9,} rows", flush=True)
    conversions = query(
        conn,
        "SELECT id, advocate_id, status, created_at FROM conversion WHERE store_id = %s",
        store_id,
    )

    def rewards() -> Iterator[list[str]]:
        for conversion_id, advocate_id, status, created in conversions:
            if status != "ineligible":
                state = (
                    "void"
                    if status == "rejected"
                    else rng.choice(("pending", "issued", "redeemed"))
                )
                yield [
                    str(store_id),
                    str(conversion_id),
                    str(advocate_id),
                    "advocate",
                    "store_credit",
                    "50000",
                    state,
                    ts(created),
                ]
            if rng.random() < 0.6:
                yield [
                    str(store_id),
                    str(conversion_id),
                    str(advocate_id),
                    "friend",
                    "coupon_percent",
                    "10",
                    "redeemed",
                    ts(created),
                ]

    n = copy_rows(
        conn,
        "reward",
        [
            "store_id",
            "conversion_id",
            "advocate_id",
            "recipient",
            "kind",
            "value",
            "status",
            "created_at",
        ],
        rewards(),
    )
    print(f"  rewards:   {n:>10,} rows", flush=True)
    t1 = time.perf_counter()
    n = copy_rows(
        conn,
        "click",
        ["id", "store_id", "advocate_id", "channel", "unique", "created_at"],
        (
            [
                f"{i:032x}",
                str(store_id),
                str(advocate_ids[int(len(advocate_ids) * (rng.random() ** 2))]),
                rng.choice(CHANNELS),
                "t" if rng.random() < 0.62 else "f",
                ts(when()),
            ]
            for i in range(args.clicks)
        ),
    )
    print(f"  clicks:    {n:>10,} rows ({time.perf_counter() - t1:.0f} s)", flush=True)
    t1 = time.perf_counter()

    def reviews() -> Iterator[list[str]]:
        for i in range(args.reviews):
            created = when()
            rating = rng.choice((5, 5, 5, 4, 4, 3, 2, 1))
            scored = rng.random() < 0.9
            label = (
                ("positive" if rating >= 4 else "negative" if rating <= 2 else "neutral")
                if scored
                else None
            )
            aspects = (
                {a: round(rng.uniform(-1, 1), 3) for a in rng.sample(ASPECTS, rng.randint(0, 2))}
                if scored
                else None
            )
            replied = rng.random() < 0.3
            yield [
                str(store_id),
                f"sp-{i % 500}",
                str(rating),
                "",
                escape(rng.choice(BODIES)),
                f"Khách {i}",
                # Customers review: one review per product and person.
                f"customer{(i // 500) % customers}@example.com",
                "widget",
                "t" if rng.random() < 0.5 else "f",
                rng.choice(("published",) * 8 + ("pending", "rejected")),
                "[]",
                "",
                "f",
                "0",
                str(rng.choice((0, 0, 0, 1, 4))),
                "0",
                "0",
                "t",
                "f",
                "f",
                label or "\\N",
                str(round(rng.uniform(-1, 1), 3)) if scored else "\\N",
                json.dumps(aspects) if aspects is not None else "\\N",
                ts(created + timedelta(hours=rng.randint(1, 96))) if replied else "\\N",
                "Cảm ơn bạn!" if replied else "\\N",
                ts(created),
                ts(created),
            ]

    n = copy_rows(
        conn,
        "review",
        [
            "store_id",
            "product_id",
            "rating",
            "title",
            "body",
            "author_name",
            "email",
            "source",
            "verified",
            "status",
            "flags",
            "fingerprint",
            "honeypot",
            "photo_count",
            "helpful_count",
            "not_helpful_count",
            "report_count",
            "testimonial_consent",
            "flagged",
            "incentivized",
            "sentiment_label",
            "sentiment_compound",
            "sentiment_aspects",
            "reply_at",
            "reply_body",
            "created_at",
            "updated_at",
        ],
        reviews(),
    )
    print(f"  reviews:   {n:>10,} rows ({time.perf_counter() - t1:.0f} s)", flush=True)
    conn.execute("ANALYZE")
    print(f"  loaded in {time.perf_counter() - t0:.0f} s", flush=True)


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def time_segments(runtime: Runtime, store_id: int, today: date, now: datetime, runs: int) -> None:
    """The segments job on the whole store, then the segments report for 30 and 365 days."""
    with runtime.transaction() as session:
        marked = Thresholds(entertainment_categories=["Đồ chơi", "Hàng mới về"])
        session.add(SegmentSettings(store_id=store_id, thresholds=marked.model_dump()))
    started = time.perf_counter()
    with runtime.transaction() as session:
        store = session.get(Store, store_id)
        assert store is not None
        members = segments.compute(session=session, store=store, now=now)
    job = time.perf_counter() - started
    print()
    print(
        f"segments job: {job:.1f} s (target {SEGMENTS_JOB_TARGET_S:.0f} s, "
        f"{job / SEGMENTS_JOB_TARGET_S:.2f} of it); members: "
        + ", ".join(f"{name} {count:,}" for name, count in members.items()),
        flush=True,
    )

    def read(first: date) -> dict[str, Any]:
        with runtime.transaction(readonly=True) as session:
            store = session.get(Store, store_id)
            assert store is not None
            return segments_report.segments_report(
                session=session, store=store, first=first, last=today
            )

    for days in (30, 365):
        first = today - timedelta(days=days - 1)
        read(first)  # warm the connection pool and caches
        took, data = timed(lambda first=first: read(first), runs)
        orders = sum(row["orders"] for row in data["segments"])
        print(
            f"segments report, {days:>3} days: {took:.1f} ms (target "
            f"{SEGMENTS_REPORT_TARGET_MS:.0f} ms, {took / SEGMENTS_REPORT_TARGET_MS:.2f} of it); "
            f"{orders:,} member orders",
            flush=True,
        )


def run_sqlite(args: argparse.Namespace) -> None:
    """The segments on the embedded database: SQLite filled with bulk inserts."""
    folder = Path(tempfile.mkdtemp(prefix="rcommerce-bench-"))
    path = folder / "rcommerce.db"
    settings = Settings(
        database_url=f"sqlite:///{path}",
        secret_key="benchmark-secret-" + "x" * 40,
        data_dir=folder,
    )
    print(f"SQLite database {path}", flush=True)
    try:
        db.migrate(settings)
        domains.load("models")
        runtime = start_runtime(settings)
        now = datetime.now(UTC).replace(microsecond=0)
        with runtime.transaction() as session:
            created = stores.create_store(
                session=session, name="Benchmark", origins=["https://shop.example"]
            )
            store_id = created.store.id
        assert store_id is not None
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA synchronous = OFF")
        try:
            seed(conn, store_id, args, now)
        finally:
            conn.close()
        time_segments(runtime, store_id, (now + timedelta(hours=7)).date(), now, args.runs)
        runtime.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"removed {folder}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--clicks", type=int, default=5_000_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=300_000)
    parser.add_argument("--advocates", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument(
        "--sqlite", action="store_true", help="embedded: only the segments, on SQLite"
    )
    args = parser.parse_args()
    if args.sqlite:
        run_sqlite(args)
        return

    name = f"rcommerce_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base = args.admin_url.rpartition("/")[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    settings = Settings(
        database_url=url, secret_key="benchmark-secret-" + "x" * 40, data_dir=Path("/tmp")
    )
    print(f"database {name} on {base.split('@')[-1]}", flush=True)
    try:
        db.migrate(settings)
        domains.load("models")
        runtime = start_runtime(settings)
        now = datetime.now(UTC).replace(microsecond=0)
        with runtime.transaction() as session:
            created = stores.create_store(
                session=session, name="Benchmark", origins=["https://shop.example"]
            )
            store_id = created.store.id
        assert store_id is not None
        with psycopg.connect(f"{base}/{name}", autocommit=True) as conn:
            seed(conn, store_id, args, now)
        today = (now + timedelta(hours=7)).date()
        first_day = today - timedelta(days=364)

        started = time.perf_counter()
        day = first_day
        while day <= today:
            last = min(day + timedelta(days=30), today)
            with runtime.transaction() as session:
                store = session.get(Store, store_id)
                assert store is not None
                service.refresh(
                    session=session, settings=settings, store=store, first=day, last=last, now=now
                )
            day = last + timedelta(days=1)
        build = time.perf_counter() - started
        print(
            f"roll-ups for 365 days built in {build:.1f} s (the nightly task rebuilds 60 of them)",
            flush=True,
        )

        def run(first: date, from_raw: bool) -> dict[str, Any]:
            with runtime.transaction(readonly=True) as session:
                store = session.get(Store, store_id)
                assert store is not None
                return report.word_of_mouth(
                    session=session,
                    settings=settings,
                    store=store,
                    first=first,
                    last=today,
                    group="day" if (today - first).days < 40 else "week",
                    now=now,
                    from_raw=from_raw,
                )

        print()
        print(f"{'range':>10} {'from roll-ups':>15} {'from raw events':>17} {'same figures':>13}")
        for days in (30, 365):
            first = today - timedelta(days=days - 1)
            run(first, False)  # warm the connection pool and caches
            fast, rolled = timed(lambda first=first: run(first, False), args.runs)
            slow, raw = timed(lambda first=first: run(first, True), 1 if days > 30 else 3)
            same = rolled["totals"] == raw["totals"] and rolled["periods"] == raw["periods"]
            print(f"{days:>6} days {fast:>12.1f} ms {slow:>14.1f} ms {same!s:>13}", flush=True)
        totals = rolled["totals"]
        print()
        print(
            f"a year: {totals['clicks']:,} clicks, {totals['reviews']:,} reviews, "
            f"{totals['orders']:,} orders, {totals['referred_orders']:,} referred, "
            f"K-factor {totals['k_factor']}, ROI {totals['roi']}"
        )
        time_segments(runtime, store_id, today, now, args.runs)
        runtime.close()
    finally:
        if not args.keep:
            with psycopg.connect(args.admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            print(f"dropped {name}")


if __name__ == "__main__":
    main()
