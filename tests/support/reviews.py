"""Review helpers for tests: a shop with products and orders, widget submissions and photos,
reading a product's reviews, review-request links and CSV imports."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PIL import Image
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.orders import service as orders
from rcommerce.orders.models import OrderItemIn, ProductIn
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer

ORIGIN = "https://shop.example"
LINK = re.compile(r"http://testserver(/reviews/write/\S+)")
DATA = Path(__file__).parents[1] / "reviews" / "data"
CSV = {"Content-Type": "text/csv"}


PRODUCTS = {
    "ao-thun": "Áo thun cotton",
    "tai-nghe": "Tai nghe Bluetooth",
    "ca-phe": "Cà phê Robusta",
}


def add_products(runtime: Runtime, keys: StoreKeys, products: dict[str, str] = PRODUCTS) -> None:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        for product_id, name in products.items():
            orders.upsert_product(
                session=session,
                store=store,
                product_id=product_id,
                data=ProductIn(
                    name=name,
                    price=Decimal("189000"),
                    url=f"https://shop.example/p/{product_id}",
                    image_url=f"https://shop.example/img/{product_id}.jpg",
                ),
            )


def make_order(
    runtime: Runtime,
    keys: StoreKeys,
    order_id: str,
    email: str,
    products: list[str],
    customer_name: str = "Nguyễn Văn An",
) -> None:
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        orders.store_order(
            session=session,
            store=store,
            order_id=order_id,
            email=email,
            total=Decimal("378000"),
            currency="VND",
            customer_name=customer_name,
            items=[
                OrderItemIn(product_id=p, name=PRODUCTS.get(p, p), price=Decimal("189000"))
                for p in products
            ],
        )


Submit = Callable[..., Any]


def reviews_of(client: TestClient, pk: str, product_id: str = "ao-thun", **params: Any) -> Any:
    response = client.get(
        f"/embed/v1/{pk}/products/{product_id}/reviews", params=params, headers={"Origin": ORIGIN}
    )
    assert response.status_code == 200, response.text
    return response.json()


def published(runtime: Runtime, submit: Submit, **fields: Any) -> int:
    """Submit a widget review and run its moderation; the review's id."""
    response = submit(**fields)
    assert response.status_code == 202, response.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    product_id = fields.get("product_id", "ao-thun")
    return review_id(runtime, fields.get("email", "lan@example.com"), product_id)


def review_id(runtime: Runtime, email: str, product_id: str | None = None) -> int:
    """The id of the review stored for ``email`` (of ``product_id`` when given): a widget's
    answer carries none, so that it never tells whether an address reviewed a product."""
    where: dict[str, object] = {"email": email.lower()}
    if product_id is not None:
        where["product_id"] = product_id
    found = only_review(runtime, **where).id
    assert found is not None
    return found


def only_review(runtime: Runtime, **where: object) -> Review:
    """The one stored review matching ``where`` (column=value)."""
    with runtime.transaction(readonly=True) as session:
        query = select(Review)
        for name, value in where.items():
            query = query.where(getattr(Review, name) == value)
        [review] = session.exec(query).all()
        return review


def jpeg_with_exif() -> bytes:
    """A small JPEG carrying a camera make and a GPS position in its EXIF."""
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    exif[0x8825] = {2: (10.0, 45.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload_photo(client: TestClient, keys: StoreKeys) -> str:
    uploaded = client.post(
        f"/embed/v1/{keys.publishable_key}/photos",
        content=jpeg_with_exif(),
        headers={"Origin": ORIGIN, "Content-Type": "image/jpeg"},
    )
    assert uploaded.status_code == 201, uploaded.text
    photo_id: str = uploaded.json()["id"]
    return photo_id


def photo_files(runtime: Runtime, keys: StoreKeys) -> list[str]:
    """The names of the files in the store's photo folder."""
    folder = runtime.settings.media_path / "reviews" / str(keys.store_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def fulfil(client: TestClient, keys: StoreKeys, order_id: str) -> dict[str, object]:
    response = client.post(f"/api/v1/orders/{order_id}/fulfil", headers=keys.auth)
    assert response.status_code == 202, response.text
    body: dict[str, object] = response.json()
    return body


def review_link(
    runtime: Runtime,
    client: TestClient,
    smtp: SMTPServer,
    clock: Clock,
    keys: StoreKeys,
    order: str,
) -> str:
    """The review link of the order's request e-mail (sent a week after fulfilment)."""
    fulfil(client, keys, order)
    clock.advance(days=7, minutes=1)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [mail] = smtp.inbox.wait_for(1)
    path = LINK.search(Inbox.text_of(mail))
    assert path is not None
    return path.group(1)


def import_csv(client: TestClient, keys: StoreKeys, fmt: str, name: str) -> dict[str, object]:
    response = client.post(
        "/api/v1/reviews/import",
        params={"format": fmt},
        content=(DATA / name).read_bytes(),
        headers={**keys.auth, **CSV},
    )
    assert response.status_code == 200, response.text
    report: dict[str, object] = response.json()
    return report
