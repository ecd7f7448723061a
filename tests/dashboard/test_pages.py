from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from rcommerce.reviews import models as review_models
from rcommerce.reviews.models import Review
from rcommerce.runtime import Runtime
from rcommerce.stores import service
from rcommerce.stores.models import Manager, Store
from tests.support.dashboard import (
    ManagerLogin,
    add_review,
    csrf_of,
    hold_conversions,
    log_in,
)
from tests.support.runtime import StoreKeys


def test_pages_need_a_login_and_send_a_strict_policy(client: TestClient) -> None:
    response = client.get("/dashboard/reviews", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/dashboard/login?next=")
    login = client.get("/dashboard/login")
    assert "default-src 'none'" in login.headers["content-security-policy"]
    assert "script-src" not in login.headers["content-security-policy"]
    assert login.headers["x-frame-options"] == "DENY"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard" in cookie


def test_login_wrong_password_and_session_cookie(client: TestClient, manager: ManagerLogin) -> None:
    page = client.get("/dashboard/login?lang=en")
    wrong = client.post(
        "/dashboard/login",
        data={"csrf": csrf_of(page.text), "email": manager.email, "password": "nope-nope-nope"},
    )
    assert wrong.status_code == 401
    assert "Wrong e-mail or password" in wrong.text
    log_in(client, manager)
    assert client.cookies.get("rc_session")


def test_every_form_post_without_the_csrf_token_is_refused(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    review_id = add_review(runtime, manager.store)
    token = log_in(client, manager)
    for path, data in (
        (f"/dashboard/reviews/{review_id}/approve", {}),
        ("/dashboard/settings", {"name": "Hacked", "allowed_origins": "https://evil.example"}),
        ("/dashboard/keys/rotate", {"confirm": "yes"}),
        ("/dashboard/locale", {"locale": "en"}),
        ("/dashboard/logout", {}),
    ):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, path
        wrong = client.post(path, data={**data, "csrf": token + "x"}, follow_redirects=False)
        assert wrong.status_code == 403, path
    with runtime.transaction() as session:
        review = session.get(Review, review_id)
        store = session.get(Store, manager.store.store_id)
        assert review is not None and review.status == "pending"
        assert store is not None and store.name == "Shop"
    # The login form itself needs its token too.
    client.cookies.clear()
    refused = client.post(
        "/dashboard/login", data={"email": manager.email, "password": manager.password}
    )
    assert refused.status_code == 403


def test_moderation_queue_approve_reject_reply_feature(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    first = add_review(runtime, manager.store)
    second = add_review(runtime, manager.store, email="b@example.com", body="Spam spam")
    token = log_in(client, manager)
    queue = client.get("/dashboard/reviews?status=pending")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in queue.text  # user text is inert
    assert "<script>alert(1)" not in queue.text
    approved = client.post(
        f"/dashboard/reviews/{first}/approve",
        data={"csrf": token, "back": "/dashboard/reviews?status=pending"},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    assert approved.headers["location"] == "/dashboard/reviews?status=pending&notice=approved"
    no_reason = client.post(f"/dashboard/reviews/{second}/reject", data={"csrf": token})
    assert no_reason.status_code == 422
    rejected = client.post(
        f"/dashboard/reviews/{second}/reject",
        data={"csrf": token, "reason": "spam"},
        follow_redirects=False,
    )
    assert rejected.status_code == 303
    client.post(
        f"/dashboard/reviews/{first}/reply", data={"csrf": token, "body": "Cảm ơn chị Lan!"}
    )
    feature_form = f'action="/dashboard/reviews/{first}/feature"'
    assert feature_form in client.get("/dashboard/reviews?status=published").text
    featured = client.post(
        f"/dashboard/reviews/{first}/feature", data={"csrf": token}, follow_redirects=False
    )
    assert featured.status_code == 303
    assert feature_form not in client.get("/dashboard/reviews?status=published").text
    with runtime.transaction() as session:
        one, two = session.get(Review, first), session.get(Review, second)
        assert one is not None and one.status == "published" and one.reply_body == "Cảm ơn chị Lan!"
        assert two is not None and two.status == "rejected" and two.reason_code == "spam"
        assert session.exec(review_models.Testimonial.__table__.select()).first() is not None  # type: ignore[attr-defined]
    open_redirect = client.post(
        f"/dashboard/reviews/{first}/reply",
        data={"csrf": token, "body": "x", "back": "//evil.example/"},
        follow_redirects=False,
    )
    assert open_redirect.headers["location"].startswith("/dashboard/reviews?")


def test_a_manager_of_another_store_sees_nothing_of_this_one(
    client: TestClient,
    runtime: Runtime,
    manager: ManagerLogin,
    make_store: Callable[..., StoreKeys],
    make_manager: Callable[[StoreKeys, str], ManagerLogin],
) -> None:
    ours = add_review(runtime, manager.store, body="Chỉ cửa hàng này thấy được")
    theirs = make_store(name="Đối thủ")
    other = make_manager(theirs, "doithu@other.example")
    token = log_in(client, other)
    for tab in ("pending", "published", "received"):
        assert (
            "Chỉ cửa hàng này thấy được" not in client.get(f"/dashboard/reviews?status={tab}").text
        )
    refused = client.post(f"/dashboard/reviews/{ours}/approve", data={"csrf": token})
    assert refused.status_code == 404
    assert "Chỉ cửa hàng này" not in client.get("/dashboard/testimonials").text
    assert manager.store.publishable_key not in client.get("/dashboard/keys").text
    assert client.get("/dashboard/").status_code == 200
    with runtime.transaction() as session:
        review = session.get(Review, ours)
        assert review is not None and review.status == "pending"


def test_settings_change_origins_and_clear_the_embed_cache(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    runtime.cache.set(f"origins:{manager.store.publishable_key}", b'["https://old.example"]', 30)
    saved = client.post(
        "/dashboard/settings",
        data={
            "csrf": token,
            "name": "Shop mới",
            "allowed_origins": "https://Shop.Example/\nhttps://m.shop.example",
            "landing_url": "https://shop.example/khuyen-mai",
            "webhook_url": "",
            "review_request_delay_days": "5",
            "locale": "en",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert runtime.cache.get(f"origins:{manager.store.publishable_key}") is None
    with runtime.transaction() as session:
        store = session.get(Store, manager.store.store_id)
        assert store is not None
        assert store.allowed_origins == ["https://shop.example", "https://m.shop.example"]
        assert store.review_request_delay_days == 5 and store.name == "Shop mới"
    bad = client.post(
        "/dashboard/settings",
        data={
            "csrf": token,
            "name": "x",
            "allowed_origins": "javascript:alert(1)",
            "locale": "vi",
            "review_request_delay_days": "1",
        },
    )
    assert bad.status_code == 422


def test_rotating_the_key_shows_the_new_one_once(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    page = client.get("/dashboard/keys")
    assert manager.store.publishable_key in page.text
    assert manager.store.secret_key not in page.text
    unconfirmed = client.post("/dashboard/keys/rotate", data={"csrf": token})
    assert unconfirmed.status_code == 422
    rotated = client.post("/dashboard/keys/rotate", data={"csrf": token, "confirm": "yes"})
    assert rotated.status_code == 200
    assert rotated.headers["cache-control"] == "no-store"
    import re

    new_key = re.search(r"sk_live_[A-Za-z0-9_-]+", rotated.text)
    assert new_key is not None
    assert client.get("/api/v1/store", headers=manager.store.auth).status_code == 401
    assert (
        client.get(
            "/api/v1/store", headers={"Authorization": f"Bearer {new_key.group(0)}"}
        ).status_code
        == 200
    )
    assert new_key.group(0) not in client.get("/dashboard/keys").text


def test_password_change_ends_sessions_and_logout_works(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    with runtime.transaction() as session:
        row = session.exec(Manager.__table__.select()).first()  # type: ignore[attr-defined]
        person = session.get(Manager, row.id)
        assert person is not None
        person.password_hash = service.hash_password("another long password")
        session.add(person)
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303
    token = log_in(client, ManagerLogin(manager.email, "another long password", manager.store))
    out = client.post("/dashboard/logout", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/dashboard/", follow_redirects=False).status_code == 303


def test_language_switch_and_login_rate_limit(client: TestClient, manager: ManagerLogin) -> None:
    token = log_in(client, manager)
    assert "Tổng quan" in client.get("/dashboard/").text  # the store's language: vi
    client.post("/dashboard/locale", data={"csrf": token, "locale": "en", "back": "/dashboard/"})
    assert "Overview" in client.get("/dashboard/").text
    client.cookies.clear()
    page = client.get("/dashboard/login")
    statuses = [
        client.post(
            "/dashboard/login",
            data={
                "csrf": csrf_of(page.text),
                "email": manager.email,
                "password": "wrong password!",
            },
        ).status_code
        for _ in range(12)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429


def test_report_page_and_csv_and_other_pages_render(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    add_review(
        runtime,
        manager.store,
        status="published",
        sentiment_aspects={"delivery": -0.6},
        sentiment_label="negative",
    )
    log_in(client, manager)
    page = client.get("/dashboard/reports?group=week")
    assert page.status_code == 200
    assert "<svg" in page.text and "Hệ số K" in page.text
    assert "Lời mời mỗi người × chuyển đổi lời mời" in page.text  # definitions on the page
    csv = client.get("/dashboard/reports.csv?table=periods&group=month")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert client.get("/dashboard/reports?from=2026-13-01").status_code == 422
    for path in (
        "/dashboard/advocates",
        "/dashboard/conversions",
        "/dashboard/campaigns",
        "/dashboard/testimonials",
        "/dashboard/settings",
        "/dashboard/advocates/999999",
    ):
        response = client.get(path)
        assert response.status_code in (200, 404), path
    assert client.get("/dashboard/advocates/999999").status_code == 404


def test_overview_counts_every_waiting_review_and_held_conversion(
    client: TestClient,
    runtime: Runtime,
    manager: ManagerLogin,
    make_store: Callable[..., StoreKeys],
) -> None:
    """More than a page of each (a page shows 25 reviews and 50 conversions)."""
    other = make_store(name="Other")
    with runtime.transaction() as session:
        for keys, reviews in ((manager.store, 203), (other, 5)):
            for n in range(reviews):
                session.add(
                    Review(
                        store_id=keys.store_id,
                        product_id="ao-thun",
                        rating=4,
                        body=f"review {n}",
                        author_name="Lan",
                        email=f"lan{n}@example.com",
                        status="pending",
                    )
                )
    hold_conversions(runtime, manager.store, 102)
    hold_conversions(runtime, other, 4)
    log_in(client, manager)
    overview = client.get("/dashboard/").text
    to_do = dict(
        re.findall(r'href="(/dashboard/[a-z?=]+)"><span[^>]*>[^<]*</span><strong>(\d+)<', overview)
    )
    assert to_do == {"/dashboard/reviews?status=pending": "203", "/dashboard/conversions": "102"}


def test_held_conversions_page_lists_those_of_erased_advocates(
    client: TestClient, manager: ManagerLogin
) -> None:
    """Erasing one advocate must not take the whole queue of held conversions down."""
    keys = manager.store
    order_ids = []
    for email in ("kept@example.com", "erased@example.com"):
        joined = client.post(
            "/api/v1/advocates", headers=keys.auth, json={"email": email, "name": email[:4]}
        ).json()
        held = client.post(
            "/api/v1/orders",
            headers=keys.auth,
            json={
                "order_id": f"self-{joined['id']}",
                "email": email,  # a self-referral: held for a manager
                "total": "300000",
                "currency": "VND",
                "referral_code": joined["referral_code"],
            },
        ).json()
        assert held["conversion_status"] == "held"
        order_ids.append(held["order_id"])
    erased = client.delete(f"/api/v1/advocates/{joined['id']}", headers=keys.auth)
    assert erased.status_code == 200
    log_in(client, manager)
    page = client.get("/dashboard/conversions")
    assert page.status_code == 200
    assert all(order_id in page.text for order_id in order_ids)
    assert "erased@example.com" not in page.text


HELD_ORDER = re.compile(r"<strong>[^<]* (held-\d+)</strong>")
PAGE_LINK = re.compile(r'rel="(prev|next)" href="([^"]+)"')


def _held_page(client: TestClient, url: str) -> tuple[list[str], dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    links = {rel: href.replace("&amp;", "&") for rel, href in PAGE_LINK.findall(response.text)}
    return HELD_ORDER.findall(response.text), links


def test_held_conversions_page_by_page_both_ways(
    client: TestClient,
    runtime: Runtime,
    manager: ManagerLogin,
    make_store: Callable[..., StoreKeys],
) -> None:
    hold_conversions(runtime, make_store(name="Other"), 3)  # another store's never show
    hold_conversions(runtime, manager.store, 120)
    newest_first = [f"held-{n}" for n in reversed(range(120))]
    token = log_in(client, manager)
    assert "(120)" in client.get("/dashboard/conversions").text
    pages: list[list[str]] = []
    links: list[dict[str, str]] = []
    url: str | None = "/dashboard/conversions"
    while url is not None:
        orders, page_links = _held_page(client, url)
        pages.append(orders)
        links.append(page_links)
        url = page_links.get("next")
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [order for p in pages for order in p] == newest_first
    assert "prev" not in links[0] and "next" not in links[2]
    # And back with the previous links.
    assert _held_page(client, links[2]["prev"])[0] == pages[1]
    first, first_links = _held_page(client, links[1]["prev"])
    assert first == pages[0] and "prev" not in first_links

    # Deciding the first of the second page comes back to that page, its others still there.
    second = links[0]["next"]
    found = re.search(r'action="/dashboard/conversions/(\d+)"', client.get(second).text)
    assert found is not None
    response = client.post(
        f"/dashboard/conversions/{found.group(1)}",
        data={"csrf": token, "decision": "reject", "back": second},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == second + "&notice=decided"
    again = client.get(response.headers["location"]).text
    assert HELD_ORDER.findall(again) == pages[1][1:] + pages[2][:1]
    assert f'name="back" value="{second}"' in again  # the notice is not sent back again
    assert "(119)" in again


def test_held_conversions_paging_refuses_bad_input_and_recovers_an_emptied_page(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    ids = hold_conversions(runtime, manager.store, 60)
    log_in(client, manager)
    for query in ("before=x", "after=-1", "before=0", f"before={10**19}", "before=5&after=3"):
        response = client.get(f"/dashboard/conversions?{query}")
        assert response.status_code == 422, query
        assert "<html" in response.text.lower() and "held-" not in response.text
    # Nothing older than the oldest: the last page instead of an empty one; nothing newer
    # than the newest: the first page.
    last, links = _held_page(client, f"/dashboard/conversions?before={ids[0]}")
    assert last == [f"held-{n}" for n in reversed(range(50))] and "next" not in links
    first, links = _held_page(client, f"/dashboard/conversions?after={ids[-1]}")
    assert first == [f"held-{n}" for n in reversed(range(10, 60))] and "prev" not in links


def test_login_goes_only_to_our_own_pages(client: TestClient, manager: ManagerLogin) -> None:
    for asked, landed in (
        ("/dashboard/advocates", "/dashboard/advocates"),
        ("https://evil.example/dashboard/", "/dashboard/"),
        ("//evil.example/", "/dashboard/"),
        ("/dashboard/\\evil.example", "/dashboard/"),
    ):
        client.cookies.clear()
        form = client.get("/dashboard/login", params={"next": asked})
        response = client.post(
            "/dashboard/login",
            data={
                "csrf": csrf_of(form.text),
                "email": manager.email,
                "password": manager.password,
                "next": asked,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == landed, asked
