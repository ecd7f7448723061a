"""The outbound-address guard: private addresses in every spelling are refused when a URL is
saved and when a call is made, and a call goes to exactly the address that was checked."""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from rcommerce import net
from rcommerce.settings import Settings
from tests.support.runtime import TEST_SECRET

LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"),)


class Receiver:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []  # (Host header, path)
        self.url = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 that notes every request it gets."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.headers.get("host", ""), self.path))
            self.send_response(204)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0", "0.0.0.0"),  # noqa: S104
        ("shop.example", None),
        ("cafe", None),
    ],
)
def test_literal_addresses_in_every_spelling(host: str, address: str | None) -> None:
    found = net.literal_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://[::1]/hooks",
        "https://2130706433/hooks",
        "https://0x7f.1/hooks",
        "https://0177.0.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://10.1.2.3/hooks",
        "https://172.16.0.1/hooks",
        "https://192.168.1.1/hooks",
        "https://100.100.100.200/hooks",  # carrier-grade NAT, a cloud's metadata
        "https://169.254.169.254/latest/meta-data/",
        "https://192.0.0.192/",  # Oracle Cloud's metadata
        "https://224.0.0.1/",
        "https://255.255.255.255/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:a9fe:a9fe]/",  # IPv4-mapped 169.254.169.254
        "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "https://[::]/",
        "https://[fe80::1]/",
        "https://[fd00::1]/",
        "https://[ff02::1]/",
        "https://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
    ],
)
def test_private_addresses_are_refused_when_saved(url: str) -> None:
    with pytest.raises(net.UnsafeURL, match=r"^refused: private address$"):
        net.Guard().check_url(url, allow_http=False)


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/hooks",
        "https://api.localhost/hooks",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://metadata.goog/",
        "https://metadata/",
        "https://printer.local/",
        "https://intranet/",
    ],
)
def test_local_names_are_refused_when_saved(url: str) -> None:
    with pytest.raises(net.UnsafeURL, match="local name"):
        net.Guard().check_url(url, allow_http=False)


def test_only_https_unless_http_is_allowed() -> None:
    guard = net.Guard()
    with pytest.raises(net.UnsafeURL, match="https://"):
        guard.check_url("http://hooks.shop.example/rc", allow_http=False)
    assert guard.check_url("http://hooks.shop.example/rc", allow_http=True)
    with pytest.raises(net.UnsafeURL):
        guard.check_url("ftp://hooks.shop.example/", allow_http=True)


def test_public_addresses_are_kept_in_ascii() -> None:
    guard = net.Guard()
    assert guard.check_url("https://8.8.8.8/x", allow_http=False) == "https://8.8.8.8/x"
    assert guard.check_url("https://[2606:4700::1111]/", allow_http=False)
    assert guard.check_url("https://[64:ff9b::808:808]/", allow_http=False)  # NAT64 of 8.8.8.8
    assert (
        guard.check_url("https://Cửa-Hàng.vn/hooks?x=đ", allow_http=False)
        == "https://xn--ca-hng-lta4562d.vn/hooks?x=%C4%91"
    )


def test_a_name_that_resolves_to_a_private_address_is_refused_at_call_time(
    receiver: Receiver,
) -> None:
    port = receiver.url.rsplit(":", 1)[1]
    with net.client() as client:
        for url in (f"http://localhost:{port}/", f"{receiver.url}/", f"http://[::1]:{port}/"):
            with pytest.raises(httpx.ConnectError) as refused:
                client.post(url, content=b"{}")
            assert str(refused.value) == net.REFUSED and net.refused(refused.value)
    assert receiver.requests == []


def test_a_mix_of_public_and_private_answers_is_refused(receiver: Receiver) -> None:
    asked: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return ["8.8.8.8", "127.0.0.1"]

    guard = net.Guard(resolver=resolver)
    with pytest.raises(net.AddressRefused):
        guard.resolve("hooks.shop.example", 443)
    assert asked == ["hooks.shop.example"]


def test_the_call_goes_to_exactly_the_address_that_was_checked(receiver: Receiver) -> None:
    """DNS rebinding: the name is resolved once, by the guard, and the connection is made to
    that address; a second answer (the attacker's switch to another address) is never asked
    for. ``hooks.shop.test`` resolves nowhere but through this resolver."""
    port = int(receiver.url.rsplit(":", 1)[1])
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    transport = net.GuardedTransport(net.Guard(allowed=LOOPBACK, resolver=rebinding))
    with httpx.Client(transport=transport, trust_env=False) as client:
        response = client.get(f"http://hooks.shop.test:{port}/first")
        assert response.status_code == 204
    assert receiver.requests == [(f"hooks.shop.test:{port}", "/first")]
    assert next(answers) == ["10.0.0.1"]  # never asked for


def test_the_test_allowance_is_an_explicit_setting(receiver: Receiver, tmp_path: Any) -> None:
    settings = Settings(database_url="sqlite://", secret_key=TEST_SECRET, data_dir=tmp_path)
    with net.client(settings) as client, pytest.raises(httpx.ConnectError):
        client.get(receiver.url + "/")
    allowed = settings.with_overrides(test_private_networks=("127.0.0.0/8",))
    with net.client(allowed) as client:
        assert client.get(receiver.url + "/").status_code == 204
    env = Settings.from_env(
        {
            "RCOMMERCE_DATA_DIR": str(tmp_path),
            "RCOMMERCE_TEST_PRIVATE_NETWORKS": "127.0.0.0/8, ::1/128",
            "RCOMMERCE_ENV": "development",
        }
    )
    assert env.test_private_networks == ("127.0.0.0/8", "::1/128")
    assert env.allow_http_webhooks
    production = Settings.from_env({"RCOMMERCE_DATA_DIR": str(tmp_path)})
    assert production.test_private_networks == () and not production.allow_http_webhooks


def test_outbound_urls_are_not_logged(receiver: Receiver, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        transport = net.GuardedTransport(net.Guard(allowed=LOOPBACK))
        with httpx.Client(transport=transport) as client:
            client.get(receiver.url + "/hooks?token=s3cret")
    assert receiver.requests and "s3cret" not in caplog.text


def test_nothing_else_than_tcp_is_reached() -> None:
    backend = net.GuardedBackend(net.Guard(allowed=LOOPBACK))
    with pytest.raises(net.AddressRefused):
        backend.connect_unix_socket("/var/run/docker.sock")
