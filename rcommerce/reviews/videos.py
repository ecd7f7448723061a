"""Review videos: one short MP4 or WebM clip per review, recognised by its bytes, size- and
duration-capped by reading the container's own header (no transcoding, no external tools),
kept beside the photos under the media folder and served only once its review is published."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from rcommerce.db import after_commit, after_rollback
from rcommerce.errors import ApiError, InvalidInput
from rcommerce.reviews import files, photos
from rcommerce.reviews.models import Review, ReviewVideo
from rcommerce.reviews.photos import MAX_PHOTOS_PER_REVIEW
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

MP4 = "video/mp4"
WEBM = "video/webm"
EXTENSIONS = {MP4: "mp4", WEBM: "webm"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"


class Unreadable(Exception):
    """The container's header does not say how long the clip is."""


def videos_root(settings: Settings) -> Path:
    """The folder of every store's video folder (``<media>/review-videos/<store id>/``), beside
    the photos' ``<media>/reviews/`` (whose sweep only knows photo rows)."""
    return settings.media_path / "review-videos"


def video_path(settings: Settings, video: ReviewVideo) -> Path:
    return videos_root(settings) / str(video.store_id) / video.filename


def sniff(data: bytes) -> str | None:
    """The container the bytes are, whatever the request claimed: MP4 has its ``ftyp`` box
    first, WebM starts with the EBML magic."""
    if len(data) >= 8 and data[4:8] == b"ftyp":
        return MP4
    if data[:4] == EBML_MAGIC:
        return WEBM
    return None


def check(settings: Settings, declared: str, data: bytes) -> tuple[str, float]:
    """Validate an upload: (content type, duration in seconds). 415 when the bytes are not an
    MP4 or WebM matching the declared type, 413 over the size cap, 422 when the duration is
    over the cap or cannot be read from the header."""
    if len(data) > settings.max_video_bytes:
        raise ApiError(
            f"A video may be at most {settings.max_video_bytes} bytes.",
            code="too_large",
            status=413,
        )
    kind = sniff(data)
    if kind is None or kind != declared:
        raise ApiError(
            "Videos must be MP4 or WebM files sent with their own Content-Type.",
            code="unsupported_media_type",
            status=415,
        )
    try:
        seconds = mp4_duration(data) if kind == MP4 else webm_duration(data)
    except (Unreadable, struct.error, IndexError, ValueError):
        raise InvalidInput("The video's length cannot be read from its header.") from None
    if not seconds > 0:
        raise InvalidInput("The video's length cannot be read from its header.")
    if seconds > settings.max_video_seconds:
        raise InvalidInput(f"A video may be at most {settings.max_video_seconds} seconds long.")
    return kind, seconds


# ---- MP4 (ISO base media file format) --------------------------------------------------------


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """The boxes between start and end: (type, payload start, box end)."""
    found = []
    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[at + 8 : at + 16])
            header = 16
        elif size == 0:
            size = end - at
        if size < header or at + size > end:
            raise Unreadable("a box runs past its parent")
        found.append((kind, at + header, at + size))
        at += size
    return found


def mp4_duration(data: bytes) -> float:
    """``moov/mvhd``: duration / timescale (version 0: 32-bit fields, version 1: 64-bit)."""
    for kind, start, end in _boxes(data, 0, len(data)):
        if kind != b"moov":
            continue
        for inner, payload, inner_end in _boxes(data, start, end):
            if inner != b"mvhd":
                continue
            version = data[payload]
            if payload + (32 if version == 1 else 20) > inner_end:
                raise Unreadable("mvhd is cut short")
            if version == 1:
                timescale, duration = struct.unpack(">IQ", data[payload + 20 : payload + 32])
                unknown = duration == 0xFFFFFFFFFFFFFFFF
            else:
                timescale, duration = struct.unpack(">II", data[payload + 12 : payload + 20])
                unknown = duration == 0xFFFFFFFF
            if timescale == 0 or unknown:
                raise Unreadable("no usable mvhd duration")
            return int(duration) / int(timescale)
    raise Unreadable("no moov/mvhd box")


