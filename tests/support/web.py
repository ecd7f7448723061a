"""A real web process (``rcommerce serve``, uvicorn) for the fault tests: the HTTP server a
load balancer would send shoppers to, in its own process group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import httpx

from rcommerce.settings import Settings
from tests.support.servers import free_port
from tests.support.worker import ROOT, environment

STARTED: list[int] = []  # pids of every web process the tests started


class WebProcess:
    """``python -m rcommerce serve`` on a free loopback port; its log kept for assertions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None
        self.log: list[str] = []

    def start(self, timeout: float = 60.0) -> WebProcess:
        self.log = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rcommerce", "serve", "--port", str(self.port)],
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
            if self.process.poll() is not None:
                raise RuntimeError("the web process exited:\n" + "".join(self.log))
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{self.base_url}/healthz", timeout=2)
                STARTED.append(self.process.pid)
                return self
            time.sleep(0.1)
        raise TimeoutError("the web process did not answer:\n" + "".join(self.log))

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.log.append(line)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
