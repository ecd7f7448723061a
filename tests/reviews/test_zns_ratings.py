"""A phone buyer's answer to the ZNS review request, Zalo's signed ``user_feedback`` event on
the OA's webhook, becomes the order's verified review, its tags the review's aspects."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.jobs import Job
from rcommerce.reviews.models import Review, ReviewRequest, ZNSRating
from rcommerce.reviews.requests import LINK_DAYS
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs
from tests.support.runtime import Clock, StoreKeys

APP_ID = "3972457551268168177"
OA_SECRET = "oa-secret-for-tests-0123"
EVENTS = "/connect/zalo/events"


@pytest.fixture
def settings(settings: Settings, platform_apis_server: PlatformAPIs) -> Settings:
    """ZNS and the OA's webhook keys configured as the environment would, ZNS pointing at the
    local server on loopback."""
    return settings.with_overrides(
        test_private_networks=("127.0.0.0/8",),
        messaging=(
            ("RCOMMERCE_ZALO_APP_ID", APP_ID),
            ("RCOMMERCE_ZALO_OA_SECRET", OA_SECRET),
            ("RCOMMERCE_ZNS_ACCESS_TOKEN", fake.ZNS_TOKEN),
            ("RCOMMERCE_ZNS_TEMPLATE_ID", "492946"),
            ("RCOMMERCE_ZNS_URL", f"{platform_apis_server.base_url}/message/template"),
        ),
    )


def feedback_event(
    tracking_id: str, *, stars: int, tags: list[str], note: str = "", msg_id: str = "5ad0a3f1"
) -> bytes:
    """A ``user_feedback`` event as Zalo posts it to the OA's webhook."""
    event = {
        "app_id": APP_ID,
        "oa_id": "2813091073440910336",
        "user_id_by_app": "5521237865126485512",
        "event_name": "user_feedback",
        "timestamp": "1764934200000",
        "message": {
            "note": note,
            "rate": stars,
            "submit_time": "1764934199000",
            "msg_id": msg_id,
            "feedbacks": tags,
            "tracking_id": tracking_id,
        },
    }
    return json.dumps(event, ensure_ascii=False).encode()


def signed(raw: bytes, secret: str = OA_SECRET) -> dict[str, str]:
    """Zalo's header: mac = sha256(app id + raw body + the event's timestamp + OA secret)."""
    timestamp = json.loads(raw)["timestamp"]
    mac = hashlib.sha256(APP_ID.encode() + raw + timestamp.encode() + secret.encode())
    return {"X-ZEvent-Signature": f"mac={mac.hexdigest()}", "Content-Type": "application/json"}


def post(client: TestClient, raw: bytes, headers: dict[str, str] | None = None) -> Any:
    return client.post(EVENTS, content=raw, headers=signed(raw) if headers is None else headers)


