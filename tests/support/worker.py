"""Real Celery processes (``rcommerce worker``, ``rcommerce beat``) for the distributed-mode
tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from rcommerce.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
STARTED: list[int] = []  # pids of every worker process the tests started


def environment(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCOMMERCE_")}
    env.update(
        RCOMMERCE_DATABASE_URL=settings.database_url,
        RCOMMERCE_REDIS_URL=settings.redis_url or "",
        RCOMMERCE_SECRET_KEY=settings.secret_key,
        RCOMMERCE_DATA_DIR=str(settings.data_dir),
        RCOMMERCE_TASK_VISIBILITY_TIMEOUT=str(settings.task_visibility_timeout),
        RCOMMERCE_REDIS_TIMEOUT=str(settings.redis_timeout),
        RCOMMERCE_REDIS_PAUSE=str(settings.redis_pause),
        RCOMMERCE_JOB_LEASE=str(settings.job_lease),
        RCOMMERCE_BASE_URL=settings.base_url,
        PYTHONPATH=str(ROOT),
    )
    if settings.test_private_networks:  # the tests' fake servers on loopback
        env["RCOMMERCE_TEST_PRIVATE_NETWORKS"] = ",".join(settings.test_private_networks)
    if settings.allow_http_webhooks:
        env["RCOMMERCE_ALLOW_HTTP_WEBHOOKS"] = "1"
    return env


class WorkerProcess:
    """``python -m rcommerce worker`` in its own process group, its log kept for assertions."""

    ready = " ready."  # what the log says once the process works

    def __init__(self, settings: Settings, *extra: str) -> None:
        self.settings = settings
        self.extra = extra
        self.process: subprocess.Popen[str] | None = None
        self.log: list[str] = []

    def command(self) -> list[str]:
        return [
            "worker",
            "--concurrency",
            "1",
            "--include",
            "tests.support.tasks",
            "--without-gossip",
            "--without-mingle",
        ]

    def start(self, timeout: float = 60.0) -> WorkerProcess:
        self.log = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rcommerce", *self.command(), *self.extra],
            env=environment(self.settings),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, args=(self.process,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(self.ready in line for line in self.log):
                STARTED.append(self.process.pid)
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command()[0]} exited:\n" + "".join(self.log))
            time.sleep(0.1)
        raise TimeoutError(f"{self.command()[0]} did not start:\n" + "".join(self.log))

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.log.append(line)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes: no clean shutdown, no acks."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class BeatProcess(WorkerProcess):
    """``python -m rcommerce beat``: the schedule of periodic tasks (the job sweep among them)."""

    ready = "beat: Starting"

    def command(self) -> list[str]:
        return ["beat"]
