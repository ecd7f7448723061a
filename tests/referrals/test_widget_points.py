"""Spending points from the widget: a link e-mailed to the advocate brings them back to the
shop's page with a signed token; the token (never a typed e-mail) reads and spends points,
through the idempotent ledger, from the store's allowed origins only."""

from __future__ import annotations

import re
import threading
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce import signing
from rcommerce.referrals import ledger
from rcommerce.referrals.models import Coupon
from rcommerce.runtime import Runtime
from tests.support.catalogue import add_item, give_points
from tests.support.referrals import enrol
from tests.support.runtime import StoreKeys
from tests.support.smtp import Inbox, SMTPServer

ORIGIN = "https://shop.example"
PAGE = f"{ORIGIN}/tai-khoan?tab=diem"


def _base(store: StoreKeys) -> str:
    return f"/embed/v1/{store.publishable_key}/points"


def ask_link(
    client: TestClient, runtime: Runtime, smtp: SMTPServer, store: StoreKeys, email: str
) -> str | None:
    """Ask for the link like the widget does; the token the e-mailed link carries, if any."""
    runtime.dispatcher.drain()  # type: ignore[attr-defined]  (the welcome e-mail first)
    smtp.inbox.wait_for(len(smtp.inbox.messages))
    before = len(smtp.inbox.messages)
    answer = client.post(
        _base(store) + "/link", json={"email": email, "page": PAGE}, headers={"Origin": ORIGIN}
    )
    assert answer.status_code == 202 and answer.json() == {"sent": True}, answer.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    if len(smtp.inbox.messages) == before:
        return None
    text = Inbox.text_of(smtp.inbox.wait_for(before + 1)[before])
    link = re.search(r"https://shop\.example/\S+", text)
    assert link, text
    parts = urlsplit(link.group(0))
    assert (parts.path, parse_qs(parts.query)["tab"]) == ("/tai-khoan", ["diem"])
    token: str = parse_qs(parts.query)["rc_points"][0]
    return token


def _auth(token: str, key: str | None = None) -> dict[str, str]:
    headers = {"Origin": ORIGIN, "Authorization": f"Bearer {token}"}
    return {**headers, "Idempotency-Key": key} if key else headers


def _redeem(client: TestClient, store: StoreKeys, token: str, key: str, item: int) -> Any:
    return client.post(_base(store) + "/redeem", json={"item_id": item}, headers=_auth(token, key))


