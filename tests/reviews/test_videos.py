"""Review videos: MP4 and WebM recognised by their bytes, size and duration capped from the
container's header, served only once the review is published, erased with the review."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.reviews.models import ReviewVideo
from rcommerce.runtime import Runtime
from tests.support.reviews import (
    ORIGIN,
    Submit,
    jpeg_with_exif,
    make_order,
    only_review,
    published,
    review_link,
    reviews_of,
    upload_photo,
)
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(seconds: float, *, version: int = 0, timescale: int = 1000) -> bytes:
    """ftyp, an mdat of a few bytes, then moov/mvhd (as a phone writes it: the index last)."""
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2avc1mp41")
    duration = round(seconds * timescale)
    if version == 1:
        times = struct.pack(">QQIQ", 0, 0, timescale, duration)
    else:
        times = struct.pack(">IIII", 0, 0, timescale, duration)
    rest = struct.pack(">IH", 0x00010000, 0x0100) + b"\0" * 10 + b"\0" * 36 + b"\0" * 24
    mvhd = box(b"mvhd", bytes([version, 0, 0, 0]) + times + rest + struct.pack(">I", 2))
    return ftyp + box(b"mdat", b"\0" * 64) + box(b"moov", mvhd)


def element(element_id: int, payload: bytes) -> bytes:
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return id_bytes + bytes([0x01]) + len(payload).to_bytes(7, "big") + payload


def webm(seconds: float | None, *, doctype: bytes = b"webm", unknown_cluster: bool = True) -> bytes:
    """An EBML header, then a Segment of unknown size (as a recorder streams it) holding a
    SeekHead-like Void, Info (TimestampScale 1 ms, Duration in ms as a double) and a Cluster."""
    header = element(
        0x1A45DFA3,
        element(0x4286, b"\x01") + element(0x4282, doctype) + element(0x4287, b"\x04"),
    )
    info = element(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
    if seconds is not None:
        info += element(0x4489, struct.pack(">d", seconds * 1000))
    info += element(0x4D80, b"test")
    cluster = (
        bytes.fromhex("1f43b675")
        + (b"\x01\xff\xff\xff\xff\xff\xff\xff" if unknown_cluster else b"\x81")
        + b"\xe7\x81\x00"
    )
    segment = element(0xEC, b"\0" * 8) + element(0x1549A966, info) + cluster
    return header + bytes.fromhex("18538067") + b"\x01\xff\xff\xff\xff\xff\xff\xff" + segment


def upload(client: TestClient, keys: StoreKeys, data: bytes, content_type: str) -> object:
    return client.post(
        f"/embed/v1/{keys.publishable_key}/videos",
        content=data,
        headers={"Origin": ORIGIN, "Content-Type": content_type},
    )


def video_files(runtime: Runtime, keys: StoreKeys) -> list[str]:
    folder = runtime.settings.media_path / "review-videos" / str(keys.store_id)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize(
    ("content_type", "data", "seconds"),
    [
        ("video/mp4", mp4(12.5), 12.5),
        ("video/mp4", mp4(59, version=1, timescale=90000), 59.0),
        ("video/webm", webm(7.25), 7.25),
    ],
    ids=["mp4", "mp4-v1", "webm"],
)
def test_a_video_is_served_only_once_its_review_is_published(
    client: TestClient,
    runtime: Runtime,
    shop: StoreKeys,
    submit: Submit,
    content_type: str,
    data: bytes,
    seconds: float,
) -> None:
    uploaded = upload(client, shop, data, content_type)
    assert uploaded.status_code == 201, uploaded.text  # type: ignore[attr-defined]
    out = uploaded.json()  # type: ignore[attr-defined]
    assert out["content_type"] == content_type and out["duration"] == seconds
    extension = "mp4" if content_type == "video/mp4" else "webm"
    assert video_files(runtime, shop) == [f"{out['id']}.{extension}"]  # no .part left over
    url = f"/media/review-videos/{out['id']}.{extension}"
    assert client.get(url).status_code == 404  # nobody's review yet
    assert client.get(f"{url}/poster.svg").status_code == 404

    # Held for moderation (a link in the text): still not served.
    held = submit(video_id=out["id"], body="Xem thêm tại http://spam.example.com nhé mọi người ơi")
    assert held.status_code == 202, held.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = only_review(runtime, email="lan@example.com")
    assert review.status != "published" and review.video_id == out["id"]
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/poster.svg").status_code == 404


def test_a_published_video_is_in_the_read_and_served_with_ranges(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    data = mp4(20)
    video_id = upload(client, shop, data, "video/mp4").json()["id"]  # type: ignore[attr-defined]
    review_id = published(runtime, submit, video_id=video_id)
    [review] = reviews_of(client, shop.publishable_key)["reviews"]
    assert review["id"] == review_id
    assert review["video"] == {
        "url": f"{runtime.settings.base_url}/media/review-videos/{video_id}.mp4",
        "content_type": "video/mp4",
    }
    # The widget's read also lists it as a play tile after the photos (the lightbox plays it).
    assert review["photos"][-1] == {
        "id": video_id,
        "url": f"{runtime.settings.base_url}/media/review-videos/{video_id}.mp4/poster.svg",
        "width": 88,
        "height": 88,
        "kind": "video",
    }
    url = f"/media/review-videos/{video_id}.mp4"
    tile = client.get(f"{url}/poster.svg")
    assert tile.status_code == 200 and tile.headers["content-type"] == "image/svg+xml"
    assert tile.content.startswith(b"<svg")
    whole = client.get(url)
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "video/mp4"
    part = client.get(url, headers={"Range": "bytes=4-7"})
    assert part.status_code == 206 and part.content == b"ftyp"
    assert client.get(f"/media/review-videos/{video_id}.webm").status_code == 404
    # Unpublished, it is no longer served.
    hidden = client.patch(
        f"/api/v1/reviews/{review_id}",
        headers=shop.auth,
        json={"status": "unpublished", "reason": "spam"},
    )
    assert hidden.status_code == 200, hidden.text
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/poster.svg").status_code == 404
    # The video cannot be attached to a second review.
    again = submit(video_id=video_id, email="other@example.com")
    assert again.status_code == 422
    # A review without a video reads null.
    published(runtime, submit, product_id="ca-phe")
    [plain] = reviews_of(client, shop.publishable_key, "ca-phe")["reviews"]
    assert plain["video"] is None


@pytest.mark.parametrize(
    ("content_type", "data", "status"),
    [
        ("video/mp4", jpeg_with_exif(), 415),  # a JPEG renamed .mp4
        ("image/jpeg", mp4(5), 415),
        ("video/webm", mp4(5), 415),  # the bytes say MP4
        ("video/quicktime", mp4(5), 415),
        ("video/mp4", mp4(61), 422),
        ("video/webm", webm(60.5), 422),
        ("video/webm", webm(None), 422),  # a recording without its Duration
        ("video/webm", webm(5, doctype=b"matroska"), 422),
        ("video/mp4", mp4(5)[:40], 422),  # cut before its moov
        ("video/mp4", mp4(5, timescale=0), 422),
    ],
)
def test_what_is_not_a_short_mp4_or_webm_is_refused(
    client: TestClient,
    runtime: Runtime,
    shop: StoreKeys,
    content_type: str,
    data: bytes,
    status: int,
) -> None:
    refused = upload(client, shop, data, content_type)
    assert refused.status_code == status, refused.text  # type: ignore[attr-defined]
    assert video_files(runtime, shop) == []


def test_an_oversize_video_is_refused_unread(
    client: TestClient, runtime: Runtime, shop: StoreKeys
) -> None:
    cap = runtime.settings.max_video_bytes
    assert cap == 20_000_000
    declared = client.post(
        f"/embed/v1/{shop.publishable_key}/videos",
        content=b"",
        headers={"Origin": ORIGIN, "Content-Type": "video/mp4", "Content-Length": str(cap + 1)},
    )
    assert declared.status_code == 413

    def stream():  # no Content-Length: refused once the bytes pass the cap
        chunk = mp4(5) + b"\0" * (1 << 20)
        for _ in range(cap // len(chunk) + 2):
            yield chunk

    streamed = client.post(
        f"/embed/v1/{shop.publishable_key}/videos",
        content=stream(),
        headers={"Origin": ORIGIN, "Content-Type": "video/mp4"},
    )
    assert streamed.status_code == 413
    assert video_files(runtime, shop) == []


def test_a_video_goes_with_its_review_when_the_person_is_erased(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit, tmp_path: Path
) -> None:
    video_id = upload(client, shop, webm(3), "video/webm").json()["id"]  # type: ignore[attr-defined]
    published(runtime, submit, video_id=video_id, email="lan@example.com")
    url = f"/media/review-videos/{video_id}.webm"
    assert client.get(url).status_code == 200
    erased = client.post(
        "/api/v1/reviews/privacy/erase", headers=shop.auth, json={"email": "lan@example.com"}
    )
    assert erased.status_code == 200 and erased.json()["reviews"] == 1
    assert client.get(url).status_code == 404
    assert video_files(runtime, shop) == []
    with runtime.transaction(readonly=True) as session:
        assert session.exec(select(ReviewVideo)).all() == []


def test_an_unused_video_is_swept_after_a_day(
    client: TestClient, runtime: Runtime, shop: StoreKeys
) -> None:
    from datetime import timedelta

    from rcommerce.reviews import videos

    upload(client, shop, mp4(5), "video/mp4")
    with runtime.transaction() as session:
        younger = runtime.now() - timedelta(hours=1)
        assert videos.sweep_unused(session, runtime.settings, younger) == 0
    with runtime.transaction() as session:
        later = runtime.now() + timedelta(days=1, seconds=1)
        assert videos.sweep_unused(session, runtime.settings, later) == 1
    assert video_files(runtime, shop) == []


def test_the_widget_sends_its_video_among_its_photo_ids(
    client: TestClient, runtime: Runtime, shop: StoreKeys, submit: Submit
) -> None:
    """The core script sends what the picker uploaded as photo_ids: a video's id there is the
    review's video; two videos, or six photos, are refused."""
    photo_id = upload_photo(client, shop)
    first = upload(client, shop, webm(5), "video/webm").json()["id"]  # type: ignore[attr-defined]
    second = upload(client, shop, mp4(5), "video/mp4").json()["id"]  # type: ignore[attr-defined]
    two = submit(photo_ids=[photo_id, first, second])
    assert two.status_code == 422
    also = submit(photo_ids=[photo_id, first], video_id=second)
    assert also.status_code == 422
    six = submit(photo_ids=[*(upload_photo(client, shop) for _ in range(5)), photo_id])
    assert six.status_code == 422
    published(runtime, submit, photo_ids=[photo_id, first])
    [review] = reviews_of(client, shop.publishable_key)["reviews"]
    assert [p["kind"] for p in review["photos"]] == ["photo", "video"]
    assert review["video"]["content_type"] == "video/webm"
    assert client.get(f"/media/review-videos/{first}.webm").content == webm(5)


