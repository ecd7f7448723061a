"""Photos of imported reviews: Judge.me's picture_urls fetched from a real HTTP server on
loopback, re-encoded like uploads (no EXIF), redirects and failures skipped."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image
from starlette.testclient import TestClient

from rcommerce.reviews import photo_imports
from rcommerce.runtime import Runtime
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


def test_judgeme_picture_urls_are_fetched_and_reencoded(
    client: TestClient, runtime: Runtime, shop: StoreKeys, pictures: str
) -> None:
    urls = ", ".join(
        f"{pictures}{path}" for path in ("/a.jpg", "/missing.jpg", "/redirect.jpg", "/b.jpg")
    )
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
    [review] = reviews_of(client, shop.publishable_key)["reviews"]
    assert len(review["photos"]) == 2  # the 404 and the redirect are skipped
    assert len(photo_files(runtime, shop)) == 2
    served = client.get(review["photos"][0]["url"])
    assert served.status_code == 200
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.format == "JPEG" and not image.getexif()  # re-encoded, camera data gone


def test_the_http_client_is_given_and_follows_no_redirect(pictures: str) -> None:
    assert photo_imports.picture_urls(" a, ftp://x/y.jpg , https://c/d.jpg,https://c/d.jpg") == [
        "https://c/d.jpg"
    ]
    with photo_imports.outbound_client() as client:
        assert client.follow_redirects is False and client.timeout.read == 10.0
        with pytest.raises(Exception, match="302"):
            photo_imports.fetch(client, f"{pictures}/redirect.jpg", 10_000_000)
        with pytest.raises(ValueError, match="over"):
            photo_imports.fetch(client, f"{pictures}/a.jpg", 100)
        assert photo_imports.fetch(client, f"{pictures}/a.jpg", 10_000_000) == PHOTO
