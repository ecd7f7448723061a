"""CSV import (Judge.me, Yotpo and rcommerce's generic format) and CSV export of reviews.

Every valid row is kept; every invalid one is reported with its line number and the reasons.
Re-importing the same file changes nothing (each row has a stable identity). Imported reviews
were moderated where they came from: they keep their published state, are scored for sentiment
in the background, and the audit trail records "import" as the decision maker. Judge.me's
``picture_urls`` are fetched in the background and re-encoded like uploads (photo_imports.py).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from rcommerce import jobs
from rcommerce.errors import InvalidInput
from rcommerce.orders import service as orders
from rcommerce.reviews import aggregates, photo_imports, rules
from rcommerce.reviews.models import (
    PUBLISHED,
    REJECTED,
    STORE_SUBJECT,
    UNPUBLISHED,
    ModerationDecision,
    Review,
)
from rcommerce.stores.models import Store

FORMATS = ("judgeme", "yotpo", "generic")
MAX_ROWS = 50_000

# Column names of each format (lower-cased, spaces and dashes as underscores) -> our field.
# Judge.me: the "Export reviews" / import template columns.
JUDGEME = {
    "title": "title",
    "body": "body",
    "rating": "rating",
    "review_date": "date",
    "reviewer_name": "name",
    "reviewer_email": "email",
    "product_id": "product_id",
    "product_handle": "product_handle",
    "reply": "reply",
    "reply_date": "reply_date",
    "curated": "curated",
    "verified_buyer": "verified",
    "source": "source_name",
    "picture_urls": "picture_urls",
}
# Yotpo: the reviews export ("Review Title", "Review Content", "Review Score", ...).
YOTPO = {
    "review_id": "external_id",
    "review_title": "title",
    "review_content": "body",
    "review_score": "rating",
    "date": "date",
    "review_creation_date": "date",
    "product_id": "product_id",
    "product_sku": "product_id",
    "display_name": "name",
    "reviewer_display_name": "name",
    "email": "email",
    "reviewer_email": "email",
    "user_type": "user_type",
    "review_status": "status",
    "published": "published",
    "comment_content": "reply",
    "comment_created_at": "reply_date",
}
# Generic: documented in docs/reviews.md; also what export writes.
GENERIC_COLUMNS = [
    "product_id",
    "rating",
    "title",
    "body",
    "name",
    "email",
    "date",
    "verified",
    "language",
    "status",
    "reply",
    "reply_date",
    "external_id",
]
GENERIC = {name: name for name in GENERIC_COLUMNS}
MAPPINGS = {"judgeme": JUDGEME, "yotpo": YOTPO, "generic": GENERIC}
_TRUE = {"1", "true", "yes", "y", "verified", "verified_buyer", "published", "ok"}


@dataclass
class RowError:
    row: int  # line number in the file (the header is line 1)
    errors: list[str]


@dataclass
class ImportReport:
    format: str
    imported: int = 0
    unchanged: int = 0
    failed: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "imported": self.imported,
            "unchanged": self.unchanged,
            "failed": [{"row": e.row, "errors": e.errors} for e in self.failed],
        }


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_").lstrip("\ufeff")


def _rows(text: str, mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("The CSV file is empty.") from None
    fields = [mapping.get(_key(name)) for name in header]
    if "rating" not in fields:
        raise InvalidInput(
            "The CSV header has no rating column for this format; check the format parameter."
        )
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row: dict[str, str] = {}
        for name, value in zip(fields, values, strict=False):
            if name and value.strip() and name not in row:
                row[name] = value.strip()
        yield number, row


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    for parse in (
        datetime.fromisoformat,
        lambda v: datetime.strptime(v, "%Y-%m-%d %H:%M:%S %Z"),
        lambda v: datetime.strptime(v, "%m/%d/%Y"),
        lambda v: datetime.strptime(v, "%d/%m/%Y"),
    ):
        try:
            parsed = parse(text)
        except ValueError:
            continue
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    raise ValueError(f"date {value!r} is not a date (use ISO 8601, e.g. 2026-03-01)")


def _parse(
    fmt: str, row: dict[str, str], session: Session, store: Store, now: datetime
) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    out: dict[str, Any] = {}
    try:
        rating = int(float(row.get("rating", "")))
        if not 1 <= rating <= 5:
            raise ValueError
        out["rating"] = rating
    except ValueError:
        errors.append(f"rating {row.get('rating', '')!r} is not a whole number from 1 to 5")
    product_id = row.get("product_id") or row.get("product_handle") or ""
    if fmt == "judgeme" and row.get("product_handle") and not row.get("product_id"):
        product_id = row["product_handle"]
    if len(product_id) > 200:
        errors.append("product_id is longer than 200 characters")
    elif product_id and orders.get_product(session, store, product_id) is None:
        errors.append(f"product {product_id!r} is not in this store's catalogue")
    out["product_id"] = product_id or STORE_SUBJECT
    body = row.get("body", "")
    if not body:
        errors.append("body is empty")
    elif len(body) > 5000:
        errors.append("body is longer than 5000 characters")
    out["body"] = body
    out["title"] = row.get("title", "")[:200]
    name = row.get("name", "")
    if not name:
        errors.append("reviewer name is empty")
    out["name"] = name[:100]
    email = row.get("email")
    if email:
        try:
            out["email"] = orders.normalise_email(
                validate_email(email, check_deliverability=False).normalized
            )
        except EmailNotValidError:
            errors.append(f"e-mail {email!r} is not an e-mail address")
    try:
        out["date"] = _date(row.get("date")) or now
        if out["date"] > now:
            errors.append("date is in the future")
        reply_date = _date(row.get("reply_date"))
    except ValueError as exc:
        errors.append(str(exc))
        reply_date = None
    out["reply"] = row.get("reply") or None
    out["reply_date"] = reply_date or (now if out["reply"] else None)
    verified = row.get("verified", "") or row.get("user_type", "")
    out["verified"] = verified.lower().replace(" ", "_") in _TRUE
    status = (row.get("status") or row.get("published") or "published").lower()
    if status in ("published", "true", "yes", "1", "approved"):
        out["status"] = PUBLISHED
    elif status in ("unpublished", "pending", "false", "no", "0", "hidden"):
        out["status"] = UNPUBLISHED
    elif status in ("rejected", "spam", "deleted"):
        out["status"] = REJECTED
    else:
        errors.append(f"status {status!r} is not published, unpublished or rejected")
    language = row.get("language")
    if language and language not in ("vi", "en", "other"):
        errors.append(f"language {language!r} is not vi, en or other")
    out["language"] = language or None
    identity = row.get("external_id") or "|".join(
        [out["product_id"], str(out.get("email") or name), body]
    )
    out["source_ref"] = f"{fmt}:" + hashlib.sha256(identity.encode()).hexdigest()[:40]
    return out, errors


def import_csv(
    *, session: Session, store: Store, text: str, fmt: str, now: datetime
) -> ImportReport:
    if fmt not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}.")
    assert store.id is not None
    report = ImportReport(fmt)
    seen_people: set[tuple[str, str]] = set()
    for count, (number, row) in enumerate(_rows(text, MAPPINGS[fmt]), start=1):
        if count > MAX_ROWS:
            raise InvalidInput(f"Import at most {MAX_ROWS} rows per file.")
        data, errors = _parse(fmt, row, session, store, now)
        person = (data["product_id"], data.get("email") or "")
        if not errors and data.get("email") and person in seen_people:
            errors.append("a second review of the same product by the same e-mail in this file")
        if errors:
            report.failed.append(RowError(number, errors))
            continue
        existing = session.exec(
            select(Review.id).where(
                Review.store_id == store.id, Review.source_ref == data["source_ref"]
            )
        ).first()
        if existing is not None:
            report.unchanged += 1
            continue
        if (
            data.get("email")
            and session.exec(
                select(Review.id).where(
                    Review.store_id == store.id,
                    Review.product_id == data["product_id"],
                    Review.email == data["email"],
                )
            ).first()
        ):
            report.failed.append(
                RowError(number, ["this e-mail already has a review of this product"])
            )
            continue
        seen_people.add(person)
        review = Review(
            store_id=store.id,
            product_id=data["product_id"],
            rating=data["rating"],
            title=data["title"],
            body=data["body"],
            author_name=data["name"],
            email=data.get("email"),
            language=data["language"],
            source="import",
            source_ref=data["source_ref"],
            verified=data["verified"],
            status="received",
            fingerprint=rules.fingerprint(f"{data['title']} {data['body']}"),
            reply_body=data["reply"],
            reply_at=data["reply_date"],
            created_at=data["date"],
            updated_at=now,
        )
        session.add(review)
        session.flush()
        with aggregates.tracking(session, review):
            review.status = data["status"]
            review.reason_code = "spam" if data["status"] == REJECTED else None
            if data["status"] == PUBLISHED:
                review.published_at = data["date"]
            session.add(
                ModerationDecision(
                    store_id=store.id,
                    review_id=review.id,
                    from_status="received",
                    to_status=data["status"],
                    reason_code=review.reason_code,
                    actor="import",
                    note=f"imported from {fmt} (line {number})",
                    created_at=now,
                )
            )
        assert review.id is not None
        jobs.enqueue(session, "reviews.score", {"review_id": review.id}, store_id=store.id)
        urls = photo_imports.picture_urls(row.get("picture_urls"))
        if urls:  # fetched in the background, re-encoded like uploads
            jobs.enqueue(
                session,
                "reviews.import_photos",
                {"review_id": review.id, "urls": urls},
                store_id=store.id,
            )
        report.imported += 1
    return report


def export_rows(session: Session, store: Store, status: str | None = None) -> Iterable[list[str]]:
    yield GENERIC_COLUMNS
    query = select(Review).where(Review.store_id == store.id)
    if status:
        query = query.where(Review.status == status)
    for review in session.exec(query.order_by(col(Review.id))):
        yield [
            review.product_id,
            str(review.rating),
            review.title,
            review.body,
            review.author_name,
            review.email or "",
            review.created_at.isoformat(),
            "true" if review.verified else "false",
            review.language or "",
            review.status,
            review.reply_body or "",
            review.reply_at.isoformat() if review.reply_at else "",
            f"rcommerce:{review.id}",
        ]


def export_csv(session: Session, store: Store, status: str | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in export_rows(session, store, status):
        writer.writerow([_defuse(v) for v in row])
    return out.getvalue()


def _defuse(value: str) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ is opened as text."""
    if value and value[0] in "=+-@\t\r" and not _is_number(value):
        return "'" + value
    return value


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
