"""Dashboard helpers for tests: managers, logging in with CSRF, reviews and held conversions to act
on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from starlette.testclient import TestClient

from rcommerce.advocates.models import Advocate
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Conversion
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from tests.support.runtime import StoreKeys

PASSWORD = "correct horse battery staple"


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class ManagerLogin:
    email: str
    password: str
    store: StoreKeys


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def log_in(client: TestClient, who: ManagerLogin) -> str:
    """Logs in and returns the session's CSRF token."""
    page = client.get("/dashboard/login")
    response = client.post(
        "/dashboard/login",
        data={"csrf": csrf_of(page.text), "email": who.email, "password": who.password},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    overview = client.get("/dashboard/")
    assert overview.status_code == 200
    return csrf_of(overview.text)


def add_review(runtime: Runtime, keys: StoreKeys, **fields: object) -> int:
    values: dict[str, object] = {
        "store_id": keys.store_id,
        "product_id": "ao-thun",
        "rating": 2,
        "body": "Giao hàng chậm <script>alert(1)</script> nhưng áo đẹp",
        "author_name": "Lan",
        "email": "lan@example.com",
        "status": "pending",
        "testimonial_consent": True,
    }
    values.update(fields)
    with runtime.transaction() as session:
        review = Review(**values)  # type: ignore[arg-type]
        session.add(review)
        session.flush()
        assert review.id is not None
        return review.id


def hold_conversions(runtime: Runtime, keys: StoreKeys, count: int) -> list[int]:
    """``count`` conversions held for a manager (orders ``held-0``, ``held-1``, ...) of one
    advocate; returns their ids, oldest first."""
    ids = []
    with runtime.transaction() as session:
        advocate = Advocate(
            store_id=keys.store_id,
            email="a@example.com",
            email_canonical="a@example.com",
            referral_code=f"HELD{keys.store_id}",
        )
        session.add(advocate)
        session.flush()
        assert advocate.id is not None
        for n in range(count):
            order = Order(
                store_id=keys.store_id,
                order_id=f"held-{n}",
                email=f"b{n}@example.com",
                total=Decimal(100000),
                currency="VND",
            )
            session.add(order)
            session.flush()
            assert order.id is not None
            conversion = Conversion(
                store_id=keys.store_id,
                order_pk=order.id,
                advocate_id=advocate.id,
                attributed_by="code",
                status="held",
                order_total=order.total,
                approve_after=runtime.now() + timedelta(days=14),
            )
            session.add(conversion)
            session.flush()
            assert conversion.id is not None
            ids.append(conversion.id)
    return ids


HELD_ORDER = re.compile(r"<strong>[^<]* (held-\d+)</strong>")
PAGE_LINK = re.compile(r'rel="(prev|next)" href="([^"]+)"')


def held_page(client: TestClient, url: str) -> tuple[list[str], dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    links = {rel: href.replace("&amp;", "&") for rel, href in PAGE_LINK.findall(response.text)}
    return HELD_ORDER.findall(response.text), links
