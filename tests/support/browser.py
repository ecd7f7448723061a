"""Debian's Chromium driven by PyPI playwright (never a downloaded browser), one per test run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support import servers

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch() -> Iterator[Any]:
    """Yields a headless Chromium. Playwright's sync API runs an event loop of its own on this
    thread, so a run has one of them, shared by every browser test (see tests/conftest.py)."""
    if not CHROMIUM.exists():
        servers.missing("Debian's chromium (/usr/bin/chromium; apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()
