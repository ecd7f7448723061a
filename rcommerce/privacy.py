"""Personal data kept only in forms that cannot be reversed: keyed hashes of IP addresses."""

from __future__ import annotations

import functools
import hmac

from starlette.requests import Request

from rcommerce.settings import Settings


def keyed_hash(settings: Settings, kind: str, value: str) -> str:
    """HMAC-SHA256 under the installation's secret, truncated to 128 bits (hex)."""
    return hmac.digest(_key(settings.secret_key), f"{kind}:{value}".encode(), "sha256").hex()[:32]


@functools.lru_cache(maxsize=8)
def _key(secret: str) -> bytes:
    return secret.encode()


def client_ip(request: Request) -> str:
    # uvicorn's --proxy-headers (with --forwarded-allow-ips) already puts the real client here.
    return request.client.host if request.client else "0.0.0.0"  # noqa: S104


def ip_hash(settings: Settings, request: Request) -> str:
    return keyed_hash(settings, "ip", client_ip(request))
