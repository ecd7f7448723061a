"""Review photos: checked by their content, size-capped, re-encoded without EXIF, kept under the
media folder, attached to one review and served only once that review is published."""

from __future__ import annotations

import io
import os
import warnings
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import Session, col, select

from rcommerce.db import after_commit, after_rollback
from rcommerce.errors import ApiError, InvalidInput, NotFound
from rcommerce.reviews import files
from rcommerce.reviews.models import PUBLISHED, Review, ReviewPhoto, ReviewVideo
from rcommerce.settings import Settings
from rcommerce.stores.models import Store

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 2048
MAX_PHOTOS_PER_REVIEW = 5


def photos_root(settings: Settings) -> Path:
    """The folder of every store's photo folder (``<media>/reviews/<store id>/``)."""
    return settings.media_path / "reviews"


def photo_path(settings: Settings, photo: ReviewPhoto) -> Path:
    return photos_root(settings) / str(photo.store_id) / photo.filename


def process(settings: Settings, data: bytes) -> tuple[bytes, int, int]:
    """Validate an upload and return (jpeg bytes, width, height) with no metadata kept."""
    if not data:
        raise InvalidInput("The photo is empty.")
    if len(data) > settings.max_upload_bytes:
        raise ApiError(
            f"A photo may be at most {settings.max_upload_bytes} bytes.",
            code="too_large",
            status=413,
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                if kind not in ACCEPTED_FORMATS:
                    raise InvalidInput("Photos must be JPEG, PNG, WebP or GIF images.")
                if probe.width * probe.height > MAX_PIXELS:
                    raise InvalidInput("The photo has too many pixels.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as source:
                source.seek(0)
                upright = ImageOps.exif_transpose(source)  # keep the orientation, drop EXIF
                pixels = upright.convert("RGB")
                pixels.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                # A fresh encode from pixels only: no EXIF, XMP, ICC or comments survive.
                pixels.save(out, format="JPEG", quality=85, optimize=True)
                return out.getvalue(), pixels.width, pixels.height
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("That file is not an image we can read.") from None
    except (OSError, SyntaxError, ValueError):
        raise InvalidInput("The image is damaged or truncated.") from None


def save(session: Session, settings: Settings, photo: ReviewPhoto, jpeg: bytes) -> None:
    """Write the photo's file durably before its row commits, and remove it if the transaction
    rolls back: a committed row always has its file, and a refused upload leaves none."""
    path = photo_path(settings, photo)
    after_rollback(session, lambda: files.remove(files.part_path(path), path))
    files.write_durably(path, jpeg)


def delete(session: Session, settings: Settings, photo: ReviewPhoto) -> None:
    """Remove the photo's row now and its file once the transaction commits (a rollback keeps
    both: the row never points at a file that is gone)."""
    path = photo_path(settings, photo)
    session.delete(photo)
    after_commit(session, lambda: path.unlink(missing_ok=True))


def attach_photos(
    session: Session,
    store: Store,
    review: Review,
    photo_ids: Sequence[str],
    *,
    now: datetime,
    strict: bool = True,
) -> None:
    """Attach uploaded photos to a review (up to MAX_PHOTOS_PER_REVIEW in all). ``strict``:
    InvalidInput when one is unknown, expired or used; otherwise those are skipped (an edit
    confirmed after its photos were swept)."""
    rows = list(
        session.exec(
            select(ReviewPhoto).where(
                col(ReviewPhoto.id).in_(list(dict.fromkeys(photo_ids))),
                ReviewPhoto.store_id == store.id,
                col(ReviewPhoto.created_at) >= now - timedelta(days=1),
            )
        )
    )
    usable = [p for p in rows if p.review_id in (None, review.id)]
    if strict and len(usable) != len(set(photo_ids)):
        raise InvalidInput("photo_ids: unknown, expired or already used photo.")
    for photo in usable:
        photo.review_id = review.id
        session.add(photo)
    session.flush()
    review.photo_count = len(
        session.exec(select(ReviewPhoto.id).where(ReviewPhoto.review_id == review.id)).all()
    )
    session.add(review)


def store_photo(
    *,
    session: Session,
    store: Store,
    settings: Settings,
    jpeg: bytes,
    width: int,
    height: int,
    ip_hash: str | None,
    now: datetime,
) -> ReviewPhoto:
    """Keep an uploaded photo (already checked and re-encoded by ``process``, which is
    CPU work the caller runs before its transaction) until a review names it."""
    assert store.id is not None
    photo = ReviewPhoto(
        store_id=store.id,
        filename="",
        content_type="image/jpeg",
        width=width,
        height=height,
        size=len(jpeg),
        ip_hash=ip_hash,
        created_at=now,
    )
    photo.filename = f"{photo.id}.jpg"
    save(session, settings, photo, jpeg)
    session.add(photo)
    return photo


Media = TypeVar("Media", ReviewPhoto, ReviewVideo)


def published_media(session: Session, model: type[Media], media_id: str, what: str) -> Media:
    """A photo or video shoppers may see: attached to a published review (NotFound
    otherwise)."""
    media = session.get(model, media_id)
    if media is None or media.review_id is None:
        raise NotFound(f"No such {what}.")
    published = session.exec(
        select(Review.id).where(Review.id == media.review_id, Review.status == PUBLISHED)
    ).first()
    if published is None:
        raise NotFound(f"No such {what}.")
    return media


def store_media_of(
    session: Session, store: Store, model: type[Media], media_id: str, what: str
) -> Media:
    """Any photo or video of the store's, published or not, for its managers (NotFound
    otherwise)."""
    media = session.get(model, media_id)
    if media is None or media.store_id != store.id:
        raise NotFound(f"No such {what}.")
    return media


def published_photo(session: Session, photo_id: str) -> ReviewPhoto:
    """A photo shoppers may see: attached to a published review (NotFound otherwise)."""
    return published_media(session, ReviewPhoto, photo_id, "photo")


def store_photo_of(session: Session, store: Store, photo_id: str) -> ReviewPhoto:
    """Any photo of the store's, published or not, for its managers (NotFound otherwise)."""
    return store_media_of(session, store, ReviewPhoto, photo_id, "photo")


def sweep_files(session: Session, settings: Settings, older_than: datetime) -> int:
    """Delete files under the photo folders that no row names, last written before
    ``older_than``: a file left by a process that stopped between writing a photo and
    committing its row, an unfinished ``.part`` file, or the file of an erased photo whose
    removal after the commit did not happen. A photo being saved now is younger than any
    cutoff the sweep uses, so it is never touched. Returns how many files were deleted."""
    root = photos_root(settings)
    if not root.is_dir():
        return 0
    cutoff = older_than.timestamp()
    deleted = 0
    for folder in root.iterdir():
        if not (folder.is_dir() and folder.name.isdigit()):
            continue
        for batch in _old_files(folder, cutoff):
            named = set(
                session.exec(
                    select(ReviewPhoto.filename).where(
                        ReviewPhoto.store_id == int(folder.name),
                        col(ReviewPhoto.filename).in_([path.name for path in batch]),
                    )
                )
            )
            for path in batch:
                if path.name not in named:
                    path.unlink(missing_ok=True)
                    deleted += 1
    return deleted


def _old_files(folder: Path, cutoff: float, size: int = 500) -> Iterator[list[Path]]:
    batch: list[Path] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                batch.append(Path(entry.path))
                if len(batch) == size:
                    yield batch
                    batch = []
    if batch:
        yield batch