def test_the_emailed_link_lets_the_advocate_spend_points_once(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    runtime = smtp_runtime
    advocate = enrol(client, store, email="mai@example.com", name="Mai Nguyễn")
    item = add_item(client, store)  # 500 points for a 50 000 ₫ coupon
    give_points(runtime, store, advocate["id"], 700)
    # Nobody's address gets the same answer and no e-mail.
    assert ask_link(client, runtime, smtp_server, store, "stranger@example.com") is None
    token = ask_link(client, runtime, smtp_server, store, "Mai@Example.com")
    assert token
    read = client.get(_base(store), headers=_auth(token))
    assert read.status_code == 200, read.text
    assert read.headers["cache-control"] == "no-store"
    body = read.json()
    assert (body["name"], body["points"]) == ("Mai", "700.00")
    assert [(i["id"], i["affordable"]) for i in body["items"]] == [(item["id"], True)]
    first = _redeem(client, store, token, "tab-1", item["id"])
    assert first.status_code == 201, first.text
    code = first.json()["coupon_code"]
    assert first.json()["balance"] == "200.00" and code.startswith("RC")
    # The same attempt again (a double click, a retried request): the same answer, spent once.
    again = _redeem(client, store, token, "tab-1", item["id"])
    assert again.status_code == 201 and again.json()["coupon_code"] == code
    short = _redeem(client, store, token, "tab-2", item["id"])
    assert short.status_code == 409 and short.json()["error"]["code"] == "insufficient_balance"
    with runtime.transaction(readonly=True) as session:
        assert ledger.balance(session, advocate["id"], "points") == Decimal("200.00")
        coupons = session.exec(select(Coupon).where(Coupon.purpose == "redemption")).all()
        assert [c.code for c in coupons] == [code]
    assert client.get(_base(store), headers=_auth(token)).json()["items"][0]["affordable"] is False


def test_racing_redemptions_from_two_tabs_spend_once(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    advocate = enrol(client, store, email="lan@example.com")
    item = add_item(client, store)
    give_points(smtp_runtime, store, advocate["id"], 600)
    token = ask_link(client, smtp_runtime, smtp_server, store, "lan@example.com")
    assert token
    barrier = threading.Barrier(4)
    answers: list[int] = []

    def spend(n: int) -> None:
        barrier.wait()
        answers.append(_redeem(client, store, token, f"tab-{n}", item["id"]).status_code)

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [201, 409, 409, 409]
    with smtp_runtime.transaction(readonly=True) as session:
        assert ledger.balance(session, advocate["id"], "points") == Decimal("100.00")


def test_no_token_a_bad_one_or_a_typed_email_spends_nothing(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    store: StoreKeys,
    make_store: Any,
) -> None:
    advocate = enrol(client, store, email="hoa@example.com")
    item = add_item(client, store)
    give_points(smtp_runtime, store, advocate["id"], 900)
    settings = smtp_runtime.settings
    other = make_store(name="Cửa hàng khác")
    cases: list[tuple[dict[str, str], int]] = [
        ({"Origin": ORIGIN, "Idempotency-Key": "k"}, 401),
        (_auth("not-a-token", "k"), 400),
        # A token of another purpose (a portal sign-in link) or of another store.
        (_auth(signing.sign(settings, "magic-link", {"a": advocate["id"], "s": store.store_id}), "k"), 400),
        (_auth(signing.sign(settings, "widget-points", {"a": advocate["id"], "s": other.store_id}), "k"), 400),
    ]  # fmt: skip
    for headers, status in cases:
        answer = client.post(
            _base(store) + "/redeem", json={"item_id": item["id"]}, headers=headers
        )
        assert answer.status_code == status, (headers, answer.text)
        assert client.get(_base(store), headers=headers).status_code == status
    # The body names no advocate: an e-mail there is refused, not trusted.
    typed = client.post(
        _base(store) + "/redeem",
        json={"item_id": item["id"], "email": "hoa@example.com"},
        headers=_auth("x", "k"),
    )
    assert typed.status_code in (400, 422)
    token = ask_link(client, smtp_runtime, smtp_server, store, "hoa@example.com")
    assert token
    # No Idempotency-Key; an unknown item; a page on another origin; a foreign origin.
    assert _redeem(client, store, token, "", item["id"]).status_code == 422
    assert _redeem(client, store, token, "k", 9999).status_code == 404
    wrong_page = client.post(
        _base(store) + "/link",
        json={"email": "hoa@example.com", "page": "https://evil.example/x"},
        headers={"Origin": ORIGIN},
    )
    assert wrong_page.status_code == 422
    foreign = client.post(
        _base(store) + "/redeem",
        json={"item_id": item["id"]},
        headers={**_auth(token, "k"), "Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    # A blocked advocate's token spends nothing.
    client.patch(
        f"/api/v1/advocates/{advocate['id']}", headers=store.auth, json={"status": "blocked"}
    )
    assert _redeem(client, store, token, "k2", item["id"]).status_code == 403
    with smtp_runtime.transaction(readonly=True) as session:
        assert ledger.balance(session, advocate["id"], "points") == Decimal("900.00")


def test_asking_for_links_is_rate_limited(client: TestClient, store: StoreKeys) -> None:
    statuses = [
        client.post(
            _base(store) + "/link",
            json={"email": "spam@example.com", "page": PAGE},
            headers={"Origin": ORIGIN},
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [202, 202, 202, 429, 429]


def test_the_preflight_allows_the_token_and_key_headers(
    client: TestClient, store: StoreKeys
) -> None:
    answer = client.options(
        _base(store) + "/redeem",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, idempotency-key, content-type",
        },
    )
    assert answer.status_code == 204
    allowed = answer.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed and "idempotency-key" in allowed
