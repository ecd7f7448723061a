"""Connector secrets at rest: sealed with Fernet under a key derived from RCOMMERCE_SECRET_KEY.

A webhook secret cannot be hashed (checking a delivery's HMAC needs the secret itself), nor can
an Admin API token (calls carry it), so both are encrypted. Changing RCOMMERCE_SECRET_KEY makes
them unreadable: each connector is then saved again with its secrets.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from rcommerce.settings import Settings

# Its own derivation purpose: the Fernet key is not the secret key, nor any other key made of it.
_INFO = b"rcommerce connector secrets v1"


class SecretUnreadable(Exception):
    """A sealed value that this installation's secret key cannot open (the key changed)."""


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=SHA256(), length=32, salt=None, info=_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(settings: Settings, plain: str) -> str:
    return _fernet(settings.secret_key).encrypt(plain.encode("utf-8")).decode("ascii")


def unseal(settings: Settings, sealed: str) -> str:
    try:
        return _fernet(settings.secret_key).decrypt(sealed.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SecretUnreadable(
            "a connector secret was sealed under another RCOMMERCE_SECRET_KEY: save the "
            "connector again"
        ) from None
