"""How fast is /r/{code}, and does every click reach the database?

Runs the real server (uvicorn subprocess, embedded mode: SQLite + click spool) and, the same
way, a bare Starlette app whose only route answers a 302. A small keep-alive HTTP/1.1 load
generator (asyncio sockets, loopback only, bounded in requests and time) drives both and
prints requests/s, p50/p99 latency, each server process's CPU time per request (rcommerce's
includes the periodic copy of spooled clicks into SQLite when it runs during the measurement:
in embedded mode it runs in the web process), the ratio between the two, and clicks recorded
in the database vs 3xx responses sent.

    .venv/bin/python benchmarks/redirect.py [--seconds S] [--connections 32] [--rounds 5]

Both servers run side by side and are measured in alternating rounds of S seconds each
(default: twice the interval of rcommerce's periodic copy of spooled clicks into SQLite, so
every rcommerce round pays for copying its own clicks, as a busy server does). The ratio is
the median of the rounds' ratios: a burst of load from elsewhere on the machine moves one
round, not the verdict (every round is printed).

Targets: ratio >= 0.5; recorded == sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parent.parent
BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/24.04 ZaloTheme/light ZaloLanguage/vn"
)
SECRET = secrets.token_urlsafe(48)  # a throwaway store, new each run


async def _bare_redirect(request: Request) -> Response:
    return RedirectResponse("https://shop.example/?rc_ref=x", status_code=302)


# The baseline: Starlette answering a 302 and nothing else (served by uvicorn like the app).
bare_app = Starlette(routes=[Route("/r/{code}", _bare_redirect)])


@dataclass
class Result:
    sent: int
    redirects: int
    errors: int
    seconds: float
    latencies: list[float]
    server_cpu: float | None = None  # seconds of the server process's CPU during the run

    @property
    def rps(self) -> float:
        return self.sent / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"server on port {port} did not start")


def serve(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--app-dir",
        str(ROOT / "benchmarks"),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_ready(port)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _connection(
    port: int, path: str, quota: list[int], result: Result, deadline: float
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: {BROWSER}\r\n"
        "Accept: text/html\r\n\r\n"
    ).encode()
    try:
        while quota[0] > 0 and time.monotonic() < deadline:
            quota[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - started)
            result.sent += 1
            status = int(head.split(b" ", 2)[1])
            if 300 <= status < 400:
                result.redirects += 1
            else:
                result.errors += 1
    finally:
        writer.close()


async def load(port: int, path: str, requests: int, connections: int, limit: float) -> Result:
    result = Result(0, 0, 0, 0.0, [])
    quota = [requests]
    started = time.perf_counter()
    deadline = time.monotonic() + limit
    await asyncio.gather(
        *(_connection(port, path, quota, result, deadline) for _ in range(connections))
    )
    result.seconds = time.perf_counter() - started
    return result


def prepare_env(data_dir: Path) -> dict[str, str]:
    """The environment of an embedded-mode server on a SQLite file in ``data_dir``."""
    env = {
        **os.environ,
        "RCOMMERCE_DATA_DIR": str(data_dir),
        "RCOMMERCE_DATABASE_URL": f"sqlite:///{data_dir / 'rcommerce.db'}",
        "RCOMMERCE_SECRET_KEY": SECRET,
        "RCOMMERCE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("RCOMMERCE_REDIS_URL", None)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return env


def prepare(data_dir: Path) -> tuple[dict[str, str], str]:
    """A migrated SQLite store with one advocate; returns the server's environment and code."""
    env = prepare_env(data_dir)
    from rcommerce import db
    from rcommerce.advocates import service as advocates
    from rcommerce.boot import start_runtime
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
            code = advocates.enrol(session=session, store=store, email="a@example.com").advocate
            referral_code = code.referral_code
    finally:
        runtime.close()
    return env, referral_code


def count_clicks(env: dict[str, str], drain: bool) -> int:
    from sqlmodel import func, select

    from rcommerce.boot import start_runtime
    from rcommerce.referrals import clicks
    from rcommerce.referrals.models import Click
    from rcommerce.settings import Settings

    runtime = start_runtime(Settings.from_env(env))
    try:
        if drain:
            clicks.drain(runtime)
        with runtime.transaction(readonly=True) as session:
            return int(session.exec(select(func.count()).select_from(Click)).one())
    finally:
        runtime.close()


