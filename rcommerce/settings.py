"""One Settings object, read from the environment, shared by the web app, the worker and the CLI."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

# Values that people paste from examples; a deployment that uses one is not secret at all.
_PLACEHOLDER_SECRETS = {
    "changeme",
    "change-me",
    "change_me",
    "secret",
    "secret-key",
    "secret_key",
    "your-secret-key",
    "dev",
    "development",
    "test",
    "password",
    "xxx",
}
MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """The environment describes a configuration rcommerce refuses to run with."""


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Secrets are kept out of repr() so they never reach logs."""

    database_url: str
    secret_key: str = field(repr=False)
    data_dir: Path
    redis_url: str | None = field(default=None, repr=False)
    base_url: str = "http://127.0.0.1:8000"
    smtp_url: str | None = field(default=None, repr=False)
    mail_from: str = "rcommerce <no-reply@localhost>"
    media_dir: Path | None = None
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 5_000_000
    max_video_bytes: int = 20_000_000
    max_video_seconds: int = 60
    task_visibility_timeout: int = 3600
    # Every Redis call gives up after this many seconds (hot paths: tens of milliseconds),
    # and after a failure Redis is skipped for redis_pause seconds.
    redis_timeout: float = 0.05
    redis_pause: float = 5.0
    # A job's lease: a running job whose worker stopped renewing it for this long is run
    # again; a job sent but never started is sent again after half of it.
    job_lease: int = 60
    rate_limit_per_minute: int = 60
    demo: bool = False
    log_level: str = "INFO"
    # The Facebook app whose Send dialog shares referral links to Messenger from a computer.
    facebook_app_id: str | None = None
    # Webhooks to http:// URLs (local development); production accepts https:// only.
    allow_http_webhooks: bool = False
    # Tests only: private networks (CIDR) that outbound calls may reach all the same, so the
    # test suite can talk to its fake servers on loopback. Never set in production.
    test_private_networks: tuple[str, ...] = ()
    # The phone channels' environment (RCOMMERCE_ZNS_*, RCOMMERCE_SMS_*, RCOMMERCE_ZALO_*), read
    # by rcommerce.messaging's ZNSConfig, SMSConfig and ZaloOAConfig ``from_env``
    # (``messaging_env``). One Zalo OA per installation: its ZNS messages and their ratings.
    messaging: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    @property
    def messaging_env(self) -> dict[str, str]:
        return dict(self.messaging)

    @property
    def distributed(self) -> bool:
        """Tasks go through Redis to Celery workers (otherwise they run in-process)."""
        return self.redis_url is not None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def media_path(self) -> Path:
        return self.media_dir if self.media_dir is not None else self.data_dir / "media"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("RCOMMERCE_DATA_DIR", "var")).expanduser().resolve()
        database_url = env.get("RCOMMERCE_DATABASE_URL") or f"sqlite:///{data_dir / 'rcommerce.db'}"
        if database_url.startswith("postgres://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgres://") :]
        elif database_url.startswith("postgresql://"):
            database_url = "postgresql+psycopg://" + database_url[len("postgresql://") :]
        redis_url = env.get("RCOMMERCE_REDIS_URL") or None
        embedded = database_url.startswith("sqlite") and redis_url is None
        secret = env.get("RCOMMERCE_SECRET_KEY", "")
        if secret:
            check_secret_key(secret)
        elif embedded:
            secret = _stored_secret_key(data_dir)
        else:
            raise SettingsError(
                "RCOMMERCE_SECRET_KEY is required when a PostgreSQL or Redis URL is set: "
                "every web process and worker must share it. Generate one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        media = env.get("RCOMMERCE_MEDIA_DIR")
        return cls(
            database_url=database_url,
            secret_key=secret,
            data_dir=data_dir,
            redis_url=redis_url,
            base_url=env.get("RCOMMERCE_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            smtp_url=env.get("RCOMMERCE_SMTP_URL") or None,
            mail_from=env.get("RCOMMERCE_MAIL_FROM", "rcommerce <no-reply@localhost>"),
            media_dir=Path(media).expanduser().resolve() if media else None,
            max_body_bytes=int(env.get("RCOMMERCE_MAX_BODY_BYTES", "1000000")),
            max_upload_bytes=int(env.get("RCOMMERCE_MAX_UPLOAD_BYTES", "5000000")),
            max_video_bytes=int(env.get("RCOMMERCE_MAX_VIDEO_BYTES", "20000000")),
            max_video_seconds=int(env.get("RCOMMERCE_MAX_VIDEO_SECONDS", "60")),
            task_visibility_timeout=int(env.get("RCOMMERCE_TASK_VISIBILITY_TIMEOUT", "3600")),
            redis_timeout=float(env.get("RCOMMERCE_REDIS_TIMEOUT", "0.05")),
            redis_pause=float(env.get("RCOMMERCE_REDIS_PAUSE", "5")),
            job_lease=int(env.get("RCOMMERCE_JOB_LEASE", "60")),
            rate_limit_per_minute=int(env.get("RCOMMERCE_RATE_LIMIT_PER_MINUTE", "60")),
            demo=_bool(env.get("RCOMMERCE_DEMO", "")),
            log_level=env.get("RCOMMERCE_LOG_LEVEL", "INFO").upper(),
            facebook_app_id=env.get("RCOMMERCE_FACEBOOK_APP_ID") or None,
            allow_http_webhooks=_bool(env.get("RCOMMERCE_ALLOW_HTTP_WEBHOOKS", ""))
            or env.get("RCOMMERCE_ENV", "").strip().lower() == "development",
            test_private_networks=tuple(
                net.strip()
                for net in env.get("RCOMMERCE_TEST_PRIVATE_NETWORKS", "").split(",")
                if net.strip()
            ),
            messaging=tuple(
                sorted(
                    (key, value)
                    for key, value in env.items()
                    if key.startswith(("RCOMMERCE_ZNS_", "RCOMMERCE_SMS_", "RCOMMERCE_ZALO_"))
                )
            ),
        )


def check_secret_key(secret: str) -> None:
    if secret.strip().lower() in _PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
        raise SettingsError(
            f"RCOMMERCE_SECRET_KEY must be a random value of at least {MIN_SECRET_LENGTH} "
            "characters, not a placeholder."
        )


def _stored_secret_key(data_dir: Path) -> str:
    """Embedded mode: generate the key on first run and keep it beside the database."""
    path = data_dir / "secret_key"
    if path.exists():
        secret = path.read_text().strip()
        check_secret_key(secret)
        return secret
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secret + "\n")
    return secret
