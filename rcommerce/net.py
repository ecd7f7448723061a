"""Outbound HTTP to addresses that stores and operators give us (webhooks, platforms' Admin
APIs, SMS and Zalo gateways), guarded so that none of it reaches a private network (SSRF).

Every such call goes through ``client(settings)``: its transport resolves the host itself,
refuses the connection when any address is loopback, private, link-local, multicast or
reserved (IPv4 and IPv6, IPv4-mapped included), and connects to exactly the address it
checked, so a DNS answer that changes between the check and the connection (rebinding)
cannot slip through. Redirects are never followed. A URL whose host is such an address
written literally (``127.0.0.1``, ``[::1]``, ``2130706433``, ``0x7f.1``) or a local name
(``localhost``, ``metadata.google.internal``) is refused when it is saved (``check_url``).
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from rcommerce.settings import Settings
from rcommerce.urls import BadURL, ascii_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# What the delivery log and errors say about a refused address, and nothing more: telling
# closed, open and non-HTTP ports apart would make the webhook log a port scanner.
REFUSED = "refused: private address"
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)

_BLOCKED = [
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT (also cloud metadata, e.g. 100.100.100.200)
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, 169.254.169.254 metadata
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments (192.0.0.192: Oracle Cloud metadata)
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255
        "::/8",  # unspecified, loopback, IPv4-compatible
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",
        "2001::/23",  # IETF protocol assignments, Teredo
        "2001:db8::/32",
        "2002::/16",  # 6to4: may wrap any IPv4 address
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local
        "ff00::/8",  # multicast
    )
]
# httpx logs every request's full URL at INFO, httpcore its headers at DEBUG: a webhook URL's
# credentials and query tokens, a gateway's Authorization. Outbound calls are not logged.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCAL_NAMES = ("localhost", "metadata.goog")
_LOCAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".lan")


class AddressRefused(httpcore.ConnectError):
    """The host resolved to an address outbound calls may not reach."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


class UnsafeURL(ValueError):
    """A URL that may not be a destination of outbound calls; says why. ``private``: its host
    is a private address or a local name (a call to it would be refused)."""

    def __init__(self, message: str, *, private: bool = False) -> None:
        super().__init__(message)
        self.private = private


def literal_address(host: str) -> IPAddress | None:
    """The address a host names literally, in any form the resolver accepts: ``[::1]``,
    ``127.0.0.1``, and IPv4 in decimal (``2130706433``), octal (``0177.0.0.1``), hex
    (``0x7f.1``) or shortened (``127.1``). None for a name."""
    text = host.strip().strip("[]").lower()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if text and all(c in "0123456789abcdefx." for c in text) and text[0].isdigit():
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system's resolver gives for ``host`` (getaddrinfo)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class Guard:
    """Which addresses outbound calls may reach: public unicast only, plus ``allowed``
    (the test suite's loopback fake servers; empty in production)."""

    allowed: tuple[IPNetwork, ...] = ()
    resolver: Callable[[str, int], list[str]] = system_resolver

    @classmethod
    def of(cls, settings: Settings) -> Guard:
        return cls(tuple(ipaddress.ip_network(n) for n in settings.test_private_networks))

    def permits(self, address: IPAddress) -> bool:
        if any(address.version == net.version and address in net for net in self.allowed):
            return True
        if isinstance(address, ipaddress.IPv6Address):
            embedded = address.ipv4_mapped
            if embedded is None and address in _NAT64:
                embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
            if embedded is not None:
                return self.permits(embedded)
        if any(address.version == net.version and address in net for net in _BLOCKED):
            return False
        return address.is_global and not (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_multicast
            or address.is_reserved
            or address.is_unspecified
        )

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses to connect to, in the resolver's order; AddressRefused when any
        of them is one we may not reach (a name that resolves to a public and a private
        address is refused: which one a client picks is not ours to guess)."""
        literal = literal_address(host)
        if literal is not None:
            found: Iterable[IPAddress] = [literal]
        else:
            try:
                answers = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
            found = [ipaddress.ip_address(answer.split("%", 1)[0]) for answer in answers]
        addresses = list(dict.fromkeys(found))
        if not addresses or not all(self.permits(a) for a in addresses):
            raise AddressRefused
        return [str(a) for a in addresses]

    def check_url(self, url: str, *, allow_http: bool) -> str:
        """``url`` in ASCII (rcommerce.urls.ascii_url) if calls may be sent to it; UnsafeURL
        otherwise: not http(s), http where only https is allowed, or a host that is a
        private address written literally or a local name. Names are resolved only when a
        call is made (their addresses may change), so this cannot refuse every bad URL."""
        try:
            cleaned = ascii_url(url)
        except BadURL as exc:
            raise UnsafeURL(str(exc)) from None
        if not cleaned.startswith("https://") and not allow_http:
            raise UnsafeURL("the address must start with https://")
        host = urlsplit(cleaned).hostname or ""
        literal = literal_address(host)
        if literal is not None:
            if not self.permits(literal):
                raise UnsafeURL(REFUSED, private=True)
        elif host in _LOCAL_NAMES or host.endswith(_LOCAL_SUFFIXES) or "." not in host:
            raise UnsafeURL(
                f"{host} is a local name; give an address on the internet", private=True
            )
        return cleaned


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's synchronous backend that connects only to addresses the guard permits,
    and to exactly the ones it checked."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self._backend = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for address in self.guard.resolve(host, port):
            try:
                return self._backend.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise AddressRefused


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over the guarded backend (TLS still checks the host's name)."""

    def __init__(self, guard: Guard, *, verify: bool = True) -> None:
        super().__init__(verify=verify)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify),
            network_backend=GuardedBackend(guard),
        )


def client(
    settings: Settings | None = None, *, timeout: httpx.Timeout = DEFAULT_TIMEOUT
) -> httpx.Client:
    """An httpx client for outbound calls: guarded, with timeouts, never following redirects,
    ignoring proxy settings of the environment (a proxy would resolve names for us)."""
    guard = Guard.of(settings) if settings is not None else Guard()
    return httpx.Client(
        transport=GuardedTransport(guard),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
    )


def refused(exc: BaseException) -> bool:
    """Whether ``exc`` (an httpx error, or what wraps it) is the guard refusing an address."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, AddressRefused):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
