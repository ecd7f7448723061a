"""Portal helpers for tests: signing an advocate in through the e-mailed magic link, and building
a wallet with a reward paid out, one on its way and one order under review."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from starlette.testclient import TestClient

from rcommerce.referrals import rewards
from rcommerce.runtime import Runtime
from rcommerce.stores.models import Store
from tests.support.referrals import enrol, post_order
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer


class _Forms(HTMLParser):
    """The hidden fields of each form on a page, by the form's action."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self._action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._action = values.get("action", "")
            self.forms.setdefault(self._action, {})
        elif tag == "input" and self._action is not None and values.get("type") == "hidden":
            self.forms[self._action][values.get("name", "")] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._action = None


def hidden_fields(html: str, action_part: str) -> dict[str, str]:
    parser = _Forms()
    parser.feed(html)
    for action, fields in parser.forms.items():
        if action_part in action:
            return fields
    raise AssertionError(f"no form posting to {action_part!r} on the page")


def sign_in(
    client: TestClient, runtime: Runtime, smtp: SMTPServer, keys: StoreKeys, email: str
) -> str:
    """Ask for a magic link like the login form does, follow the e-mailed link; returns the
    portal's path."""
    portal = f"/portal/{keys.publishable_key}/"
    page = client.get(portal).text
    before = len(smtp.inbox.messages)
    sent = client.post(portal + "login", data={**hidden_fields(page, "login"), "email": email})
    assert sent.status_code == 200, sent.text
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    links = [
        found.group(1)
        for message in smtp.inbox.wait_for(before + 1)[before:]
        if (found := re.search(r"https?://[^/\s]+(/portal/\S+/login/\S+)", Inbox.text_of(message)))
    ]
    assert links, "no sign-in link was e-mailed"
    link = links[-1]
    confirm = client.get(link)
    assert confirm.status_code == 200
    done = client.post(link, data=hidden_fields(confirm.text, "/login/"), follow_redirects=False)
    assert done.status_code == 303, done.text
    return portal


def build_wallet(
    client: TestClient, runtime: Runtime, clock: Clock, keys: StoreKeys, email: str
) -> dict[str, Any]:
    """An advocate with 50 000 ₫ of store credit paid out (a friend's order past its hold), a
    reward on its way (a second friend's order) and an order under review (a self-referral)."""
    advocate = enrol(client, keys, email=email, name="Minh")
    code = advocate["referral_code"]
    paid = post_order(client, keys, "paid-1", email="ban1@example.com", referral_code=code)
    assert paid["conversion_status"] == "pending", paid
    clock.advance(days=15)
    with runtime.transaction() as session:
        store = session.get(Store, keys.store_id)
        assert store is not None
        assert rewards.approve_due(session=session, store=store, now=runtime.now()) == 1
    coming = post_order(client, keys, "coming-1", email="ban2@example.com", referral_code=code)
    assert coming["conversion_status"] == "pending", coming
    held = post_order(client, keys, "self-1", email=email, referral_code=code)
    assert held["conversion_status"] == "held", held
    return advocate
