"""IP addresses and user agents are kept only as keyed hashes."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from rcommerce import privacy
from rcommerce.settings import Settings


def settings(secret: str) -> Settings:
    return Settings.from_env({"RCOMMERCE_SECRET_KEY": secret})


@given(value=st.text(max_size=60))
def test_a_keyed_hash_is_hmac_sha256_under_the_secret(value: str) -> None:
    secret = "s" * 40
    expected = hmac.new(secret.encode(), f"ip:{value}".encode(), hashlib.sha256).hexdigest()
    assert privacy.keyed_hash(settings(secret), "ip", value) == expected[:32]


def test_the_hash_depends_on_the_kind_and_the_installation_secret() -> None:
    one, other = settings("a" * 40), settings("b" * 40)
    assert privacy.keyed_hash(one, "ip", "203.0.113.9") != privacy.keyed_hash(
        other, "ip", "203.0.113.9"
    )
    assert privacy.keyed_hash(one, "ip", "x") != privacy.keyed_hash(one, "ua", "x")
    assert privacy.keyed_hash(one, "ip", "203.0.113.9") == privacy.keyed_hash(
        one, "ip", "203.0.113.9"
    )


def test_the_client_address_comes_from_the_connection() -> None:
    assert privacy.scope_client_ip({"client": ("203.0.113.9", 5000)}) == "203.0.113.9"
    assert privacy.scope_client_ip({"client": None}) == "0.0.0.0"  # noqa: S104
