"""Spending points in the portal: the catalogue, the coupon shown after redeeming and its
ledger line, forms refused without the session's token, and racing submissions spent once."""

from __future__ import annotations

import re
import threading

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.catalogue import add_item, give_points
from tests.support.portal import hidden_fields, sign_in
from tests.support.referrals import enrol
from tests.support.runtime import StoreKeys
from tests.support.smtp import SMTPServer


def _redemption_codes(page: str) -> set[str]:
    """The coupon codes in the portal's coupon table."""
    table = page[page.index('id="coupons"') : page.index('id="ledger"')]
    return set(re.findall(r"\bRC[A-Z0-9]{8}\b", table))


def test_an_advocate_spends_points_and_sees_the_coupon_and_the_ledger_line(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    advocate = enrol(client, store, email="diem@example.com")
    cheap = add_item(client, store, name="Miễn phí vận chuyển", coupon_kind="free_shipping",
                     points_cost="200")  # fmt: skip
    dear = add_item(client, store, name="Giảm 50.000 ₫", points_cost="5000")
    give_points(smtp_runtime, store, advocate["id"], 300)
    portal = sign_in(client, smtp_runtime, smtp_server, store, "diem@example.com")
    page = client.get(portal).text
    assert "Đổi điểm lấy quà" in page and "Bạn có 300 điểm" in page
    assert f"catalogue/{dear['id']}" not in page  # not enough points: no form
    # A form without the session's token spends nothing.
    fields = hidden_fields(page, f"catalogue/{cheap['id']}")
    forged = client.post(
        f"{portal}catalogue/{cheap['id']}", data={**fields, "token": "x"}, follow_redirects=False
    )
    assert forged.status_code == 303 and "notice" not in forged.headers["location"]
    done = client.post(f"{portal}catalogue/{cheap['id']}", data=fields)
    assert done.status_code == 200
    code = re.search(r"Mã giảm giá của bạn: (RC[-A-Z0-9]+)", done.text)
    assert code is not None, done.text
    ledger = done.text[done.text.index('id="ledger"') :]
    assert "Đổi thưởng" in ledger and code.group(1) in ledger and "−200 Điểm" in ledger
    coupons = done.text[done.text.index('id="coupons"') : done.text.index('id="ledger"')]
    assert code.group(1) in coupons and "miễn phí vận chuyển" in coupons
    # The same form again (a double click) answers the same and spends nothing more.
    again = client.post(f"{portal}catalogue/{cheap['id']}", data=fields)
    assert f"Mã giảm giá của bạn: {code.group(1)}" in again.text
    assert re.search(r"<b>100</b>\s*Điểm", again.text)
    assert _redemption_codes(again.text) == {code.group(1)}
    gone = client.patch(
        f"/api/v1/catalogue/{cheap['id']}", headers=store.auth, json={"active": False}
    )
    assert gone.status_code == 200
    missing = client.post(
        f"{portal}catalogue/{cheap['id']}", data={**fields, "idempotency_key": "another"}
    )
    assert "Phần quà này không còn được đổi." in missing.text


def test_two_tabs_racing_spend_the_points_once(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    advocate = enrol(client, store, email="dua@example.com")
    item = add_item(client, store, points_cost="400")
    give_points(smtp_runtime, store, advocate["id"], 500)
    portal = sign_in(client, smtp_runtime, smtp_server, store, "dua@example.com")
    # Two renderings of the page (two tabs): two idempotency keys, points for one.
    tabs = [hidden_fields(client.get(portal).text, f"catalogue/{item['id']}") for _ in range(2)]
    assert tabs[0]["idempotency_key"] != tabs[1]["idempotency_key"]
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def submit(fields: dict[str, str]) -> None:
        barrier.wait()
        answer = client.post(f"{portal}catalogue/{item['id']}", data=fields, follow_redirects=False)
        outcomes.append(answer.headers["location"].split("notice=")[-1])

    # Each tab's form sent twice at once (a double click in each).
    threads = [threading.Thread(target=submit, args=(tabs[n % 2],)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes).count("redeemed") == 2  # both submissions of the winning tab
    assert sorted(outcomes).count("insufficient_points") == 2
    page = client.get(portal).text
    assert re.search(r"<b>100</b>\s*Điểm", page)
    assert len(_redemption_codes(page)) == 1
