"""Redis is a cache and a buffer, not a single point of failure: a real web process (uvicorn,
distributed mode on PostgreSQL and a private Redis) keeps answering while that Redis is
stopped, frozen or restarted empty, and every click it answered with a 302 is counted."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import col, func, select

from rcommerce.boot import start_runtime
from rcommerce.orders.models import Order
from rcommerce.referrals.models import Click
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from rcommerce.stores import service as stores
from tests.support.dashboard import PASSWORD, csrf_of
from tests.support.referrals import BROWSER
from tests.support.reviews import ORIGIN, add_products
from tests.support.runtime import ManualRunner, StoreKeys
from tests.support.servers import RedisProcess
from tests.support.web import WebProcess

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.faults]

# Two shoppers' phones on one address: two unique visitors.
PHONES = (
    BROWSER,
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36",
)
QUICK = 1.0  # seconds: what "keeps answering" means for one request


@dataclass
class Shop:
    keys: StoreKeys
    manager_email: str


@dataclass
class Link:
    code: str
    advocate_id: int


@pytest.fixture(scope="module")
def runtime(distributed: Settings) -> Iterator[Runtime]:
    """The test's own view of the database (no Redis: it only seeds and counts)."""
    rt = start_runtime(distributed.with_overrides(redis_url=None), dispatcher=ManualRunner)
    yield rt
    rt.close()


@pytest.fixture(scope="module")
def web(distributed: Settings) -> Iterator[WebProcess]:
    process = WebProcess(distributed).start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def http(web: WebProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=web.base_url, timeout=10) as client:
        yield client


@pytest.fixture(autouse=True)
def redis_in_use(redis_running: None, http: httpx.Client) -> None:
    """Each test starts with the web process using Redis again (not skipping it after the
    previous test's outage)."""
    wait_for(
        lambda: http.get("/healthz").json()["redis"] == "ok", 20, "the web process to use Redis"
    )


@pytest.fixture(scope="module")
def shop(runtime: Runtime) -> Shop:
    with runtime.transaction() as session:
        created = stores.create_store(session=session, name="Shop", origins=[ORIGIN])
        assert created.store.id is not None
        keys = StoreKeys(created.store.id, created.secret_key, created.store.publishable_key)
        stores.create_manager(
            session=session, store=created.store, email="owner@shop.example", password=PASSWORD
        )
    add_products(runtime, keys)
    return Shop(keys, "owner@shop.example")


@pytest.fixture
def link(http: httpx.Client, shop: Shop, request: pytest.FixtureRequest) -> Link:
    """A new advocate's referral link for each test (its clicks are that test's only)."""
    joined = http.post(
        "/api/v1/advocates",
        headers=shop.keys.auth,
        json={"email": f"{request.node.name[:40]}@example.com", "name": "Lan"},
    )
    assert joined.status_code == 201, joined.text
    return Link(joined.json()["referral_code"], joined.json()["id"])


def click(http: httpx.Client, link: Link, phone: str) -> float:
    """Follow the referral link like a phone; asserts a 302 with rc_ref, returns the seconds."""
    started = time.monotonic()
    response = http.get(f"/r/{link.code}", headers={"User-Agent": phone})
    elapsed = time.monotonic() - started
    assert response.status_code == 302, response.text
    assert parse_qs(urlsplit(response.headers["location"]).query)["rc_ref"]
    return elapsed


def counted(runtime: Runtime, link: Link) -> tuple[int, int]:
    """(clicks, unique clicks) the database holds for the link's advocate."""
    with runtime.transaction(readonly=True) as session:
        where = col(Click.advocate_id) == link.advocate_id
        total = session.exec(select(func.count()).select_from(Click).where(where)).one()
        unique = session.exec(
            select(func.count()).select_from(Click).where(where, col(Click.unique))
        ).one()
        return int(total), int(unique)


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def every_click_counted(runtime: Runtime, link: Link, answered: int) -> None:
    try:
        wait_for(lambda: counted(runtime, link)[0] >= answered, 20, "the answered clicks")
    finally:
        assert counted(runtime, link)[0] == answered


