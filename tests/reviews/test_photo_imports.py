"""Photos of imported reviews: Judge.me's picture_urls fetched from a real HTTP server on
loopback, re-encoded like uploads (no EXIF), redirects and failures skipped."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.testclient import TestClient

from rcommerce.reviews import photo_imports
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.reviews import CSV, jpeg_with_exif, photo_files, reviews_of
from tests.support.runtime import StoreKeys

PHOTO = jpeg_with_exif()


class _Pictures(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/redirect.jpg":
            self.send_response(302)
            self.send_header("Location", "/a.jpg")
            self.end_headers()
            return
        if self.path not in ("/a.jpg", "/b.jpg"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(PHOTO)))
        self.end_headers()
        self.wfile.write(PHOTO)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def pictures() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def import_with_pictures(client: TestClient, runtime: Runtime, shop: StoreKeys, urls: str) -> None:
    csv_text = (
        "title,body,rating,review_date,reviewer_name,reviewer_email,product_id,picture_urls\n"
        f'Đẹp,"Áo đẹp, có ảnh thật.",5,2026-03-02,Mai,mai@example.com,ao-thun,"{urls}"\n'
    )
    response = client.post(
        "/api/v1/reviews/import",
        params={"format": "judgeme"},
        content=csv_text.encode(),
        headers={**shop.auth, **CSV},
    )
    assert response.status_code == 200 and response.json()["imported"] == 1, response.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The picture server listens on loopback, which production's guard refuses."""
    return settings.with_overrides(test_private_networks=("127.0.0.0/8",))


def test_a_picture_on_a_private_address_is_not_fetched(
    client: TestClient, runtime: Runtime, shop: StoreKeys, pictures: str, settings: Settings
) -> None:
    import_with_pictures(client, runtime, shop, "")
    [review] = reviews_of(client, shop.publishable_key)["reviews"]
    production = settings.with_overrides(test_private_networks=())
    # Loopback, like an internal service or a cloud metadata address, is refused before any
    # connection: the photo is skipped as one that cannot be fetched.
    with runtime.transaction() as session:
        attached = photo_imports.import_photos(
            session=session,
            settings=production,
            review_id=review["id"],
            urls=[f"{pictures}/a.jpg"],
            now=runtime.now(),
        )
    assert attached == 0 and photo_files(runtime, shop) == []
    with runtime.transaction() as session:  # the same call reaches it where it is allowed
        attached = photo_imports.import_photos(
            session=session,
            settings=settings,
            review_id=review["id"],
            urls=[f"{pictures}/a.jpg"],
            now=runtime.now(),
        )
    assert attached == 1 and len(photo_files(runtime, shop)) == 1


def test_judgeme_picture_urls_are_fetched_and_reencoded(
    client: TestClient, runtime: Runtime, shop: StoreKeys, pictures: str
) -> None:
    urls = ", ".join(
        f"{pictures}{path}" for path in ("/a.jpg", "/missing.jpg", "/redirect.jpg", "/b.jpg")
    )
    import_with_pictures(client, runtime, shop, urls)
    [review] = reviews_of(client, shop.publishable_key)["reviews"]
    assert len(review["photos"]) == 2  # the 404 and the redirect are skipped
    assert len(photo_files(runtime, shop)) == 2
    served = client.get(review["photos"][0]["url"])
    assert served.status_code == 200
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.format == "JPEG" and not image.getexif()  # re-encoded, camera data gone


def test_the_http_client_is_given_and_follows_no_redirect(
    pictures: str, settings: Settings
) -> None:
    assert photo_imports.picture_urls(" a, ftp://x/y.jpg , https://c/d.jpg,https://c/d.jpg") == [
        "https://c/d.jpg"
    ]
    with photo_imports.outbound_client(settings, transport=httpx.HTTPTransport()) as client:
        assert client.follow_redirects is False and client.timeout.read == 10.0
        with pytest.raises(Exception, match="302"):
            photo_imports.fetch(client, f"{pictures}/redirect.jpg", 10_000_000)
        with pytest.raises(ValueError, match="over"):
            photo_imports.fetch(client, f"{pictures}/a.jpg", 100)
        assert photo_imports.fetch(client, f"{pictures}/a.jpg", 10_000_000) == PHOTO
