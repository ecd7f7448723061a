"""Distributed mode side by side with bare Starlette: widget reads and referral redirects
served by 1 and by 2 web processes on PostgreSQL + Redis, with a Celery worker running.

    .venv/bin/python benchmarks/distributed.py [--processes 1 2] [--rounds 3] [--seconds 5]
        [--connections 50] [--postgres URL] [--redis URL]

It creates a throwaway PostgreSQL database (on --postgres, default the local server's
``postgres`` database, whose server must accept the current user) and uses one Redis database
(--redis, default db 13 of the local server, emptied before and after). A store, a product
with 10 published reviews and an advocate are seeded through the API; then for each process
count N, rcommerce (``uvicorn rcommerce.asgi:app --workers N``, distributed mode) and a bare
Starlette app (same uvicorn options, same N, answering the same bytes: the page rcommerce
sent, a 302) are measured in alternating rounds by the same load generator (benchmarks/_load.py,
--connections keep-alive connections, shoppers' browsers from 4,096 addresses). It prints
req/s, p50/p99 latency, server CPU per request and the ratios (median of the rounds), and
checks that every 302 became a recorded click.

Targets (issue #20): with 2 web processes, reads and redirects each >= 0.5 of bare Starlette
with 2 processes, p99 under 15 ms at 50 connections.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import psycopg
import redis
from _load import (
    ROOT,
    alternate,
    combined,
    cpu_ratio,
    free_port,
    http_request,
    load,
    median_ratio,
    report,
    run,
    serve,
    stop,
    verdict,
)
from reviews import ORIGIN, capture, cli, import_csv, read_requests, wait_scored
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

RATIO_TARGET, P99_TARGET = 0.5, 15.0
PRODUCT = "ao-thun-10"
BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/24.04 ZaloTheme/light ZaloLanguage/vn"
)
RESPONSES_ENV = "RC_BENCH_DISTRIBUTED_ANSWER"


# ---- the baseline: the same page and a 302, from a bare Starlette app -------------------------


def _stored() -> tuple[int, bytes, dict[str, str]]:
    path = os.environ.get(RESPONSES_ENV)
    if not path:
        return 200, b"", {}
    entry = json.loads(Path(path).read_text())
    return entry["status"], base64.b64decode(entry["body"]), dict(entry["headers"])


_ANSWER = _stored()


async def _bare_reviews(request: Request) -> Response:
    status, body, headers = _ANSWER
    return Response(body, status_code=status, headers=headers)


async def _bare_redirect(request: Request) -> Response:
    return RedirectResponse("https://shop.example/?rc_ref=x", status_code=302)


bare_app = Starlette(
    routes=[
        Route("/embed/v1/{key}/products/{product_id}/reviews", _bare_reviews),
        Route("/r/{code}", _bare_redirect),
    ]
)


# ---- set-up -----------------------------------------------------------------------------------


def environment(data_dir: Path, database_url: str, redis_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "RCOMMERCE_DATA_DIR": str(data_dir),
        "RCOMMERCE_DATABASE_URL": database_url,
        "RCOMMERCE_SECRET_KEY": secrets.token_urlsafe(48),
        "RCOMMERCE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("RCOMMERCE_REDIS_URL", None)
    if redis_url:
        env["RCOMMERCE_REDIS_URL"] = redis_url
    return env


def seed(env: dict[str, str]) -> tuple[dict[str, str], str]:
    """Store, product with 10 published and scored reviews, advocate: through the API of a
    server without Redis (jobs in its process), so that seeding needs no worker."""
    cli(env, "migrate")
    keys = json.loads(cli(env, "stores", "create", "--name", "Bench", "--origin", ORIGIN))
    port = free_port()
    server = serve("rcommerce.asgi:app", port, env)
    try:
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"Authorization": f"Bearer {keys['secret_key']}"},
            timeout=60,
        ) as http:
            http.put(
                f"/api/v1/products/{PRODUCT}", json={"name": "Áo thun", "price": "189000"}
            ).raise_for_status()
            import_csv(http, PRODUCT, 10, random.Random(10))
            wait_scored(http, keys["publishable_key"], [PRODUCT], 600)
            advocate = http.post(
                "/api/v1/advocates", json={"email": "lan@example.com", "name": "Lan"}
            )
            advocate.raise_for_status()
    finally:
        stop(server)
    return keys, str(advocate.json()["referral_code"])


def clicks_in_database(database_url: str) -> int:
    libpq = database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(libpq) as conn:
        row = conn.execute("SELECT count(*) FROM click").fetchone()
    return int(row[0]) if row else 0


# ---- measuring --------------------------------------------------------------------------------


def redirect_requests(port: int, code: str) -> list[bytes]:
    """Shoppers following a link shared on Zalo, from 4,096 addresses."""
    return [
        http_request(
            "GET",
            f"/r/{code}?ch=zalo",
            port,
            {
                "User-Agent": BROWSER,
                "Accept": "text/html",
                "X-Forwarded-For": f"10.{2 + n // 65536}.{n // 256 % 256}.{n % 256}",
            },
        )
        for n in range(4096)
    ]


def compare(
    name: str,
    app: tuple[int, int],
    bare: tuple[int, int],
    ours: list[bytes],
    theirs: list[bytes],
    args: Any,
) -> dict[str, Any]:
    (_, port), (_, bare_port) = app, bare
    run(load(bare_port, theirs, total=3000, connections=args.connections, limit=10))  # warm-up
    warm = run(load(port, ours, total=3000, connections=args.connections, limit=10))
    measured, baselines = alternate(
        app,
        bare,
        ours,
        theirs,
        rounds=args.rounds,
        seconds=args.seconds,
        connections=args.connections,
        indent="    ",
    )
    ratio, low, high = median_ratio(measured, baselines)
    ours_all, bare_all = combined(measured), combined(baselines)
    ok = "3xx" if name == "redirects" else "2xx"
    print(report("    bare Starlette", bare_all, ok=ok))
    print(report("    rcommerce", ours_all, ok=ok))
    by_cpu = cpu_ratio(ours_all, bare_all)
    print(
        f"    ratio {ratio:.2f} (median of {len(measured)} rounds, {low:.2f}-{high:.2f})"
        + (f"; server CPU per request, bare / rcommerce: {by_cpu:.2f}" if by_cpu else "")
    )
    return {
        "ratio": ratio,
        "by_cpu": by_cpu,
        "rps": ours_all.rps,
        "bare_rps": bare_all.rps,
        "p99": ours_all.percentile(0.99),
        "bare_p99": bare_all.percentile(0.99),
        "redirected": warm.count(300, 399) + ours_all.count(300, 399),
        "bad": ours_all.sent - ours_all.count(200, 399),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per target")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per target per round")
    parser.add_argument("--connections", type=int, default=50, help="keep-alive connections")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("RC_BENCH_POSTGRES", "postgresql://127.0.0.1:5432/postgres"),
        help="libpq URL of a maintenance database (a throwaway database is created beside it)",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("RC_BENCH_REDIS", "redis://127.0.0.1:6379/13"),
        help="Redis database to use (emptied before and after)",
    )
    args = parser.parse_args()

    name = f"rcommerce_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = args.postgres.rpartition("/")
    database_url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    shared = redis.Redis.from_url(args.redis)
    shared.flushdb()
    results: dict[int, dict[str, dict[str, Any]]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="rcommerce-bench-distributed-") as folder:
            data_dir = Path(folder)
            env = environment(data_dir, database_url, None)
            keys, code = seed(env)
            env = {**env, "RCOMMERCE_REDIS_URL": args.redis}
            worker = subprocess.Popen(
                [sys.executable, "-m", "rcommerce", "worker", "--concurrency", "1"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                print(
                    f"rcommerce distributed-mode benchmark: PostgreSQL + Redis, a Celery worker; "
                    f"{os.cpu_count()} CPUs, shared with the load generator; {args.rounds} rounds "
                    f"of {args.seconds:g} s per target, {args.connections} connections"
                )
                for processes in args.processes:
                    results[processes] = measure_with(processes, env, data_dir, keys, code, args)
            finally:
                worker.terminate()
                worker.wait(30)
            time.sleep(1)
            recorded = clicks_in_database(database_url)
    finally:
        shared.flushdb()
        shared.close()
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    sent = sum(by["redirects"]["redirected"] for by in results.values())
    print("summary (ratio = rcommerce req/s / bare Starlette req/s with as many processes)")
    for processes, by in results.items():
        for path, figures in by.items():
            print(
                f"  {processes} process{'es' if processes > 1 else ''}, {path:<9} "
                f"{figures['rps']:7.0f} req/s (bare {figures['bare_rps']:6.0f})  ratio "
                f"{figures['ratio']:.2f}  p99 {figures['p99']:5.1f} ms (bare "
                f"{figures['bare_p99']:4.1f})  not 2xx/3xx: {figures['bad']}"
            )
    if 2 in results:
        two = results[2].values()
        ok = all(f["ratio"] >= RATIO_TARGET and f["p99"] < P99_TARGET for f in two)
        print(
            f"target with 2 processes: ratio >= {RATIO_TARGET} and p99 < {P99_TARGET:g} ms for "
            f"reads and redirects: {verdict(ok)}"
        )
    if 1 in results and 2 in results:
        for path in ("reads", "redirects"):
            gain = results[2][path]["rps"] / results[1][path]["rps"]
            print(f"  a second web process multiplies {path} by {gain:.2f}")
    print(
        f"clicks recorded: {recorded} / 3xx sent: {sent} "
        f"({'OK' if recorded == sent else 'MISMATCH'})"
    )
    if recorded != sent:
        sys.exit(1)


def measure_with(
    processes: int,
    env: dict[str, str],
    data_dir: Path,
    keys: dict[str, str],
    code: str,
    args: Any,
) -> dict[str, dict[str, Any]]:
    port, bare_port = free_port(), free_port()
    app = serve("rcommerce.asgi:app", port, env, workers=processes)
    bare = None
    try:
        time.sleep(2)  # every worker process up
        path = f"/embed/v1/{keys['publishable_key']}/products/{PRODUCT}/reviews"
        answer = capture(port, keys["publishable_key"], [PRODUCT])[PRODUCT]
        stored = data_dir / f"answer-{processes}.json"
        stored.write_text(json.dumps(answer))
        bare = serve(
            "distributed:bare_app",
            bare_port,
            {**env, RESPONSES_ENV: str(stored)},
            workers=processes,
        )
        time.sleep(2)
        print(f"{processes} web process{'es' if processes > 1 else ''}:")
        print("  widget reads, first page of a product with 10 reviews")
        reads = compare(
            "reads",
            (app.pid, port),
            (bare.pid, bare_port),
            read_requests(port, path),
            read_requests(bare_port, path),
            args,
        )
        print("  referral redirects /r/{code}")
        redirects = compare(
            "redirects",
            (app.pid, port),
            (bare.pid, bare_port),
            redirect_requests(port, code),
            redirect_requests(bare_port, code),
            args,
        )
    finally:
        if bare is not None:
            stop(bare)
        stop(app)  # a web process copies its spooled clicks when it stops
    return {"reads": reads, "redirects": redirects}


if __name__ == "__main__":
    main()
