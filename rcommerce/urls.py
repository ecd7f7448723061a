"""URLs as rcommerce stores and compares them: ASCII only (IDNA hosts, percent-encoded paths),
origins in the form browsers send them in the ``Origin`` header."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import quote, urlsplit, urlunsplit

import idna

# What may stay as it is in a path, a query or a fragment (RFC 3986 reserved and unreserved
# characters, and "%" so that an address already percent-encoded is not encoded twice).
_SAFE = "/:@!$&'()*+,;=-._~%?#[]"
_ASCII_HOST = re.compile(r"[a-z0-9_]([a-z0-9_.-]{0,251}[a-z0-9_])?")


class BadURL(ValueError):
    """Not an absolute http(s) URL that can be written in ASCII."""


def ascii_host(host: str) -> str:
    """``Cửa-Hàng.vn`` -> ``xn--ca-hng-lta4562d.vn``; IP literals and ASCII names lower-cased.
    UTS 46 mapping, as browsers apply it (fullwidth letters and dots, upper case, ...)."""
    host = host.strip().rstrip(".")
    if ":" in host:  # an IPv6 literal (urlsplit leaves out its brackets)
        try:
            return ipaddress.IPv6Address(host.strip("[]")).compressed
        except ValueError:
            raise BadURL(f"{host!r} is not an IPv6 address") from None
    if host.isascii() and "xn--" not in host.lower():
        host = host.lower()
        if not _ASCII_HOST.fullmatch(host) or ".." in host:
            raise BadURL(f"the host {host!r} is not a domain name")
        return host
    try:
        return idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise BadURL(f"the host {host!r} is not a valid domain name ({exc})") from None


def ascii_url(url: str) -> str:
    """An absolute http(s) URL in ASCII: the host in IDNA, the rest percent-encoded
    (``https://shop.example/khuyến-mãi`` -> ``https://shop.example/khuy%E1%BA%BFn-m%C3%A3i``)."""
    text = url.strip()
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        raise BadURL("the address has control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"the address cannot be read ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadURL("the address must start with http:// or https:// and name a host")
    host = ascii_host(parts.hostname)
    if ":" in host:
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0] if "@" in parts.netloc else ""
    netloc = f"{quote(userinfo, safe=':%')}@" if userinfo else ""
    netloc += host + (f":{port}" if port is not None else "")
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_SAFE),
            quote(parts.query, safe=_SAFE),
            quote(parts.fragment, safe=_SAFE),
        )
    )


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` as a browser sends it in ``Origin`` (the default port left out)."""
    parts = urlsplit(ascii_url(url))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": 80, "https": 443}[parts.scheme]
    port = f":{parts.port}" if parts.port and parts.port != default_port else ""
    return f"{parts.scheme}://{host}{port}"


def without_secrets(url: str) -> str:
    """What a URL may show in a log or an error: scheme, host, port and path; never the
    user name, password, query (tokens) or fragment."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "(an unreadable URL)"
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{port}" if port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