def test_an_edit_brings_its_new_video_only_once_its_link_is_used(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    submit: Submit,
) -> None:
    """A second review by the same e-mail waits for the link sent to it; its video replaces the
    first one then, and not before."""
    runtime = smtp_runtime
    first = upload(client, shop, mp4(10), "video/mp4").json()["id"]  # type: ignore[attr-defined]
    published(runtime, submit, video_id=first)
    smtp_server.inbox.wait_for(1)  # thanked
    second = upload(client, shop, webm(6), "video/webm").json()["id"]  # type: ignore[attr-defined]
    edit = submit(video_id=second, body="Mặc thêm một tuần: vẫn đẹp, video mới đây.")
    assert edit.json() == {"id": None, "status": "received"}  # answered as a first review is
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert only_review(runtime).video_id == first
    assert client.get(f"/media/review-videos/{first}.mp4").status_code == 200
    [_, mail] = smtp_server.inbox.wait_for(2)
    found = re.search(r"http://testserver(/reviews/edit/\S+)", Inbox.text_of(mail))
    assert found is not None
    assert client.post(found.group(1)).status_code == 200
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review = only_review(runtime)
    assert (review.video_id, review.video_type, review.status) == (
        second,
        "video/webm",
        "published",
    )
    assert client.get(f"/media/review-videos/{second}.webm").status_code == 200
    assert client.get(f"/media/review-videos/{first}.mp4").status_code == 404
    assert video_files(runtime, shop) == [f"{second}.webm"]  # the replaced clip's file is gone


