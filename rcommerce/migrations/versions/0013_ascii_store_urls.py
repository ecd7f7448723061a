"""stores: landing and webhook URLs and allowed origins in ASCII (IDNA hosts, percent-encoded
paths), as they are now saved; a URL that cannot be written so is cleared

Revision ID: 0013_ascii_store_urls
Revises: 0012_connectors
Create Date: 2026-12-12 09:00:00
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rcommerce.urls import BadURL, ascii_url, origin_of

revision: str = "0013_ascii_store_urls"
down_revision: str | Sequence[str] | None = "0012_connectors"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_store = sa.table(
    "store",
    sa.column("id", sa.Integer),
    sa.column("landing_url", sa.String),
    sa.column("webhook_url", sa.String),
    sa.column("allowed_origins", sa.JSON),
)


def _url(value: str | None) -> str | None:
    if not value:
        return value
    try:
        return ascii_url(value)
    except BadURL:
        return None


def _origins(value: object) -> list[str]:
    origins = json.loads(value) if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    kept: list[str] = []
    for origin in origins:
        try:
            kept.append(origin_of(str(origin)))
        except (BadURL, ValueError):
            continue
    return list(dict.fromkeys(kept))


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_store.c.id, _store.c.landing_url, _store.c.webhook_url, _store.c.allowed_origins)
    ).all()
    for store_id, landing, webhook, origins in rows:
        values = {
            "landing_url": _url(landing),
            "webhook_url": _url(webhook),
            "allowed_origins": _origins(origins),
        }
        current = {
            "landing_url": landing,
            "webhook_url": webhook,
            "allowed_origins": json.loads(origins) if isinstance(origins, str) else origins,
        }
        if values != current:
            connection.execute(sa.update(_store).where(_store.c.id == store_id).values(**values))


def downgrade() -> None:
    pass  # ASCII URLs are the same addresses: nothing to undo
