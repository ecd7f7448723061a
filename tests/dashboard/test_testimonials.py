"""Ordering testimonials with the up and down buttons."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rcommerce.reviews import testimonials
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.dashboard import ManagerLogin, log_in
from tests.support.every_kind import seed_every_kind


def _order(client: TestClient) -> list[int]:
    page = client.get("/dashboard/testimonials").text
    return [
        int(n) for n in re.findall(r'<article class="card review" id="testimonial-(\d+)"', page)
    ]


def test_up_and_down_buttons_reorder_testimonials(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    with runtime.transaction() as session:
        ids = seed_every_kind(session, manager.store.store_id, runtime.now()).testimonial_ids
    token = log_in(client, manager)
    assert _order(client) == ids  # all at position 0: oldest id first
    moved = client.post(
        f"/dashboard/testimonials/{ids[2]}/move",
        data={"csrf": token, "direction": "up"},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and "notice=moved" in moved.headers["location"]
    assert _order(client) == [ids[0], ids[2], ids[1], ids[3], ids[4]]
    client.post(f"/dashboard/testimonials/{ids[0]}/move", data={"csrf": token, "direction": "down"})
    client.post(f"/dashboard/testimonials/{ids[4]}/move", data={"csrf": token, "direction": "down"})
    assert _order(client) == [ids[2], ids[0], ids[1], ids[3], ids[4]]  # the last stays last
    refused = client.post(f"/dashboard/testimonials/{ids[1]}/move", data={"direction": "up"})
    assert refused.status_code == 403  # no CSRF token, nothing moved
    with runtime.transaction(readonly=True) as session:
        store = session.get(Store, manager.store.store_id)
        assert store is not None
        published = [t.id for t in testimonials.published_testimonials(session, store)]
        assert published == [ids[0], ids[4]]  # the widget shows the published ones in that order
