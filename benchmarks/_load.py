"""What the HTTP benchmarks share: servers run under uvicorn as subprocesses, and a small
keep-alive HTTP/1.1 load generator (asyncio sockets, loopback only, bounded in requests and
time) that records each answer's status and latency.

A benchmark compares rcommerce with a bare Starlette app run the same way (same uvicorn
options, same worker count, same client, same run), in alternating rounds; the verdict is
the median of the rounds' ratios, so a burst of load from elsewhere on the machine moves one
round, not the verdict.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Coroutine, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


@dataclass
class Result:
    """What one load run saw."""

    sent: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    server_cpu: float | None = None  # seconds of the server process's CPU during the run

    @property
    def rps(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    def count(self, low: int, high: int) -> int:
        """Answers with a status in [low, high]."""
        return sum(n for status, n in self.statuses.items() if low <= status <= high)

    def percentile(self, p: float) -> float:
        """The p-th latency quantile in milliseconds."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000

    def cpu_per_request(self) -> float | None:
        """Server CPU microseconds per request, when the server's CPU time is known."""
        if self.server_cpu is None or not self.sent:
            return None
        return self.server_cpu / self.sent * 1e6


def combined(results: Sequence[Result]) -> Result:
    total = Result()
    for result in results:
        total.sent += result.sent
        total.seconds += result.seconds
        total.latencies += result.latencies
        total.statuses.update(result.statuses)
        if result.server_cpu is not None:
            total.server_cpu = (total.server_cpu or 0.0) + result.server_cpu
    return total


def cpu_ratio(measured: Result, baseline: Result) -> float | None:
    """Bare server CPU per request over rcommerce's: what the ratio of throughputs would be if
    the server alone were the limit (the load generator shares the machine's cores)."""
    ours, bare = measured.cpu_per_request(), baseline.cpu_per_request()
    return bare / ours if ours and bare else None


def median_ratio(
    measured: Sequence[Result], baselines: Sequence[Result]
) -> tuple[float, float, float]:
    """The median of the rounds' throughput ratios, and the lowest and highest."""
    ratios = sorted(m.rps / b.rps for m, b in zip(measured, baselines, strict=True) if b.rps)
    return statistics.median(ratios), ratios[0], ratios[-1]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


# ---- servers ---------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float | None:
    """CPU time of a process and its direct children (uvicorn --workers N forks them)."""
    own = cpu_seconds(pid)
    if own is None:
        return None
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return own + sum(cpu_seconds(int(child)) or 0.0 for child in children)


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


def serve(
    app: str,
    port: int,
    env: Mapping[str, str],
    *,
    workers: int = 1,
    app_dir: Path = ROOT / "benchmarks",
    quiet: bool = False,
) -> subprocess.Popen[bytes]:
    """``app`` ("module:attribute") under uvicorn on 127.0.0.1:``port``, as the benchmarks
    run both rcommerce and the bare baseline (uvicorn trusts X-Forwarded-For from loopback by
    default, which lets a load generator speak for many shoppers)."""
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
        "--no-server-header",  # as `rcommerce serve` runs
        "--log-level",
        "warning",
        "--app-dir",
        str(app_dir),
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    # quiet: the server's standard output (the console mailer's lines) is discarded.
    output = subprocess.DEVNULL if quiet else None
    process = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=output)
    wait_ready(port)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# ---- the load generator ----------------------------------------------------------------------


def http_request(
    method: str,
    path: str,
    port: int,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
) -> bytes:
    """One HTTP/1.1 request as bytes, ready to send on a keep-alive connection."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bytes]:
    """Status, head and body of one response (Content-Length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        parts = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await reader.readexactly(size + 2))
            if size == 0:
                return status, head, b"".join(part[:-2] for part in parts)
    return status, head, await reader.readexactly(length) if length else b""


