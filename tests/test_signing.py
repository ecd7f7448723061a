"""Tokens: the faster signer writes exactly what itsdangerous writes, and purposes stay apart."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from rcommerce import signing
from rcommerce.settings import Settings

SECRET = "a-test-secret-that-is-long-enough-for-the-settings-check-0123456789"


def settings() -> Settings:
    return Settings.from_env({"RCOMMERCE_SECRET_KEY": SECRET})


@given(value=st.binary(max_size=300), now=st.integers(min_value=0, max_value=2**40))
def test_signatures_are_itsdangerous_signatures(value: bytes, now: int) -> None:
    ours = signing.serializer(settings(), "referral").make_signer()  # monkeypatched: a new one
    plain = TimestampSigner(SECRET, salt="rcommerce.referral", digest_method=hashlib.sha1)
    ours.get_timestamp = plain.get_timestamp = lambda: now  # type: ignore[method-assign]
    signed = ours.sign(value)
    assert signed == plain.sign(value)
    assert ours.sign(value) == signed  # the cached timestamp part is reused, unchanged
    assert plain.unsign(signed) == value


def test_a_token_changes_with_the_second_and_still_verifies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signer = signing.serializer(settings(), "referral").make_signer()
    clock = iter([1_800_000_000, 1_800_000_000, 1_800_000_001])
    monkeypatch.setattr(signer, "get_timestamp", lambda: next(clock))
    first, same, later = (signer.sign(b"payload") for _ in range(3))
    assert first == same != later
    plain = TimestampSigner(SECRET, salt="rcommerce.referral", digest_method=hashlib.sha1)
    assert plain.unsign(later, return_timestamp=True)[1].timestamp() == 1_800_000_001


def test_the_shared_signer_is_made_once_and_signs_like_the_serializer() -> None:
    shared = signing.signer(settings(), "referral")
    assert signing.signer(settings(), "referral") is shared
    assert signing.signer(settings(), "magic-link") is not shared
    plain = TimestampSigner(SECRET, salt="rcommerce.referral", digest_method=hashlib.sha1)
    assert plain.unsign(shared.sign(b"payload")) == b"payload"


def test_serializer_tokens_verify_with_plain_itsdangerous() -> None:
    token = signing.sign(settings(), "magic-link", {"advocate": 7})
    plain = URLSafeTimedSerializer(
        SECRET, salt="rcommerce.magic-link", signer_kwargs={"digest_method": hashlib.sha1}
    )
    assert plain.loads(token, max_age=60) == {"advocate": 7}
    assert signing.unsign(settings(), "magic-link", token) == {"advocate": 7}


def test_a_token_for_one_purpose_never_verifies_for_another() -> None:
    token = signing.sign(settings(), "referral", {"s": 1})
    with pytest.raises(signing.TokenInvalid):
        signing.unsign(settings(), "magic-link", token)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(signing.TokenInvalid):
        signing.unsign(settings(), "referral", tampered)


@given(
    key=st.binary(max_size=200),  # shorter than, as long as and longer than a hash block
    message=st.binary(max_size=500),
    digest=st.sampled_from([hashlib.sha1, hashlib.sha256, hashlib.sha512]),
)
def test_keyed_hmac_is_hmac(key: bytes, message: bytes, digest: Any) -> None:
    keyed = signing.KeyedHmac(key, digest)
    assert keyed.digest(message) == hmac.new(key, message, digest).digest()
    assert keyed.hexdigest(message) == hmac.new(key, message, digest).hexdigest()
    assert keyed.digest(message) == keyed.digest(message)  # the keyed states are not consumed
