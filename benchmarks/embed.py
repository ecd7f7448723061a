"""Widget script weight and speed: embed.js's gzipped size, and the time from the script
starting to load to the first widget rendered with data, in Debian's chromium.

    .venv/bin/python benchmarks/embed.py [--runs 7]

The app runs under uvicorn on loopback with a SQLite store holding one product with reviews;
a plain HTML shop page on another loopback origin embeds the script (the real deployment
shape, minus the network). Each run is a fresh browser context, so nothing is cached.
Prints the figures, the 12 KB target and PASS/FAIL; exits 1 on FAIL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_GZIP_BYTES = 12 * 1024

# Time origin: when the browser started fetching embed.js (Resource Timing); end: the first
# rcommerce:render event of a widget that rendered data, not an error.
PAGE_SCRIPT = """
<script>
window.__firstRender = null;
addEventListener('rcommerce:render', (e) => {
  if (window.__firstRender === null && !e.detail.failed) window.__firstRender = performance.now();
}, true);
</script>
"""
MEASURE = """() => {
  const entry = performance.getEntriesByType('resource').find(e => e.name.includes('/embed/v1/embed.js'));
  return { start: entry.startTime, loaded: entry.responseEnd, rendered: window.__firstRender };
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="page loads to take the median of")
    args = parser.parse_args()

    from rcommerce import db
    from rcommerce.embed.routes import script_asset

    asset = script_asset()
    size = len(asset.gzipped)
    print(f"embed.js: {len(asset.plain)} bytes minified, {size} bytes gzipped "
          f"({size / 1024:.2f} KB; target {TARGET_GZIP_BYTES / 1024:.0f} KB)")  # fmt: skip

    from tests.support.browser import CHROMIUM

    if not CHROMIUM.exists():
        print("chromium: /usr/bin/chromium is missing (apt-get install chromium); no timing")
        return 1
    from playwright.sync_api import sync_playwright

    from rcommerce.settings import Settings
    from tests.conftest import TEST_SECRET
    from tests.embed.conftest import (
        USER_AGENT,
        Shop,
        _ShopHandler,
        serve,
        widget_page,
    )
    from tests.support.browser import CHROMIUM_ARGS

    timings: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory(prefix="rc-bench-embed-") as folder:
        tmp = Path(folder)
        template = tmp / "template.db"
        db.migrate(
            Settings(database_url=f"sqlite:///{template}", secret_key=TEST_SECRET, data_dir=tmp)
        )
        (tmp / "live").mkdir()
        import threading
        from http.server import ThreadingHTTPServer

        server = ThreadingHTTPServer(("127.0.0.1", 0), _ShopHandler)
        shop = Shop(origin=f"http://127.0.0.1:{server.server_address[1]}")
        server.RequestHandlerClass = type("Handler", (_ShopHandler,), {"shop": shop})
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with serve(tmp / "live", template) as live:
                keys = live.store(origins=[shop.origin])
                live.product(keys, "ao-thun-basic", "Áo thun cotton basic", 189000)
                for number in range(12):
                    live.review(
                        keys,
                        "ao-thun-basic",
                        rating=3 + number % 3,
                        body=f"Áo mặc mát, giao hàng nhanh. Đánh giá số {number}.",
                        name=f"Khách hàng {number}",
                        email=f"khach{number}@example.com",
                    )
                shop.pages["/"] = widget_page(
                    live.base_url,
                    keys.publishable_key,
                    '<rc-stars product="ao-thun-basic"></rc-stars>'
                    '<rc-reviews product="ao-thun-basic"></rc-reviews>',
                    head=PAGE_SCRIPT,
                )
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                    )
                    for _ in range(args.runs + 1):  # the first load warms the server up
                        context = browser.new_context(user_agent=USER_AGENT)
                        page = context.new_page()
                        page.goto(shop.origin + "/")
                        page.wait_for_function("() => window.__firstRender !== null", timeout=15000)
                        found = page.evaluate(MEASURE)
                        timings.append(
                            (found["loaded"] - found["start"], found["rendered"] - found["start"])
                        )
                        context.close()
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
    timings = timings[1:]
    load = statistics.median(t[0] for t in timings)
    render = statistics.median(t[1] for t in timings)
    print(f"script fetched in:             {load:7.1f} ms  (median of {len(timings)}, loopback)")
    print(f"script load -> first widget:   {render:7.1f} ms  (median of {len(timings)}; "
          f"min {min(t[1] for t in timings):.1f}, max {max(t[1] for t in timings):.1f})")  # fmt: skip
    verdict = "PASS" if size <= TARGET_GZIP_BYTES else "FAIL"
    print(f"size target {TARGET_GZIP_BYTES} bytes gzipped: {verdict} ({size} bytes)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