def fetch(port: int, request: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request on a fresh connection: status, headers (in order) and the body as sent."""

    async def once() -> tuple[int, bytes, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request)
            return await read_response(reader)
        finally:
            writer.close()

    status, head, body = asyncio.run(once())
    headers = []
    for line in head.decode("latin-1").split("\r\n")[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
    return status, headers, body


async def _connection(
    port: int,
    requests: Sequence[bytes],
    order: Iterator[int],
    quota: list[int],
    result: Result,
    deadline: float,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while quota[0] > 0 and time.monotonic() < deadline:
            quota[0] -= 1
            request = requests[next(order) % len(requests)]
            started = time.perf_counter()
            writer.write(request)
            status, _, _ = await read_response(reader)
            result.latencies.append(time.perf_counter() - started)
            result.sent += 1
            result.statuses[status] += 1
    finally:
        writer.close()


async def load(
    port: int,
    requests: Sequence[bytes],
    *,
    total: int,
    connections: int,
    limit: float,
) -> Result:
    """Send up to ``total`` requests over ``connections`` keep-alive connections for at most
    ``limit`` seconds; each connection sends its next request when the last one is answered.
    Requests are taken in turn from ``requests`` (cycled)."""
    result = Result()
    quota = [total]
    order = itertools.count()
    started = time.perf_counter()
    deadline = time.monotonic() + limit
    await asyncio.gather(
        *(
            _connection(port, requests, order, quota, result, deadline)
            for _ in range(min(connections, total))
        )
    )
    result.seconds = time.perf_counter() - started
    return result


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on uvloop when it is installed (uvicorn[standard] brings it): the load
    generator is a Python process too, and a faster loop keeps it from being the bottleneck."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


def measure(
    pid: int,
    port: int,
    requests: Sequence[bytes],
    *,
    total: int,
    connections: int,
    limit: float,
) -> Result:
    """``load`` with the server's CPU time (process ``pid`` and its workers) recorded."""
    before = tree_cpu_seconds(pid)
    result = run(load(port, requests, total=total, connections=connections, limit=limit))
    after = tree_cpu_seconds(pid)
    if before is not None and after is not None:
        result.server_cpu = after - before
    return result


def report(name: str, result: Result, *, ok: str = "2xx") -> str:
    """One line: throughput, latency, the answers counted as ``ok`` and the others."""
    low = int(ok[0]) * 100
    good = result.count(low, low + 99)
    cpu = result.cpu_per_request()
    return (
        f"{name:<26} {result.rps:9.0f} req/s   p50 {result.percentile(0.50):6.2f} ms   "
        f"p99 {result.percentile(0.99):6.2f} ms   {ok} {good}   other {result.sent - good}"
        + (f"   server CPU {cpu:6.1f} µs/req" if cpu is not None else "")
    )


@contextmanager
def profiled(pid: int, out: Path | None, name: str, seconds: float) -> Iterator[None]:
    """Sample process ``pid`` with py-spy (collapsed stacks) while the block runs."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if out is None or not Path(spy).exists():
        yield
        return
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{name}.txt"
    command = [spy, "record", "-p", str(pid), "-r", "250", "-d", str(int(seconds) + 2)]
    command += ["-f", "raw", "-o", str(target), "--nonblocking"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    try:
        yield
    finally:
        process.wait(60)
        print(f"  profile: {target}")


def alternate(
    app: tuple[int, int],
    bare: tuple[int, int],
    ours: Sequence[bytes],
    theirs: Sequence[bytes],
    *,
    rounds: int,
    seconds: float,
    connections: int,
    indent: str = "  ",
    profile: Path | None = None,
    profile_name: str = "rcommerce",
) -> tuple[list[Result], list[Result]]:
    """Rounds of ``seconds`` each, the bare app (pid, port) then rcommerce's, each round
    printed; returns (rcommerce's results, the bare app's). With ``profile``, rcommerce's last
    round is sampled with py-spy."""
    (pid, port), (bare_pid, bare_port) = app, bare
    baselines: list[Result] = []
    measured: list[Result] = []
    for number in range(1, rounds + 1):
        baselines.append(
            measure(
                bare_pid, bare_port, theirs, total=10**9, connections=connections, limit=seconds
            )
        )
        with profiled(pid, profile if number == rounds else None, profile_name, seconds):
            measured.append(
                measure(pid, port, ours, total=10**9, connections=connections, limit=seconds)
            )
        print(
            f"{indent}round {number}: bare {baselines[-1].rps:7.0f} req/s   rcommerce "
            f"{measured[-1].rps:7.0f} req/s   ratio {measured[-1].rps / baselines[-1].rps:.2f}",
            flush=True,
        )
    return measured, baselines
