"""How many signed webhook deliveries does one process accept per second, and how fast is each
acknowledged while the jobs they queued are recording orders?

The real server (uvicorn subprocess, embedded mode: SQLite, the in-process job runner in the
same process) receives Shopify ``orders/create`` deliveries, each a distinct order with its own
webhook id and HMAC signature, over keep-alive HTTP/1.1 connections (the asyncio client of
benchmarks/redirect.py, posting instead of getting). Bodies and signatures are computed
before the clock starts.

1. Throughput: C connections send as fast as the server answers; deliveries accepted per
   second. The jobs they queue pile up (each records an order: several times the work of
   accepting it).
2. Acknowledgement time while jobs drain: deliveries arrive at a steady RATE per second (open
   loop: each is timed from the moment it was due, so a slow answer delays no later one's
   clock), while the server's job runner works through the backlog of step 1; p50 and p99.

The same paced deliveries are first sent to a bare Starlette app that only reads and answers
them (served by uvicorn the same way): its p99 is what this machine adds on its own. At the end
the script waits for every delivery to be recorded and checks that orders recorded ==
deliveries accepted.

    .venv/bin/python benchmarks/connectors.py [--deliveries 3000] [--connections 16]
                                              [--rate 300] [--seconds 10]

Targets: >= 300 deliveries/s accepted; p99 acknowledgement < 50 ms at 300 deliveries/s while
jobs drain. Prints PASS/FAIL; exits 1 on FAIL. The machine's other load moves both figures:
the server's CPU time per delivery is printed too.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from _load import ROOT, cpu_seconds, free_port, serve, stop
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class Deliveries:
    """What one load run of webhook deliveries saw."""

    sent: int = 0
    accepted: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000 if ordered else 0.0


def prepare_env(data_dir: Path) -> dict[str, str]:
    """The environment of an embedded-mode server on a SQLite file in ``data_dir``."""
    env = {
        **os.environ,
        "RCOMMERCE_DATA_DIR": str(data_dir),
        "RCOMMERCE_DATABASE_URL": f"sqlite:///{data_dir / 'rcommerce.db'}",
        "RCOMMERCE_SECRET_KEY": secrets.token_urlsafe(48),
        "RCOMMERCE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("RCOMMERCE_REDIS_URL", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return env


TARGET_RPS = 300.0
TARGET_P99_MS = 50.0
WEBHOOK_SECRET = secrets.token_hex(16)
FIXTURE = ROOT / "tests" / "connectors" / "fixtures" / "shopify" / "orders_paid.json"


async def _bare_accept(request: Request) -> Response:
    await request.body()
    return JSONResponse({"status": "accepted"})


# The baseline: Starlette reading each delivery and answering, nothing else (served by uvicorn
# like the app): how much of the acknowledgement time is this machine's, not rcommerce's.
bare_app = Starlette(
    routes=[Route("/connect/shopify/{store_id}/webhooks", _bare_accept, methods=["POST"])]
)


def deliveries(count: int, first_id: int) -> list[tuple[bytes, str]]:
    """``count`` distinct orders (body, webhook id); no rc_ref, like most orders."""
    order = json.loads(FIXTURE.read_bytes())
    order.update(note_attributes=[], landing_site="/")
    made = []
    for number in range(count):
        order["id"] = first_id + number
        order["name"] = f"#{first_id + number}"
        made.append((json.dumps(order, ensure_ascii=False).encode(), str(uuid.uuid4())))
    return made


def request_bytes(port: int, path: str, body: bytes, webhook_id: str) -> bytes:
    signature = base64.b64encode(
        hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).digest()
    ).decode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\nUser-Agent: Shopify-Captain-Hook\r\n"
        f"X-Shopify-Topic: orders/create\r\nX-Shopify-Hmac-Sha256: {signature}\r\n"
        f"X-Shopify-Webhook-Id: {webhook_id}\r\nX-Shopify-Shop-Domain: bench.myshopify.com\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _connection(port: int, queue: list[bytes], result: Deliveries) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while queue:
            request = queue.pop()
            started = time.perf_counter()
            accepted = await _exchange(reader, writer, request)
            result.latencies.append(time.perf_counter() - started)
            result.sent += 1
            result.accepted += accepted  # here: deliveries accepted
            result.errors += not accepted
    finally:
        writer.close()


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> bool:
    """Send one delivery and read the answer; True when it was accepted."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    answer = await reader.readexactly(length) if length else b""
    return int(head.split(b" ", 2)[1]) == 200 and b'"accepted"' in answer


