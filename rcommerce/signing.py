"""Signed tokens: one itsdangerous serializer per purpose, each with its own salt and max age.

A token made for one purpose (a referral link) never verifies for another (a magic link).
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from rcommerce.errors import ApiError
from rcommerce.settings import Settings

# purpose -> max age in seconds
PURPOSES: dict[str, int] = {
    "referral": 90 * 24 * 3600,  # rc_ref: longer than any attribution window
    "magic-link": 15 * 60,  # advocate portal login
    "review-request": 60 * 24 * 3600,  # the review e-mail's link
    "unsubscribe": 365 * 24 * 3600,
    "session": 14 * 24 * 3600,  # dashboard cookie (managers)
    "advocate-session": 14 * 24 * 3600,  # advocate portal cookie
    "csrf": 14 * 24 * 3600,
    "voter": 365 * 24 * 3600,  # anonymous shopper id for helpful votes
}


class TokenInvalid(ApiError):
    status, code = 400, "token_invalid"


class TokenExpired(ApiError):
    status, code = 400, "token_expired"


class _Signer(TimestampSigner):
    """itsdangerous's TimestampSigner, deriving the default key once instead of on every
    signature (it hashes salt and secret each time). Signatures are unchanged."""

    @functools.cached_property
    def _default_key(self) -> bytes:
        return super().derive_key()

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is None:
            return self._default_key
        return super().derive_key(secret_key)


def serializer(settings: Settings, purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise KeyError(f"unknown token purpose {purpose!r}")
    # hashlib.sha1 itself (itsdangerous's default wraps it in a Python function) lets hmac use
    # OpenSSL's one-shot path: the same HMAC-SHA1 signatures, a few µs less per referral click.
    return URLSafeTimedSerializer(
        settings.secret_key,
        salt=f"rcommerce.{purpose}",
        signer_kwargs={"digest_method": hashlib.sha1},
    )


def sign(settings: Settings, purpose: str, payload: Any) -> str:
    return serializer(settings, purpose).dumps(payload)


def unsign(settings: Settings, purpose: str, token: str, *, max_age: int | None = None) -> Any:
    """The payload, or TokenExpired / TokenInvalid (both 400 with a clear code)."""
    age = PURPOSES[purpose] if max_age is None else max_age
    try:
        return serializer(settings, purpose).loads(token, max_age=age)
    except SignatureExpired:
        raise TokenExpired(f"This {purpose} token has expired.") from None
    except BadSignature:
        raise TokenInvalid(f"This {purpose} token is not valid (altered or not ours).") from None
