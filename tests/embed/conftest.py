"""Browser-test fixtures: the app served by uvicorn on loopback, shop pages served from
other loopback origins, and Debian's chromium driven by playwright (never downloaded).

The live server shares the test's SQLite database, so tests create stores and data through
the services and the HTTP API and then look at what a shopper's browser shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.support.widgets import (
    USER_AGENT,
    Live,
    Shop,
    Tab,
    _ShopHandler,
    serve,
)


@pytest.fixture
def live(tmp_path: Path, sqlite_template: Path) -> Iterator[Live]:
    with serve(tmp_path, sqlite_template) as server:
        yield server


@pytest.fixture
def make_shop() -> Iterator[Callable[[], Shop]]:
    started: list[ThreadingHTTPServer] = []

    def make() -> Shop:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _ShopHandler)
        shop = Shop(origin=f"http://127.0.0.1:{server.server_address[1]}")
        server.RequestHandlerClass = type("Handler", (_ShopHandler,), {"shop": shop})
        threading.Thread(target=server.serve_forever, name="shop", daemon=True).start()
        started.append(server)
        return shop

    yield make
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def shop(make_shop: Callable[[], Shop]) -> Shop:
    return make_shop()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    context = browser.new_context(
        user_agent=USER_AGENT, viewport={"width": 1100, "height": 900}, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield Tab(page, errors, dialogs)
    finally:
        context.close()