def measure(process: subprocess.Popen[bytes], port: int, path: str, args: Any) -> Result:
    before = cpu_seconds(process.pid)
    result = asyncio.run(load(port, path, args.requests, args.connections, args.seconds))
    after = cpu_seconds(process.pid)
    if before is not None and after is not None:
        result.server_cpu = after - before
    return result


def report(name: str, result: Result) -> None:
    cpu = (
        f"   server CPU {result.server_cpu / result.sent * 1e6:5.1f} µs/req"
        if result.server_cpu is not None and result.sent
        else ""
    )
    print(
        f"{name:<22} {result.rps:9.0f} req/s   p50 {result.percentile(0.50):6.2f} ms   "
        f"p99 {result.percentile(0.99):6.2f} ms   3xx {result.redirects}   errors {result.errors}"
        f"{cpu}"
    )


def drain_every() -> float:
    """Seconds between rcommerce's periodic copies of spooled clicks into the database."""
    from rcommerce.jobs import REGISTRY
    from rcommerce.referrals import tasks  # noqa: F401 (registers the periodic task)

    return REGISTRY.periodic["referrals.drain_clicks"].every.total_seconds()


def combined(results: list[Result]) -> Result:
    total = Result(0, 0, 0, 0.0, [])
    for result in results:
        total.sent += result.sent
        total.redirects += result.redirects
        total.errors += result.errors
        total.seconds += result.seconds
        total.latencies += result.latencies
        if result.server_cpu is not None:
            total.server_cpu = (total.server_cpu or 0.0) + result.server_cpu
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=0, help="cap on requests per target per round (0: none)"
    )
    parser.add_argument("--connections", type=int, default=32, help="keep-alive connections")
    parser.add_argument(
        "--seconds",
        type=float,
        default=0.0,
        help="seconds per target per round (default: 2 drains)",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="alternating rounds (bare, then rcommerce)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rcommerce-bench-") as folder:
        data_dir = Path(folder)
        env, code = prepare(data_dir)
        path = f"/r/{code}?ch=zalo"
        pause = drain_every() + 1
        args.seconds = args.seconds or 2 * drain_every()
        args.requests = args.requests or 10**9

        bare_port, port = free_port(), free_port()
        bare = serve("redirect:bare_app", bare_port, env)
        app = serve("rcommerce.asgi:app", port, env)
        baselines: list[Result] = []
        measured: list[Result] = []
        try:
            asyncio.run(load(bare_port, path, 500, args.connections, 10))  # warm-up
            warm = asyncio.run(load(port, path, 500, args.connections, 10))
            for number in range(1, args.rounds + 1):
                # Each round starts after rcommerce's periodic job has copied the
                # previous round's clicks, so neither target is measured beside that work.
                time.sleep(pause)
                baselines.append(measure(bare, bare_port, path, args))
                measured.append(measure(app, port, path, args))
                print(
                    f"round {number}: bare {baselines[-1].rps:7.0f} req/s   rcommerce "
                    f"{measured[-1].rps:7.0f} req/s   ratio {measured[-1].rps / baselines[-1].rps:.2f}",
                    flush=True,
                )
            time.sleep(pause + 1)
            drained_live = count_clicks(env, drain=False)
        finally:
            stop(bare)
            stop(app)
        recorded = count_clicks(env, drain=True)
        sent = warm.redirects + sum(result.redirects for result in measured)

        print(
            f"rcommerce /r/{{code}} benchmark: {args.rounds} rounds of {args.seconds:g} s per "
            f"target, {args.connections} connections, loopback"
        )
        report("bare Starlette 302", combined(baselines))
        report("rcommerce /r/{code}", combined(measured))
        ratios = sorted(m.rps / b.rps for m, b in zip(measured, baselines, strict=True))
        ratio = statistics.median(ratios)
        print(
            f"ratio to bare Starlette: {ratio:.2f} (median of {len(ratios)} rounds, "
            f"{ratios[0]:.2f}-{ratios[-1]:.2f}; target >= 0.5)"
        )
        print(
            f"clicks recorded: {recorded} / 3xx sent: {sent} "
            f"({'OK' if recorded == sent else 'MISMATCH'}; {drained_live} copied by the "
            "server's own drain job while running, the rest at the final drain)"
        )
        if ratio < 0.5 or recorded != sent:
            sys.exit(1)


if __name__ == "__main__":
    main()