async def paced(port: int, requests: list[bytes], rate: float, connections: int) -> Deliveries:
    """Request i is due at start + i / rate; its latency counts from then (open loop)."""
    result = Deliveries()
    pending = list(enumerate(requests))
    pending.reverse()
    started = time.perf_counter() + 0.05

    async def sender() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while pending:
                number, request = pending.pop()
                due = started + number / rate
                if due > time.perf_counter():
                    await asyncio.sleep(due - time.perf_counter())
                accepted = await _exchange(reader, writer, request)
                result.latencies.append(time.perf_counter() - due)
                result.sent += 1
                result.accepted += accepted
                result.errors += not accepted
        finally:
            writer.close()

    await asyncio.gather(*(sender() for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


async def load(port: int, requests: list[bytes], connections: int) -> Deliveries:
    result = Deliveries()
    queue = list(reversed(requests))
    started = time.perf_counter()
    await asyncio.gather(*(_connection(port, queue, result) for _ in range(connections)))
    result.seconds = time.perf_counter() - started
    return result


def connect(env: dict[str, str]) -> int:
    """A store with a Shopify connector; returns its id."""
    from rcommerce import db
    from rcommerce.boot import start_runtime
    from rcommerce.connectors import service as connectors
    from rcommerce.connectors.models import ConnectorIn
    from rcommerce.settings import Settings
    from rcommerce.stores import service as stores

    settings = Settings.from_env(env)
    db.migrate(settings)
    runtime = start_runtime(settings)
    try:
        with runtime.transaction() as session:
            store = stores.create_store(
                session=session, name="Bench", origins=["https://shop.example"]
            ).store
            assert store.id is not None
            connectors.save_connector(
                session=session,
                settings=settings,
                store=store,
                platform="shopify",
                data=ConnectorIn(webhook_secret=WEBHOOK_SECRET, shop_domain="bench.myshopify.com"),
                now=runtime.now(),
            )
            return store.id
    finally:
        runtime.close()


def backlog(env: dict[str, str]) -> tuple[int, int]:
    """(deliveries not yet recorded, orders recorded)."""
    from sqlmodel import func, select

    from rcommerce.boot import start_runtime
    from rcommerce.connectors.models import ConnectorDelivery
    from rcommerce.orders.models import Order
    from rcommerce.settings import Settings

    runtime = start_runtime(Settings.from_env(env))
    try:
        with runtime.transaction(readonly=True) as session:
            waiting = session.exec(
                select(func.count())
                .select_from(ConnectorDelivery)
                .where(ConnectorDelivery.status == "received")
            ).one()
            orders = session.exec(select(func.count()).select_from(Order)).one()
            return int(waiting), int(orders)
    finally:
        runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deliveries", type=int, default=3000, help="step 1: deliveries")
    parser.add_argument("--connections", type=int, default=16, help="step 1: connections")
    parser.add_argument("--rate", type=float, default=TARGET_RPS, help="step 2: deliveries/s")
    parser.add_argument("--seconds", type=float, default=10.0, help="step 2: duration")
    parser.add_argument("--warmup", type=int, default=200)
    args = parser.parse_args()
    steady = int(args.rate * args.seconds)
    with tempfile.TemporaryDirectory(prefix="rcommerce-bench-") as folder:
        env = prepare_env(Path(folder))
        store_id = connect(env)
        path = f"/connect/shopify/{store_id}/webhooks"
        port = free_port()

        def batch(count: int, first_id: int) -> list[bytes]:
            return [request_bytes(port, path, b, w) for b, w in deliveries(count, first_id)]

        warm = batch(args.warmup, 10**12)
        burst = batch(args.deliveries, 2 * 10**12)
        paced_requests = batch(steady, 3 * 10**12)
        bare_port = free_port()
        bare = serve("connectors:bare_app", bare_port, env)
        try:
            baseline = asyncio.run(
                paced(
                    bare_port,
                    [
                        r.replace(f":{port}".encode(), f":{bare_port}".encode(), 1)
                        for r in paced_requests
                    ],
                    args.rate,
                    64,
                )
            )
        finally:
            stop(bare)
        server = serve("rcommerce.asgi:app", port, env)
        try:
            asyncio.run(load(port, warm, args.connections))
            before = cpu_seconds(server.pid)
            load_started = time.monotonic()
            throughput = asyncio.run(load(port, burst, args.connections))
            after = cpu_seconds(server.pid)
            backlog_before, _ = backlog(env)
            acks = asyncio.run(paced(port, paced_requests, args.rate, 64))
            backlog_after, _ = backlog(env)
            drain_started = time.monotonic()
            while True:
                waiting, orders = backlog(env)
                if waiting == 0 or time.monotonic() - drain_started > 600:
                    break
                time.sleep(0.5)
            drained_in = time.monotonic() - drain_started
            recording = time.monotonic() - load_started
        finally:
            stop(server)

    accepted = args.warmup + throughput.accepted + acks.accepted
    rps = throughput.accepted / throughput.seconds
    p50, p99 = acks.percentile(0.50), acks.percentile(0.99)
    cpu = (
        f"; server CPU {(after - before) / throughput.sent * 1e3:.2f} ms/delivery"
        if before is not None and after is not None and throughput.sent
        else ""
    )
    print(
        "rcommerce webhook receiver: Shopify orders/create, SQLite, one process (uvicorn, "
        "in-process job runner), loopback"
    )
    print(
        f"1. throughput: {throughput.accepted} of {throughput.sent} accepted in "
        f"{throughput.seconds:.2f} s over {args.connections} connections: {rps:.0f} "
        f"deliveries/s (target >= {TARGET_RPS:.0f}){cpu}"
    )
    print(
        f"2. at {args.rate:.0f} deliveries/s for {args.seconds:g} s while jobs drain "
        f"(backlog {backlog_before} -> {backlog_after} deliveries): acknowledgement p50 "
        f"{p50:.1f} ms, p99 {p99:.1f} ms (target < {TARGET_P99_MS:.0f} ms), accepted "
        f"{acks.accepted} of {acks.sent}"
    )
    print(
        f"   the same deliveries at the same rate to a bare Starlette app (this machine's own "
        f"noise): p50 {baseline.percentile(0.50):.1f} ms, p99 {baseline.percentile(0.99):.1f} ms"
    )
    print(
        f"jobs: every delivery recorded {drained_in:.1f} s after the load; orders recorded "
        f"{orders} / deliveries accepted {accepted} ({'OK' if orders == accepted else 'MISMATCH'})"
    )
    recorded = throughput.accepted + acks.accepted
    print(
        f"orders recorded end to end: {recorded} in {recording:.1f} s from the first delivery "
        f"of step 1 to the last order recorded = {recorded / recording:.0f} orders/s (a lower "
        "bound: step 2 paces its deliveries)"
    )
    ok = (
        rps >= TARGET_RPS
        and p99 < TARGET_P99_MS
        and throughput.errors == acks.errors == 0
        and waiting == 0
        and orders == accepted
    )
    print("PASS" if ok else "FAIL")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