# ---- WebM (EBML / Matroska) ------------------------------------------------------------------

SEGMENT = 0x18538067
INFO = 0x1549A966
TIMESTAMP_SCALE = 0x2AD7B1
DURATION = 0x4489
DOCTYPE = 0x4282


def _vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int, bool]:
    """(value, length, all ones) of the variable-length integer at ``at``."""
    first = data[at]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8:
        raise Unreadable("bad EBML integer")
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = (value << 8) | byte
    if at + length > len(data):
        raise Unreadable("truncated EBML integer")
    all_ones = (first & (0xFF >> length)) == (0xFF >> length) and all(
        b == 0xFF for b in data[at + 1 : at + length]
    )
    return value, length, all_ones


def _elements(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """The elements between start and end: (id, payload start, payload end). An element of
    unknown size (a live recording's segment) runs to ``end``; it must be the last one read."""
    found = []
    at = start
    while at < end:
        element, id_length, _ = _vint(data, at, keep_marker=True)
        size, size_length, unknown = _vint(data, at + id_length, keep_marker=False)
        payload = at + id_length + size_length
        stop = end if unknown else payload + size
        if stop > end:
            raise Unreadable("an element runs past its parent")
        found.append((element, payload, stop))
        if unknown:
            break
        at = stop
    return found


def webm_duration(data: bytes) -> float:
    """The EBML header's DocType must be ``webm``; then Segment > Info > Duration (a float in
    TimestampScale units, nanoseconds each by default)."""
    top = _elements(data, 0, len(data))
    if not top or top[0][0] != int.from_bytes(EBML_MAGIC, "big"):
        raise Unreadable("no EBML header")
    _, header_start, header_end = top[0]
    doctypes = [
        data[s:e].rstrip(b"\0")
        for i, s, e in _elements(data, header_start, header_end)
        if i == DOCTYPE
    ]
    if doctypes != [b"webm"]:
        raise Unreadable("not a WebM document")
    for element, start, end in top[1:]:
        if element != SEGMENT:
            continue
        for child, payload, child_end in _segment_children(data, start, end):
            if child != INFO:
                continue
            scale, duration = 1_000_000, None
            for field, s, e in _elements(data, payload, child_end):
                if field == TIMESTAMP_SCALE:
                    scale = int.from_bytes(data[s:e], "big")
                elif field == DURATION and e - s in (4, 8):
                    (duration,) = struct.unpack(">f" if e - s == 4 else ">d", data[s:e])
            if duration is None or scale <= 0:
                raise Unreadable("Info has no Duration")
            return float(duration) * scale / 1e9
    raise Unreadable("no Segment Info")


def _segment_children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    """The segment's children up to its Info (which comes before the clusters in every file
    a browser or encoder finishes), read one by one so the media after it is never walked."""
    found = []
    at = start
    while at < end:
        element, id_length, _ = _vint(data, at, keep_marker=True)
        size, size_length, unknown = _vint(data, at + id_length, keep_marker=False)
        payload = at + id_length + size_length
        if unknown or payload + size > end:
            break
        found.append((element, payload, payload + size))
        if element == INFO:
            break
        at = payload + size
    return found


# ---- storage ---------------------------------------------------------------------------------


def save(session: Session, settings: Settings, video: ReviewVideo, data: bytes) -> None:
    """Write the file durably before its row commits; remove it if the transaction rolls back."""
    path = video_path(settings, video)
    after_rollback(session, lambda: files.remove(files.part_path(path), path))
    files.write_durably(path, data)


def delete(session: Session, settings: Settings, video: ReviewVideo) -> None:
    """Remove the row now and the file once the transaction commits."""
    path = video_path(settings, video)
    session.delete(video)
    after_commit(session, lambda: path.unlink(missing_ok=True))


def store_video(
    *,
    session: Session,
    store: Store,
    settings: Settings,
    data: bytes,
    content_type: str,
    duration: float,
    ip_hash: str | None,
    now: datetime,
) -> ReviewVideo:
    """Keep a checked upload until a review names it (swept after a day otherwise)."""
    assert store.id is not None
    video = ReviewVideo(
        store_id=store.id,
        filename="",
        content_type=content_type,
        duration=duration,
        size=len(data),
        ip_hash=ip_hash,
        created_at=now,
    )
    video.filename = f"{video.id}.{EXTENSIONS[content_type]}"
    save(session, settings, video, data)
    session.add(video)
    return video


def attach_video(
    session: Session,
    settings: Settings,
    store: Store,
    review: Review,
    video_id: str,
    *,
    now: datetime,
    strict: bool = True,
) -> None:
    """Make the uploaded video the review's one video (an earlier one is erased). ``strict``:
    InvalidInput when it is unknown, expired or used; otherwise it is skipped."""
    video = session.exec(
        select(ReviewVideo).where(
            ReviewVideo.id == video_id,
            ReviewVideo.store_id == store.id,
            col(ReviewVideo.created_at) >= now - timedelta(days=1),
        )
    ).first()
    if video is None or video.review_id not in (None, review.id):
        if strict:
            raise InvalidInput("video_id: unknown, expired or already used video.")
        return
    for old in session.exec(select(ReviewVideo).where(ReviewVideo.review_id == review.id)):
        if old.id != video.id:
            delete(session, settings, old)
    session.flush()
    video.review_id = review.id
    review.video_id = video.id
    review.video_type = video.content_type
    session.add(video)
    session.add(review)


def split_ids(
    session: Session, store: Store, ids: Sequence[str], video_id: str | None
) -> tuple[list[str], str | None]:
    """(photo ids, video id): the widget sends its video's id among its photos' ids (the core
    script builds the submission and has no room for another field); the API's video_id too."""
    named = list(dict.fromkeys(ids))
    found = (
        set(
            session.exec(
                select(ReviewVideo.id).where(
                    col(ReviewVideo.id).in_(named), ReviewVideo.store_id == store.id
                )
            )
        )
        if named
        else set()
    )
    chosen = {video_id} if video_id else set()
    chosen |= found
    if len(chosen) > 1:
        raise InvalidInput("video_id: a review has one video.")
    photo_ids = [i for i in named if i not in found]
    if len(photo_ids) > MAX_PHOTOS_PER_REVIEW:
        raise InvalidInput(f"photo_ids: at most {MAX_PHOTOS_PER_REVIEW} photos.")
    return photo_ids, next(iter(chosen), None)


POSTER = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 88 88" width="88" height="88">'
    b'<rect width="88" height="88" rx="6" fill="#24292f"/>'
    b'<circle cx="44" cy="44" r="22" fill="#fff" fill-opacity=".9"/>'
    b'<path d="M38 32v24l19-12z" fill="#24292f"/></svg>'
)


def erase_of(session: Session, settings: Settings, review: Review) -> None:
    """Erase the review's video (row and file), as its review goes."""
    for video in session.exec(select(ReviewVideo).where(ReviewVideo.review_id == review.id)):
        delete(session, settings, video)
    review.video_id = None
    review.video_type = None


def published_video(session: Session, video_id: str) -> ReviewVideo:
    """A video shoppers may see: attached to a published review (NotFound otherwise)."""
    return photos.published_media(session, ReviewVideo, video_id, "video")


def store_video_of(session: Session, store: Store, video_id: str) -> ReviewVideo:
    """Any video of the store's, published or not, for its managers (NotFound otherwise)."""
    return photos.store_media_of(session, store, ReviewVideo, video_id, "video")


def sweep_unused(session: Session, settings: Settings, older_than: datetime) -> int:
    """Erase videos uploaded before ``older_than`` that no review took."""
    unused = list(
        session.exec(
            select(ReviewVideo)
            .where(col(ReviewVideo.review_id).is_(None), col(ReviewVideo.created_at) < older_than)
            .limit(500)
        )
    )
    for video in unused:
        delete(session, settings, video)
    return len(unused)
