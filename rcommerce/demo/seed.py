"""Seeds the demo store "Cửa hàng Demo" (VND, Vietnamese) with realistic data.

Core records (store, manager, products, orders) are seeded here; every domain adds its own
through ``rcommerce.<domain>.demo.seed(ctx)``. Seeding is repeatable: a second run reuses the
store and issues fresh keys and a fresh manager password.
"""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from sqlmodel import Session, select

from rcommerce import domains
from rcommerce.orders import service as orders
from rcommerce.orders.models import Order, OrderItemIn, ProductIn
from rcommerce.runtime import Runtime
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

    def banner(self) -> str:
        lines = [
            "",
            "rcommerce demo is ready (embedded mode: SQLite, tasks in-process)",
            f"  Demo shop:       {self.base_url}/demo/",
            f"  Dashboard:       {self.base_url}/dashboard/",
            f"  Manager login:   {self.manager_email} / {self.manager_password}",
            f"  Store id:        {self.store_id}",
            f"  Publishable key: {self.publishable_key}",
            f"  Secret key:      {self.secret_key}",
            f"  API document:    {self.base_url}/openapi.json",
            f"  Health:          {self.base_url}/healthz",
            *self.extra,
            "",
        ]
        return "\n".join(lines)


def seed_demo(runtime: Runtime) -> SeededDemo:
    settings = runtime.settings
    password = secrets.token_urlsafe(9)
    with runtime.transaction() as session:
        store = session.exec(select(Store).where(Store.name == DEMO_STORE_NAME)).first()
        fresh = store is None
        origins = [settings.base_url, settings.base_url.replace("127.0.0.1", "localhost")]
        if store is None:
            created = service.create_store(session=session, name=DEMO_STORE_NAME, origins=origins)
            store, secret = created.store, created.secret_key
        else:
            secret = service.rotate_secret_key(session=session, store=store)
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
        else:
            manager.password_hash = service.hash_password(password)
            session.add(manager)
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
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "demo.json").write_text(
        json.dumps({"store_id": seeded.store_id, "publishable_key": seeded.publishable_key})
    )
    return seeded


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