def test_the_emailed_form_takes_one_short_video_a_product_sniffed_as_the_widgets_is(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    clock: Clock,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH7", "thu@example.com", ["ao-thun", "tai-nghe"])
    link = review_link(runtime, client, smtp_server, clock, shop, "DH7")
    page = client.get(link).text
    assert 'name="video-0"' in page and 'name="video-1"' in page
    assert 'accept="video/mp4,video/webm"' in page and "tối đa 20 MB và 60 giây" in page
    fields = {
        "product-0": "ao-thun", "rating-0": "2", "body-0": "Áo co lại sau khi giặt.",
        "product-1": "tai-nghe", "rating-1": "5", "body-1": "Nghe rõ, pin lâu.", "name": "Thu",
    }  # fmt: skip
    refused = [
        [("video-0", ("a.mp4", b"not a video at all", "video/mp4"))],  # not an MP4
        [("video-0", ("a.mp4", webm(5), "video/mp4"))],  # WebM bytes said to be MP4
        [("video-0", ("a.mp4", mp4(61), "video/mp4"))],  # over the length cap
        [("video-0", ("a.mp4", mp4(5), "video/mp4")), ("video-0", ("b.mp4", mp4(6), "video/mp4"))],
    ]
    for files in refused:
        sent = client.post(link, data=fields, files=files)
        assert sent.status_code == 422 and "chỉ nhận một video MP4 hoặc WebM" in sent.text
        with runtime.transaction(readonly=True) as session:
            assert session.exec(select(ReviewVideo)).all() == []  # nothing kept: retry
    clip = mp4(12.5)
    sent = client.post(
        link,
        data=fields,
        files=[("video-0", ("a.mp4", clip, "video/mp4")),
               ("photos-1", ("b.jpg", jpeg_with_exif(), "image/jpeg"))],
    )  # fmt: skip
    assert sent.status_code == 200, sent.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [with_video] = reviews_of(client, shop.publishable_key)["reviews"]
    assert with_video["verified"] is True and with_video["rating"] == 2
    assert with_video["video"]["content_type"] == "video/mp4"
    assert (
        client.get(with_video["video"]["url"].replace(runtime.settings.base_url, "")).content
        == clip
    )
    [with_photo] = reviews_of(client, shop.publishable_key, "tai-nghe")["reviews"]
    assert with_photo["video"] is None and len(with_photo["photos"]) == 1
    assert len(video_files(runtime, shop)) == 1