def widget_read(http: httpx.Client, shop: Shop) -> None:
    started = time.monotonic()
    response = http.get(
        f"/embed/v1/{shop.keys.publishable_key}/products/ao-thun/reviews",
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 200, response.text
    assert "summary" in response.json()
    assert time.monotonic() - started < QUICK


def unavailable(response: httpx.Response) -> bool:
    """A 503 that says when to come back."""
    return response.status_code == 503 and int(response.headers["retry-after"]) > 0


def review_write(http: httpx.Client, runtime: Runtime, shop: Shop, n: int) -> None:
    body = f"Áo đẹp, vải mát, giao hàng nhanh, lần {n}"
    response = http.post(
        f"/embed/v1/{shop.keys.publishable_key}/reviews",
        headers={"Origin": ORIGIN, "User-Agent": PHONES[0]},
        json={
            "product_id": "ao-thun",
            "rating": 5,
            "body": body,
            "name": "Hoa",
            "email": f"hoa{n}@example.com",
        },
    )
    assert response.status_code == 202 or unavailable(response), response.text
    if response.status_code == 202:
        with runtime.transaction(readonly=True) as session:
            assert session.exec(select(Review).where(Review.body == body)).first() is not None


def order_write(http: httpx.Client, runtime: Runtime, shop: Shop, order_id: str) -> None:
    response = http.post(
        "/api/v1/orders",
        headers=shop.keys.auth,
        json={
            "order_id": order_id,
            "email": "an@example.com",
            "total": "189000",
            "currency": "VND",
            "items": [{"product_id": "ao-thun", "quantity": 1, "price": "189000"}],
        },
    )
    assert response.status_code in (200, 201) or unavailable(response), response.text
    if response.status_code in (200, 201):
        with runtime.transaction(readonly=True) as session:
            order = session.exec(select(Order).where(Order.order_id == order_id)).one()
            assert order.total == Decimal("189000")


def store_settings_write(http: httpx.Client, shop: Shop, name: str) -> None:
    response = http.patch("/api/v1/store", headers=shop.keys.auth, json={"name": name})
    assert response.status_code == 200, response.text
    assert http.get("/api/v1/store", headers=shop.keys.auth).json()["name"] == name


def dashboard_login(web: WebProcess, shop: Shop) -> None:
    with httpx.Client(base_url=web.base_url, timeout=10) as browser:
        page = browser.get("/dashboard/login")
        assert page.status_code == 200, page.text
        response = browser.post(
            "/dashboard/login",
            data={"csrf": csrf_of(page.text), "email": shop.manager_email, "password": PASSWORD},
        )
        assert response.status_code == 303, response.text


def test_with_redis_stopped_the_site_answers_and_every_click_is_counted(
    redis_server: RedisProcess,
    web: WebProcess,
    http: httpx.Client,
    runtime: Runtime,
    shop: Shop,
    link: Link,
) -> None:
    click(http, link, PHONES[0])
    redis_server.stop()
    for n in range(30):
        assert click(http, link, PHONES[n % 2]) < QUICK
    widget_read(http, shop)
    review_write(http, runtime, shop, 1)
    order_write(http, runtime, shop, "stopped-1")
    store_settings_write(http, shop, "Shop (Redis stopped)")
    dashboard_login(web, shop)
    health = http.get("/healthz")
    assert health.status_code == 200, health.text  # the web process still serves: keep it in
    assert health.json()["redis"].startswith("error")
    redis_server.start()
    every_click_counted(runtime, link, 31)
    # Repeat visits within the hour are not unique, whether Redis or the copy decided it.
    assert counted(runtime, link)[1] == 2


def test_with_redis_frozen_no_request_waits_for_it(
    redis_server: RedisProcess,
    web: WebProcess,
    http: httpx.Client,
    runtime: Runtime,
    shop: Shop,
    link: Link,
) -> None:
    click(http, link, PHONES[0])
    redis_server.freeze()
    with ThreadPoolExecutor(max_workers=8) as pool:
        timings = list(pool.map(lambda n: click(http, link, PHONES[n % 2]), range(40)))
    assert max(timings) < QUICK, timings
    widget_read(http, shop)
    review_write(http, runtime, shop, 2)
    order_write(http, runtime, shop, "frozen-1")
    store_settings_write(http, shop, "Shop (Redis frozen)")
    dashboard_login(web, shop)
    started = time.monotonic()
    assert http.get("/healthz").status_code == 200
    assert time.monotonic() - started < QUICK
    redis_server.thaw()
    every_click_counted(runtime, link, 41)
    assert counted(runtime, link)[1] == 2


def test_a_redis_restarted_without_persistence_loses_no_answered_click(
    redis_server: RedisProcess, http: httpx.Client, runtime: Runtime, link: Link
) -> None:
    for n in range(50):
        click(http, link, PHONES[n % 2])
    redis_server.restart()  # comes back empty
    for n in range(10):
        click(http, link, PHONES[n % 2])
    every_click_counted(runtime, link, 60)
