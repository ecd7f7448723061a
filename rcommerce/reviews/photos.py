"""Review photos: checked by their content (not their name or header), size-capped, re-encoded
without EXIF (location, camera serials) and kept under the media folder."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlmodel import Session

from rcommerce.db import after_commit
from rcommerce.errors import ApiError, InvalidInput
from rcommerce.reviews.models import ReviewPhoto
from rcommerce.settings import Settings

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 2048
MAX_PHOTOS_PER_REVIEW = 5


def photo_path(settings: Settings, photo: ReviewPhoto) -> Path:
    return settings.media_path / "reviews" / str(photo.store_id) / photo.filename


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


def save(settings: Settings, photo: ReviewPhoto, jpeg: bytes) -> None:
    path = photo_path(settings, photo)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(jpeg)
    tmp.replace(path)


def delete(session: Session, settings: Settings, photo: ReviewPhoto) -> None:
    """Remove the photo's row now and its file once the transaction commits (a rollback keeps
    both: the row never points at a file that is gone)."""
    path = photo_path(settings, photo)
    session.delete(photo)
    after_commit(session, lambda: path.unlink(missing_ok=True))
