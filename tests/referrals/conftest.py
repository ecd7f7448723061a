"""Fixtures of the referral tests: a real webhook receiver on loopback, and helpers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.support.referrals import Received, WebhookServer


@pytest.fixture
def webhook_server() -> Iterator[WebhookServer]:
    """A real HTTP server on 127.0.0.1 that keeps every POST it receives."""
    state = WebhookServer(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            with lock:
                if state.fail_next > 0:
                    state.fail_next -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                state.received.append(Received(dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
