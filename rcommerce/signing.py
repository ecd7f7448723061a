"""Signed tokens: one itsdangerous serializer per purpose, each with its own salt and max age.

A token made for one purpose (a referral link) never verifies for another (a magic link).
"""

from __future__ import annotations

import base64
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode, int_to_bytes, want_bytes

from rcommerce.errors import ApiError
from rcommerce.settings import Settings

# purpose -> max age in seconds
PURPOSES: dict[str, int] = {
    "referral": 90 * 24 * 3600,  # rc_ref: longer than any attribution window
    "magic-link": 15 * 60,  # advocate portal login
    "review-request": 60 * 24 * 3600,  # the review e-mail's link
    "unsubscribe": 365 * 24 * 3600,
    "phone-opt-out": 2 * 365 * 24 * 3600,  # the opt-out link an SMS carries
    "session": 14 * 24 * 3600,  # dashboard cookie (managers)
    "advocate-session": 14 * 24 * 3600,  # advocate portal cookie
    "csrf": 14 * 24 * 3600,
    "voter": 365 * 24 * 3600,  # anonymous shopper id for helpful votes, issued by the server
    "review-edit": 7 * 24 * 3600,  # "confirm your review edit", sent to the review's address
    "review-verify": 30 * 24 * 3600,  # "confirm your review / verified purchase"
    "answer-invite": 30 * 24 * 3600,  # a product's buyer asked to answer a question about it
    "widget-points": 24 * 3600,  # <rc-points>: the link e-mailed to an advocate, then its session
}


class TokenInvalid(ApiError):
    status, code = 400, "token_invalid"


class TokenExpired(ApiError):
    status, code = 400, "token_expired"


# CPython's own SHA-1 / SHA-256 (modules _sha1, and _sha256 or, from 3.12, _sha2). For the
# short messages of a click (the IP hash's few dozen bytes, the token's ~180), OpenSSL's
# per-call provider machinery costs about what its faster block function saves: measured in
# the running server (benchmarks/redirect.py), the redirect was no slower with these, and
# cheaper for SHA-256. Same digests; hashlib's when they are missing.
try:
    from _sha1 import sha1 as _builtin_sha1  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover (a CPython built without its own hashes)
    _builtin_sha1 = hashlib.sha1
try:
    from _sha2 import sha256 as _builtin_sha256  # type: ignore[import-not-found]
except ImportError:
    try:
        from _sha256 import sha256 as _builtin_sha256  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover
        _builtin_sha256 = hashlib.sha256
_BUILTIN_HASHES: dict[str, Callable[..., Any]] = {
    "sha1": _builtin_sha1,
    "sha256": _builtin_sha256,
}
_IPAD = bytes(x ^ 0x36 for x in range(256))
_OPAD = bytes(x ^ 0x5C for x in range(256))


class KeyedHmac:
    """HMAC (RFC 2104) under one fixed key, keyed once: the inner and outer hash states after
    the padded key are kept, and each message copies them, which is all ``hmac.new`` redoes
    on every call. (``hmac.new(key, digestmod=...).copy()`` on the same built-in hashes gives
    the same digests but builds an HMAC object and copies a third state per message: 3 µs more
    per redirect in benchmarks/redirect.py, measured.) Its digests are ``hmac.new(key, message, digest).digest()``
    (tests/test_signing.py); it hashes with CPython's built-in SHA-1 and SHA-256 where
    present. For the per-click hashes (the referral token, the visitor's IP)."""

    def __init__(self, key: bytes, digest: Callable[..., Any]) -> None:
        name = digest().name
        make = _BUILTIN_HASHES.get(name, digest)
        block = make().block_size
        if len(key) > block:
            key = make(key).digest()
        key = key.ljust(block, b"\0")
        self._inner = make(key.translate(_IPAD))
        self._outer = make(key.translate(_OPAD))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()  # type: ignore[no-any-return]

    def hexdigest(self, message: bytes) -> str:
        return self.digest(message).hex()


class _Signer(TimestampSigner):
    """itsdangerous's TimestampSigner with its per-call set-up done once: the key is derived
    once (it hashes salt and secret each time), the HMAC is keyed once (``KeyedHmac``)
    instead of keyed afresh, and the timestamp part is encoded once a second. Signatures are
    byte-for-byte those of TimestampSigner (tests/test_signing.py); verification is
    itsdangerous's own. Every referral click signs a token, so this is on the hot path."""

    @functools.cached_property
    def _default_key(self) -> bytes:
        return super().derive_key()

    @functools.cached_property
    def _mac(self) -> KeyedHmac:
        return KeyedHmac(self._default_key, self.digest_method)

    _stamp: tuple[int, bytes] = (-1, b"")  # (second, separator + its base64)

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        if secret_key is None:
            return self._default_key
        return super().derive_key(secret_key)

    @functools.cached_property
    def _sep(self) -> bytes:
        return want_bytes(self.sep)

    def get_signature(self, value: str | bytes) -> bytes:
        digest = self._mac.digest(want_bytes(value))
        return base64.urlsafe_b64encode(digest).rstrip(b"=")  # base64_encode, inlined

    def sign(self, value: str | bytes) -> bytes:
        now = self.get_timestamp()
        stamp = self._stamp
        if stamp[0] != now:
            stamp = self._stamp = (now, self._sep + base64_encode(int_to_bytes(now)))
        signed = want_bytes(value) + stamp[1]
        return signed + self._sep + self.get_signature(signed)


def serializer(settings: Settings, purpose: str) -> URLSafeTimedSerializer:
    return _serializer(settings.secret_key, purpose)


def signer(settings: Settings, purpose: str) -> TimestampSigner:
    """The purpose's signer itself, one per process, for code that signs on every request
    (a serializer makes a new signer, with its set-up, for each ``dumps``)."""
    return _signer(settings.secret_key, purpose)


@functools.lru_cache(maxsize=64)
def _signer(secret_key: str, purpose: str) -> TimestampSigner:
    made = _serializer(secret_key, purpose).make_signer()
    assert isinstance(made, TimestampSigner)  # a timed serializer's signer is timed
    return made


@functools.lru_cache(maxsize=64)
def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise KeyError(f"unknown token purpose {purpose!r}")
    # hashlib.sha1 itself (itsdangerous's default wraps it in a Python function): the same
    # HMAC-SHA1 signatures, and itsdangerous's own verification (HMACAlgorithm) keeps to
    # OpenSSL's HMAC.
    return URLSafeTimedSerializer(
        secret_key,
        salt=f"rcommerce.{purpose}",
        signer=_Signer,
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
