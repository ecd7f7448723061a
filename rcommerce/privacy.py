"""Personal data kept only in forms that cannot be reversed: keyed hashes of IP addresses."""

from __future__ import annotations

import hashlib
import hmac

from starlette.requests import Request

from rcommerce.settings import Settings


def keyed_hash(settings: Settings, kind: str, value: str) -> str:
    digest = hmac.new(settings.secret_key.encode(), f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def client_ip(request: Request) -> str:
    # uvicorn's --proxy-headers (with --forwarded-allow-ips) already puts the real client here.
    return request.client.host if request.client else "0.0.0.0"  # noqa: S104


def ip_hash(settings: Settings, request: Request) -> str:
    return keyed_hash(settings, "ip", client_ip(request))
