"""URLs as stored: ASCII (IDNA hosts, percent-encoded paths), origins as browsers send them,
and URLs shown in logs without their secrets."""

from __future__ import annotations

import pytest

from rcommerce.urls import BadURL, ascii_url, origin_of, without_secrets


@pytest.mark.parametrize(
    ("url", "stored"),
    [
        ("https://shop.example/khuyến-mãi", "https://shop.example/khuy%E1%BA%BFn-m%C3%A3i"),
        ("https://shop.example/a%20b?q=x", "https://shop.example/a%20b?q=x"),  # not twice
        ("HTTPS://Cửa-Hàng.VN/giỏ hàng?q=áo#đầu", None),
        (
            "https://ｓｈｏｐ．ｅｘａｍｐｌｅ/",
            "https://shop.example/",
        ),  # fullwidth, as browsers map it
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_urls_are_stored_in_ascii(url: str, stored: str | None) -> None:
    result = ascii_url(url)
    assert result.isascii()
    if stored is not None:
        assert result == stored
    else:
        assert result == (
            "https://xn--ca-hng-lta4562d.vn/gi%E1%BB%8F%20h%C3%A0ng?q=%C3%A1o#%C4%91%E1%BA%A7u"
        )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://exa mple.com/",
        "https://a\x00b.example/",
        "http:///x",
        "https://xn--zz.example/",
        "https://a..b/",
        "https://shop.example:99999/",
    ],
)
def test_what_cannot_be_a_url_is_refused(url: str) -> None:
    with pytest.raises(BadURL):
        ascii_url(url)


def test_origins_are_compared_as_browsers_send_them() -> None:
    assert origin_of("https://Cửa-Hàng.vn/") == "https://xn--ca-hng-lta4562d.vn"
    assert origin_of("HTTPS://Shop.Example:443") == "https://shop.example"
    assert origin_of("http://localhost:3000") == "http://localhost:3000"


def test_logs_see_no_credentials_or_tokens() -> None:
    assert (
        without_secrets("https://user:pa55@hooks.shop.example:8443/rc?token=s3cret#x")
        == "https://hooks.shop.example:8443/rc"
    )
