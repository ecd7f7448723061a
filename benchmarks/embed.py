"""Widget script weight and speed: the gzipped size of embed.js's core and of each widget
module, and the time from the script starting to load to the first widget rendered with data,
in Debian's chromium.

    .venv/bin/python benchmarks/embed.py [--runs 7]

The app runs under uvicorn on loopback with a SQLite store holding one product with reviews
and a few testimonials; plain HTML shop pages on another loopback origin embed the script (the
real deployment shape, minus the network): a product page with core widgets only (stars and
reviews) and a home page with <rc-testimonials>, a module widget. Each run is a fresh browser
context, so nothing is cached. Prints the figures, the targets (core <= 10,240 bytes gzipped,
each module <= 4,096) and PASS/FAIL; exits 1 on FAIL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORE_GZIP_BYTES = 10 * 1024
MODULE_GZIP_BYTES = 4 * 1024

# Time origin: when the browser started fetching embed.js (Resource Timing); end: the first
# rcommerce:render event of a widget that rendered data, not an error. `modules` counts the
# module files the page fetched.
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
  const modules = performance.getEntriesByType('resource').filter(e => e.name.includes('/embed/v1/m/'));
  return { start: entry.startTime, loaded: entry.responseEnd, rendered: window.__firstRender,
           modules: modules.length };
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="page loads to take the median of")
    args = parser.parse_args()

    from rcommerce import db
    from rcommerce.embed.routes import bundle

    built = bundle()
    core = len(built.core.gzipped)
    sizes_ok = core <= CORE_GZIP_BYTES
    print(f"embed.js core: {len(built.core.plain)} bytes minified, {core} bytes gzipped "
          f"(target <= {CORE_GZIP_BYTES}: {'PASS' if core <= CORE_GZIP_BYTES else 'FAIL'})")  # fmt: skip
    for name, module in sorted(built.modules.items()):
        size = len(module.asset.gzipped)
        sizes_ok = sizes_ok and size <= MODULE_GZIP_BYTES
        print(f"module {name} ({', '.join(module.elements)}): {len(module.asset.plain)} bytes "
              f"minified, {size} bytes gzipped (target <= {MODULE_GZIP_BYTES}: "
              f"{'PASS' if size <= MODULE_GZIP_BYTES else 'FAIL'})")  # fmt: skip

    from tests.support.browser import CHROMIUM

    if not CHROMIUM.exists():
        print("chromium: /usr/bin/chromium is missing (apt-get install chromium); no timing")
        return 1
    from playwright.sync_api import sync_playwright

    from rcommerce.settings import Settings
    from tests.support.browser import CHROMIUM_ARGS
    from tests.support.runtime import TEST_SECRET
    from tests.support.widgets import (
        USER_AGENT,
        Shop,
        _ShopHandler,
        serve,
        widget_page,
    )

    timings: dict[str, list[tuple[float, float, int]]] = {"/": [], "/home": []}
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
                for number in range(3):
                    live.testimonial(
                        keys, body=f"Shop tư vấn nhiệt tình, lần mua thứ {number + 2}.", name="Lan"
                    )
                shop.pages["/"] = widget_page(
                    live.base_url,
                    keys.publishable_key,
                    '<rc-stars product="ao-thun-basic"></rc-stars>'
                    '<rc-reviews product="ao-thun-basic"></rc-reviews>',
                    head=PAGE_SCRIPT,
                )
                shop.pages["/home"] = widget_page(
                    live.base_url,
                    keys.publishable_key,
                    "<rc-testimonials></rc-testimonials>",
                    head=PAGE_SCRIPT,
                )
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                    )
                    for _ in range(args.runs + 1):  # the first load warms the server up
                        for path, runs in timings.items():
                            context = browser.new_context(user_agent=USER_AGENT)
                            page = context.new_page()
                            page.goto(shop.origin + path)
                            page.wait_for_function(
                                "() => window.__firstRender !== null", timeout=15000
                            )
                            found = page.evaluate(MEASURE)
                            runs.append(
                                (
                                    found["loaded"] - found["start"],
                                    found["rendered"] - found["start"],
                                    found["modules"],
                                )
                            )
                            context.close()
                    browser.close()
        finally:
            server.shutdown()
            server.server_close()
    for path, label in (("/", "core widgets only"), ("/home", "<rc-testimonials> (a module)")):
        runs = timings[path][1:]
        load = statistics.median(t[0] for t in runs)
        render = statistics.median(t[1] for t in runs)
        print(f"page with {label}: modules fetched {runs[0][2]}; script fetched in "
              f"{load:.1f} ms; script load -> first widget {render:.1f} ms (median of "
              f"{len(runs)}; min {min(t[1] for t in runs):.1f}, max {max(t[1] for t in runs):.1f}; "
              "loopback)")  # fmt: skip
    verdict = "PASS" if sizes_ok else "FAIL"
    print(f"size targets (core <= {CORE_GZIP_BYTES}, each module <= {MODULE_GZIP_BYTES} bytes "
          f"gzipped): {verdict}")  # fmt: skip
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
