"""The demo seed's reviews go through the real moderation and scoring path."""

from __future__ import annotations

import random
from collections import Counter

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.demo.seed import DemoContext, _seed_catalogue
from rcommerce.reviews import demo, models
from rcommerce.runtime import Runtime
from rcommerce.stores import service
from tests.support.runtime import Clock


def test_demo_seed_reviews_are_moderated_and_scored(
    client: TestClient, runtime: Runtime, clock: Clock
) -> None:
    with runtime.transaction() as session:
        store = service.create_store(
            session=session, name="Cửa hàng Demo", origins=["http://127.0.0.1:8000"]
        ).store
        ctx = DemoContext(runtime, session, store, random.Random(2026))
        _seed_catalogue(ctx)
        demo.seed(ctx)
        demo.seed(ctx)  # a second run adds nothing
        pk = store.publishable_key
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    with runtime.transaction(readonly=True) as session:
        reviews = list(session.exec(select(models.Review)))
        testimonials = list(session.exec(select(models.Testimonial)))
    assert len(reviews) == len(demo.REVIEWS) >= 40
    assert all(r.scorer_version for r in reviews)
    statuses = Counter(r.status for r in reviews)
    # What the seed means to show: two rejected for abuse, one held (a phone number), one
    # published with a flag (five stars, a furious text); the normalised words trip nothing else.
    assert statuses["rejected"] == 2 and statuses["pending"] == 1
    assert statuses["published"] == len(reviews) - 3
    assert [r.flags for r in reviews if r.flagged] == [["rating_mismatch"]]
    published = [r for r in reviews if r.status == "published"]
    assert sum(r.verified for r in published) >= 10
    assert sum(r.rating <= 2 for r in published) >= 6  # honest negative reviews stay up
    assert sum(bool(r.reply_body) for r in published) >= 5
    assert {r.language for r in published} == {"vi", "en"}
    assert len(testimonials) == 6
    # The demo's manager approves the clean testimonials a moment after moderation.
    clock.advance(seconds=5)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    shown = client.get(f"/embed/v1/{pk}/testimonials").json()["testimonials"]
    assert len(shown) == 6 and shown[0]["author"] == "Nguyễn Thu Hà"
    page = client.get(f"/embed/v1/{pk}/products/ca-phe-robusta/reviews").json()
    assert page["summary"]["count"] == 6
