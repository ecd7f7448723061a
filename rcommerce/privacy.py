"""Personal data kept only in forms that cannot be reversed: keyed hashes of IP addresses."""

from __future__ import annotations

import functools
import hashlib

from starlette.requests import Request
from starlette.types import Scope

from rcommerce.settings import Settings
from rcommerce.signing import KeyedHmac


def keyed_hash(settings: Settings, kind: str, value: str) -> str:
    """HMAC-SHA256 under the installation's secret, truncated to 128 bits (hex)."""
    return keyed_hash_with(settings.secret_key, kind, value)


def keyed_hash_with(secret: str, kind: str, value: str) -> str:
    """``keyed_hash`` under ``secret`` (the installation's)."""
    return _keyed(secret).digest(f"{kind}:{value}".encode())[:16].hex()


@functools.lru_cache(maxsize=8)
def _keyed(secret: str) -> KeyedHmac:
    return KeyedHmac(secret.encode(), hashlib.sha256)


def client_ip(request: Request) -> str:
    return scope_client_ip(request.scope)


def scope_client_ip(scope: Scope) -> str:
    # uvicorn's --proxy-headers (with --forwarded-allow-ips) already puts the real client here.
    client = scope.get("client")
    return str(client[0]) if client else "0.0.0.0"  # noqa: S104


def ip_hash(settings: Settings, request: Request) -> str:
    return keyed_hash(settings, "ip", client_ip(request))
