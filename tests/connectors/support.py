"""Fixture bodies and the signatures each platform would put on them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
SECRET = "whsec-test-7f3a9c1e5b"


def body(name: str) -> bytes:
    """The fixture's bytes exactly as stored: what the platform signed."""
    return (FIXTURES / name).read_bytes()


def payload(name: str) -> dict[str, Any]:
    data = json.loads(body(name))
    assert isinstance(data, dict)
    return data


def b64_hmac(raw: bytes, secret: str = SECRET, algorithm: str = "sha256") -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, algorithm).digest()).decode()


def hex_hmac(raw: bytes, secret: str = SECRET, algorithm: str = "sha256") -> str:
    return hmac.new(secret.encode(), raw, algorithm).hexdigest()


def sha256_hex(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
