"""Widget helpers for browser tests: the app under uvicorn, a shop page on another origin, a
browser tab that records console errors."""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from rcommerce import db
from rcommerce.app import create_app
from rcommerce.boot import start_runtime
from rcommerce.orders import service as orders
from rcommerce.orders.models import OrderItemIn
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service as stores
from tests.support import servers
from tests.support.runtime import TEST_SECRET, ManualRunner, StoreKeys

# A shopper's browser. Headless chromium announces itself as "HeadlessChrome", which the
# referral redirect rightly treats as a bot (no rc_ref, no click).
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "widgets"


@dataclass
class Live:
    """The app on a real port, the runtime it shares with the test, and an HTTP client."""

    base_url: str
    settings: Settings
    runtime: Runtime
    http: httpx.Client

    def store(
        self, *, origins: list[str], name: str = "Cửa hàng Test", locale: str = "vi"
    ) -> StoreKeys:
        with self.runtime.transaction() as session:
            created = stores.create_store(
                session=session, name=name, origins=origins, locale=locale
            )
            assert created.store.id is not None
            return StoreKeys(created.store.id, created.secret_key, created.store.publishable_key)

    def campaign(self, keys: StoreKeys) -> None:
        """The store's default referral campaign (10% for friends, 50.000 ₫ per referral)."""
        from rcommerce.referrals import campaigns

        with self.runtime.transaction() as session:
            campaigns.default_campaign(session, stores.get_store(session, keys.store_id))

    def product(self, keys: StoreKeys, product_id: str, name: str, price: int) -> None:
        response = self.http.put(
            f"/api/v1/products/{product_id}",
            headers=keys.auth,
            json={"name": name, "price": str(price)},
        )
        assert response.status_code == 200, response.text

    def order(self, keys: StoreKeys, order_id: str, email: str, product_id: str) -> None:
        with self.runtime.transaction() as session:
            store = stores.get_store(session, keys.store_id)
            orders.store_order(
                session=session,
                store=store,
                order_id=order_id,
                email=email,
                total=Decimal(189000),
                currency="VND",
                items=[OrderItemIn(product_id=product_id, quantity=1, price=Decimal(189000))],
                placed_at=self.runtime.now() - timedelta(days=10),
            )

    def review(
        self,
        keys: StoreKeys,
        product_id: str,
        *,
        rating: int,
        body: str,
        name: str,
        email: str,
        title: str = "",
        reply: str | None = None,
        order_id: str | None = None,
    ) -> int:
        """A published review, through the reviews service and a manager's approval; with
        ``order_id``, the buyer's review of that order (verified)."""
        from rcommerce.reviews import manage, submission
        from rcommerce.reviews.shapes import StatusUpdate

        with self.runtime.transaction() as session:
            store = stores.get_store(session, keys.store_id)
            row = submission.submit_review(
                session=session,
                store=store,
                product_id=product_id,
                rating=rating,
                body=body,
                name=name,
                email=email,
                title=title,
                order=orders.get_order(session, store, order_id) if order_id else None,
                now=self.runtime.now(),
            )
            row.thanked_at = self.runtime.now()  # seeded: no thank-you e-mail on the console
            review_id = row.id
        assert review_id is not None
        self.runtime.dispatcher.drain()
        with self.runtime.transaction() as session:
            store = stores.get_store(session, keys.store_id)
            if manage.get_review(session, store, review_id).status != "published":
                manage.manager_update(
                    session=session,
                    store=store,
                    review_id=review_id,
                    data=StatusUpdate(status="published"),
                    now=self.runtime.now(),
                )
            if reply:
                manage.set_reply(
                    session=session,
                    store=store,
                    review_id=review_id,
                    body=reply,
                    now=self.runtime.now(),
                )
        return review_id

    def testimonial(self, keys: StoreKeys, *, body: str, name: str, rating: int = 5) -> int:
        """A published testimonial, through the reviews service and a manager's approval."""
        from rcommerce.reviews import testimonials
        from rcommerce.reviews.shapes import TestimonialIn, TestimonialUpdate

        with self.runtime.transaction() as session:
            store = stores.get_store(session, keys.store_id)
            row = testimonials.submit_testimonial(
                session=session,
                store=store,
                data=TestimonialIn(
                    body=body,
                    name=name,
                    email=f"t{time.monotonic_ns()}@example.com",
                    rating=rating,
                    consent=True,
                ),
                ip_hash=None,
                now=self.runtime.now(),
            )
            testimonial_id = row.id
        assert testimonial_id is not None
        self.runtime.dispatcher.drain()
        with self.runtime.transaction() as session:
            store = stores.get_store(session, keys.store_id)
            testimonials.update_testimonial(
                session=session,
                store=store,
                testimonial_id=testimonial_id,
                data=TestimonialUpdate(status="published"),
                now=self.runtime.now(),
            )
        return testimonial_id


@contextlib.contextmanager
def serve(tmp_path: Path, sqlite_template: Path, **overrides: Any) -> Iterator[Live]:
    """The app on a free loopback port, on a migrated SQLite file in ``tmp_path``."""
    database = tmp_path / "live.db"
    shutil.copy(sqlite_template, database)
    port = servers.free_port()
    settings = Settings(
        database_url=f"sqlite:///{database}",
        secret_key=TEST_SECRET,
        data_dir=tmp_path,
        base_url=f"http://127.0.0.1:{port}",
        rate_limit_per_minute=10_000,
        **overrides,
    )
    db.migrate(settings)
    # jobs run when the test drains them
    runtime = start_runtime(settings, dispatcher=ManualRunner)
    app = create_app(settings, runtime=runtime)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-live", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    with httpx.Client(base_url=settings.base_url, timeout=20) as http:
        try:
            yield Live(settings.base_url, settings, runtime, http)
        finally:
            server.should_exit = True
            thread.join(timeout=20)
            runtime.close()


@dataclass
class Shop:
    """A plain HTML shop on its own loopback origin; ``pages`` maps a path to its HTML."""

    origin: str
    pages: dict[str, str] = field(default_factory=dict)


class _ShopHandler(BaseHTTPRequestHandler):
    shop: Shop

    def do_GET(self) -> None:
        html = self.shop.pages.get(self.path.split("?", 1)[0])
        if html is None:
            self.send_error(404)
            return
        body = html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class Tab:
    """A page in a fresh browser context, with what it logged and any dialogs it opened."""

    page: Any
    errors: list[str]
    dialogs: list[str]

    def shot(self, selector: str, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.locator(selector).first.screenshot(path=str(path))
        assert path.stat().st_size > 1000
        return path


def widget_page(base_url: str, key: str, body: str, *, head: str = "", lang: str = "vi") -> str:
    """A plain shop page carrying the one script tag."""
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title>{head}</head>
<body>
{body}
<script src="{base_url}/embed/v1/embed.js" data-key="{key}" async></script>
</body></html>"""
