"""Seeds the demo store "Cửa hàng Demo" (VND, Vietnamese) with realistic data.

Core records (store, manager, products, orders) are seeded here; every domain adds its own
through ``rcommerce.<domain>.demo.seed(ctx)``. Seeding is repeatable: a second run reuses the
store, and keeps its secret key and the manager's password, which the first run saved in
``DATA_DIR/demo.json`` (only readable by its owner); when they no longer match (the file was
removed, or the key was rotated meanwhile) fresh ones are issued and the banner says so.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session, select

from rcommerce import domains
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderItemIn, ProductIn
from rcommerce.runner import InProcessRunner
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service
from rcommerce.stores.models import Manager, Store

DEMO_STORE_NAME = "Cửa hàng Demo"
DEMO_MANAGER_EMAIL = "quanly@demo.rcommerce.vn"

PRODUCTS = [
    ("ao-thun-basic", "Áo thun cotton basic", Decimal("189000")),
    ("giay-chay-bo", "Giày chạy bộ AirLite", Decimal("1250000")),
    ("tai-nghe-bt", "Tai nghe Bluetooth SoundGo", Decimal("590000")),
    ("binh-giu-nhiet", "Bình giữ nhiệt 500ml", Decimal("245000")),
    ("ca-phe-robusta", "Cà phê Robusta rang mộc 500g", Decimal("165000")),
    ("balo-laptop", "Balo laptop chống nước", Decimal("455000")),
]

CUSTOMERS = [
    ("Nguyễn Văn An", "an.nguyen@example.com"),
    ("Trần Thị Bích", "bich.tran@example.com"),
    ("Lê Hoàng Minh", "minh.le@example.com"),
    ("Phạm Thu Trang", "trang.pham@example.com"),
    ("Đặng Quốc Huy", "huy.dang@example.com"),
    ("Võ Ngọc Lan", "lan.vo@example.com"),
    ("Bùi Đức Thắng", "thang.bui@example.com"),
    ("Hoàng Mai Anh", "maianh.hoang@example.com"),
    ("Emily Carter", "emily.carter@example.com"),
    ("David Nguyen", "david.nguyen@example.com"),
    ("Sarah Johnson", "sarah.j@example.com"),
    ("Ngô Thanh Tùng", "tung.ngo@example.com"),
]


@dataclass
class DemoContext:
    """What domain seeders share: the store, the session, and lines for the banner."""

    runtime: Runtime
    session: Session
    store: Store
    rng: random.Random
    orders: list[Order] = field(default_factory=list)
    banner_lines: list[str] = field(default_factory=list)
    fresh: bool = True


@dataclass
class SeededDemo:
    base_url: str
    store_id: int
    secret_key: str
    publishable_key: str
    manager_email: str
    manager_password: str
    extra: list[str]
    # What this run issued anew: "secret key", "manager password" (empty: all kept)
    reset: list[str] = field(default_factory=list)
    fresh: bool = True

    def banner(self) -> str:
        def note(what: str) -> str:
            if self.fresh:
                return ""
            return (
                "  (NEW: reset by this run)" if what in self.reset else "  (kept from the last run)"
            )

        lines = [
            "",
            "rcommerce demo is ready (embedded mode: SQLite, tasks in-process)",
            f"  Demo shop:       {self.base_url}/demo/",
            f"  Dashboard:       {self.base_url}/dashboard/",
            f"  Manager login:   {self.manager_email} / {self.manager_password}"
            + note("manager password"),
            f"  Store id:        {self.store_id}",
            f"  Publishable key: {self.publishable_key}",
            f"  Secret key:      {self.secret_key}" + note("secret key"),
            f"  API document:    {self.base_url}/openapi.json",
            f"  Health:          {self.base_url}/healthz",
            *self.extra,
            "",
        ]
        return "\n".join(lines)


def _saved(settings: Settings) -> dict[str, Any]:
    """What the last run saved in demo.json (nothing when it is missing or unreadable)."""
    try:
        saved = json.loads((settings.data_dir / "demo.json").read_text())
    except (OSError, ValueError):
        return {}
    return saved if isinstance(saved, dict) else {}


def _password_matches(manager: Manager, password: object) -> bool:
    if not isinstance(password, str) or not password:
        return False
    try:
        return bool(service.password_hasher().verify(manager.password_hash, password))
    except Exception:  # a mismatch or a hash this hasher cannot read
        return False


def seed_demo(runtime: Runtime) -> SeededDemo:
    settings = runtime.settings
    saved = _saved(settings)
    password = secrets.token_urlsafe(9)
    reset: list[str] = []
    with runtime.transaction() as session:
        store = session.exec(select(Store).where(Store.name == DEMO_STORE_NAME)).first()
        fresh = store is None
        origins = [settings.base_url, settings.base_url.replace("127.0.0.1", "localhost")]
        if store is None:
            created = service.create_store(session=session, name=DEMO_STORE_NAME, origins=origins)
            store, secret = created.store, created.secret_key
        else:
            kept = saved.get("secret_key")
            if isinstance(kept, str) and service.hash_key(kept) == store.secret_key_hash:
                secret = kept
            else:
                secret = service.rotate_secret_key(session=session, store=store)
                reset.append("secret key")
            store.allowed_origins = list(dict.fromkeys([*store.allowed_origins, *origins]))
        store.landing_url = f"{settings.base_url}/demo/"
        session.add(store)
        manager = session.exec(select(Manager).where(Manager.email == DEMO_MANAGER_EMAIL)).first()
        if manager is None:
            service.create_manager(
                session=session,
                store=store,
                email=DEMO_MANAGER_EMAIL,
                password=password,
                name="Quản lý Demo",
            )
        elif _password_matches(manager, saved.get("manager_password")):
            password = str(saved["manager_password"])
        else:
            manager.password_hash = service.hash_password(password)
            session.add(manager)
            reset.append("manager password")
        ctx = DemoContext(runtime, session, store, random.Random(2026), fresh=fresh)
        if fresh:
            _seed_catalogue(ctx)
        for module in domains.load("demo"):
            module.seed(ctx)
        assert store.id is not None
        seeded = SeededDemo(
            base_url=settings.base_url,
            store_id=store.id,
            secret_key=secret,
            publishable_key=store.publishable_key,
            manager_email=DEMO_MANAGER_EMAIL,
            manager_password=password,
            extra=ctx.banner_lines,
            reset=reset,
            fresh=fresh,
        )
    _save(settings, seeded)
    return seeded


def _save(settings: Settings, seeded: SeededDemo) -> None:
    """demo.json: the demo store, and its secret key and manager password for the next run
    (a local demo's convenience: the file is created readable by its owner only)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "demo.json"
    body = {
        "store_id": seeded.store_id,
        "publishable_key": seeded.publishable_key,
        "secret_key": seeded.secret_key,
        "manager_email": seeded.manager_email,
        "manager_password": seeded.manager_password,
    }
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(json.dumps(body))
    path.chmod(0o600)


def settle(runtime: Runtime) -> int:
    """Run the jobs seeding queued (moderation and sentiment scoring of the reviews, e-mails)
    before the server starts: its first roll-ups and reports then show the reviews scored,
    with their praised and complained-about aspects. Returns how many ran."""
    if not isinstance(runtime.dispatcher, InProcessRunner):
        return 0
    return runtime.dispatcher.run_due()  # follow-ups queued meanwhile run too


def _seed_catalogue(ctx: DemoContext) -> None:
    for product_id, name, price in PRODUCTS:
        orders.upsert_product(
            session=ctx.session,
            store=ctx.store,
            product_id=product_id,
            data=ProductIn(
                name=name, price=price, url=f"{ctx.runtime.settings.base_url}/demo/#{product_id}"
            ),
        )
    now = ctx.runtime.now()
    for number in range(1, 41):
        name, email = ctx.rng.choice(CUSTOMERS)
        picks = ctx.rng.sample(PRODUCTS, k=ctx.rng.randint(1, 3))
        items = [
            OrderItemIn(product_id=p, name=n, quantity=ctx.rng.randint(1, 2), price=price)
            for p, n, price in picks
        ]
        total = sum((i.price or Decimal(0)) * i.quantity for i in items)
        order, _ = orders.store_order(
            session=ctx.session,
            store=ctx.store,
            order_id=f"DH{1000 + number}",
            email=email,
            total=Decimal(total),
            currency="VND",
            customer_name=name,
            items=items,
            placed_at=now - timedelta(days=ctx.rng.randint(1, 80), hours=ctx.rng.randint(0, 23)),
        )
        ctx.orders.append(order)
