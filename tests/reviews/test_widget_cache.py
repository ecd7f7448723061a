"""Widget reads from the cache: revalidation with ETags."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.web import content_etag
from tests.support.reviews import (
    ORIGIN,
)
from tests.support.runtime import StoreKeys


def test_a_widget_read_revalidates_with_a_weak_or_listed_etag(
    client: TestClient, shop: StoreKeys
) -> None:
    """A proxy that compresses the answer (nginx gzip) weakens its ETag to W/"..."; browsers
    then send that back, and a cache may send several. Both still get a 304."""
    url = f"/embed/v1/{shop.publishable_key}/products/ao-thun/reviews"
    first = client.get(url, headers={"Origin": ORIGIN})
    etag = first.headers["etag"]
    assert etag == content_etag(first.content)  # the embed config's scheme, too
    for header in (f"W/{etag}", f'"stale", {etag}'):
        again = client.get(url, headers={"Origin": ORIGIN, "If-None-Match": header})
        assert again.status_code == 304, header
        assert again.content == b"" and again.headers["etag"] == etag
    assert client.get(url, headers={"Origin": ORIGIN, "If-None-Match": '"x"'}).status_code == 200