def request_sent_by_zns(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> str:
    """A buyer known by phone orders one candle; the order is fulfilled and, after the
    store's delay, the review request goes to the local ZNS server. Its tracking id."""
    answer = client.post(
        "/api/v1/orders",
        headers=store.auth,
        json={"order_id": "ZL-1", "phone": "0912 345 678", "total": "189000", "currency": "VND",
              "customer_name": "Phạm Thị Hoa",
              "items": [{"product_id": "nen-thom", "name": "Nến thơm", "price": "189000"}]},
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    assert client.post("/api/v1/orders/ZL-1/fulfil", headers=store.auth).status_code == 202
    clock.advance(days=7, minutes=1)
    runtime.dispatcher.drain()
    (call,) = apis.calls("/message/template", "POST")
    tracking: str = call.json["tracking_id"]
    with runtime.transaction(readonly=True) as session:
        request = session.exec(select(ReviewRequest)).one()
        assert (request.channel, request.tracking_id) == ("zns", tracking)
    assert tracking.startswith(f"rr-{request.id}-") and len(tracking) <= 48
    return tracking


def reviews(runtime: Runtime) -> list[Review]:
    with runtime.transaction(readonly=True) as session:
        return list(session.exec(select(Review)))


def ratings(runtime: Runtime) -> list[ZNSRating]:
    with runtime.transaction(readonly=True) as session:
        return list(session.exec(select(ZNSRating)))


def test_a_zns_rating_becomes_the_orders_verified_review_with_its_aspects(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> None:
    tracking = request_sent_by_zns(client, runtime, store, clock, apis)
    raw = feedback_event(tracking, stars=2, tags=["Giao hàng chậm", "Chất lượng sản phẩm rất tốt"])
    answer = post(client, raw)
    assert (answer.status_code, answer.json()) == (200, {"status": "accepted"})
    runtime.dispatcher.drain()

    listed = client.get("/api/v1/reviews", headers=store.auth).json()["reviews"]
    (review,) = listed
    assert (review["product_id"], review["rating"], review["verified"]) == ("nen-thom", 2, True)
    assert review["status"] == "published"
    assert review["body"] == "Giao hàng chậm, Chất lượng sản phẩm rất tốt"
    assert (review["author"], review["source"]) == ("Phạm Thị Hoa", "zns")
    aspects = review["sentiment"]["aspects"]
    assert aspects["delivery"] < 0 < aspects["quality"]
    # The link is spent, like a submission through the form, and the rating's words are not
    # kept twice: the review holds them.
    order = client.get("/api/v1/orders/ZL-1", headers=store.auth).json()
    assert order["review_request"]["status"] == "used"
    (kept,) = ratings(runtime)
    assert (kept.status, kept.tags, kept.note, kept.review_id) == ("reviewed", [], "", review["id"])

    # Zalo delivers the same event again: nothing changes.
    again = post(client, raw)
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    runtime.dispatcher.drain()
    assert [r.id for r in reviews(runtime)] == [review["id"]]
    assert len(ratings(runtime)) == 1

    # A second rating of the same request, with a note, while its link is valid: it edits the
    # buyer's one review, as the link itself would.
    second = feedback_event(
        tracking, stars=4, tags=["Giao hàng nhanh"], note="Shop gọi xin lỗi, nến rất thơm",
        msg_id="5ad0a3f2",
    )  # fmt: skip
    assert post(client, second).json() == {"status": "accepted"}
    runtime.dispatcher.drain()
    (edited,) = reviews(runtime)
    assert (edited.id, edited.rating, edited.body) == (
        review["id"], 4, "Shop gọi xin lỗi, nến rất thơm",
    )  # fmt: skip
    # The note says nothing of delivery; the tag the buyer chose does, and scoring keeps it.
    assert edited.tag_aspects == {"delivery": 1.0}
    assert edited.sentiment_aspects is not None and edited.sentiment_aspects["delivery"] == 1.0

    # Once the link has expired a rating changes nothing.
    clock.advance(days=LINK_DAYS)
    late = feedback_event(tracking, stars=1, tags=["Giao hàng chậm"], msg_id="5ad0a3f3")
    assert post(client, late).json() == {"status": "accepted"}
    runtime.dispatcher.drain()
    (unchanged,) = reviews(runtime)
    assert (unchanged.rating, unchanged.body) == (4, "Shop gọi xin lỗi, nến rất thơm")
    assert sorted(r.status for r in ratings(runtime)) == ["expired", "reviewed", "reviewed"]


def test_a_wrong_or_missing_signature_is_refused_and_nothing_is_stored(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> None:
    tracking = request_sent_by_zns(client, runtime, store, clock, apis)
    raw = feedback_event(tracking, stars=5, tags=["Giao hàng nhanh"])
    for headers in (
        signed(raw, secret="not-the-oa-secret"),
        {"Content-Type": "application/json"},
        signed(feedback_event(tracking, stars=1, tags=[])),  # another body's signature
    ):
        answer = post(client, raw, headers)
        assert answer.status_code == 401, answer.text
        assert answer.json()["error"]["code"] == "unauthorized"
    runtime.dispatcher.drain()
    assert reviews(runtime) == [] and ratings(runtime) == []


def test_an_unknown_tracking_id_is_acknowledged_and_nothing_is_stored(
    client: TestClient, runtime: Runtime, store: StoreKeys, clock: Clock, apis: PlatformAPIs
) -> None:
    tracking = request_sent_by_zns(client, runtime, store, clock, apis)
    with runtime.transaction(readonly=True) as session:
        jobs_before = len(session.exec(select(Job)).all())
    for other in ("rr-999-0123456789abcdef", f"{tracking}0", "review-request-999", ""):
        answer = post(client, feedback_event(other, stars=5, tags=["Giao hàng nhanh"]))
        assert (answer.status_code, answer.json()) == (200, {"status": "unmatched"})
    runtime.dispatcher.drain()
    assert reviews(runtime) == [] and ratings(runtime) == []
    with runtime.transaction(readonly=True) as session:
        assert len(session.exec(select(Job)).all()) == jobs_before


def test_events_that_are_not_ratings_are_acknowledged_and_ignored(
    client: TestClient, runtime: Runtime
) -> None:
    raw = json.dumps(
        {"app_id": APP_ID, "event_name": "user_send_text", "timestamp": "1764934200000",
         "sender": {"id": "5521237865126485512"}, "message": {"text": "Xin chào"}}
    ).encode()  # fmt: skip
    answer = post(client, raw)
    assert (answer.status_code, answer.json()) == (200, {"status": "ignored"})
    assert ratings(runtime) == []


def test_without_the_oa_secret_there_is_no_webhook(
    client: TestClient, runtime: Runtime, settings: Settings
) -> None:
    runtime.settings = settings.with_overrides(messaging=())
    raw = feedback_event("rr-1-00", stars=5, tags=[])
    answer = post(client, raw)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_configured")
    assert "RCOMMERCE_ZALO_OA_SECRET" in answer.json()["error"]["message"]
