"""Dashboard held conversions: listing and paging."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.dashboard import (
    HELD_ORDER,
    ManagerLogin,
    held_page,
    hold_conversions,
    log_in,
)
from tests.support.every_kind import seed_every_kind
from tests.support.runtime import StoreKeys


def test_held_conversions_page_lists_those_of_erased_advocates(
    client: TestClient, manager: ManagerLogin
) -> None:
    """Erasing one advocate must not take the whole queue of held conversions down."""
    keys = manager.store
    order_ids = []
    for email in ("kept@example.com", "erased@example.com"):
        joined = client.post(
            "/api/v1/advocates", headers=keys.auth, json={"email": email, "name": email[:4]}
        ).json()
        held = client.post(
            "/api/v1/orders",
            headers=keys.auth,
            json={
                "order_id": f"self-{joined['id']}",
                "email": email,  # a self-referral: held for a manager
                "total": "300000",
                "currency": "VND",
                "referral_code": joined["referral_code"],
            },
        ).json()
        assert held["conversion_status"] == "held"
        order_ids.append(held["order_id"])
    erased = client.delete(f"/api/v1/advocates/{joined['id']}", headers=keys.auth)
    assert erased.status_code == 200
    log_in(client, manager)
    page = client.get("/dashboard/conversions")
    assert page.status_code == 200
    assert all(order_id in page.text for order_id in order_ids)
    assert "erased@example.com" not in page.text


def test_an_advocate_known_by_phone_shows_the_phone(
    client: TestClient, manager: ManagerLogin
) -> None:
    keys = manager.store
    joined = client.post(
        "/api/v1/advocates", headers=keys.auth, json={"phone": "0901 234 567", "name": ""}
    ).json()
    held = client.post(
        "/api/v1/orders",
        headers=keys.auth,
        json={
            "order_id": "self-phone",
            "phone": "+84 90 123 4567",  # the advocate's own phone: held for a manager
            "total": "300000",
            "currency": "VND",
            "referral_code": joined["referral_code"],
        },
    ).json()
    assert held["reasons"] == ["self_referral_phone"]
    log_in(client, manager)
    listed = client.get("/dashboard/advocates?q=0901 234 567")
    assert "+84901234567" in listed.text and "None" not in listed.text
    assert "+84901234567" in client.get("/dashboard/advocates?q=4567").text
    detail = client.get(f"/dashboard/advocates/{joined['id']}")
    assert detail.status_code == 200
    assert "+84901234567" in detail.text and "None" not in detail.text
    conversions = client.get("/dashboard/conversions")
    assert "Tự giới thiệu (cùng số điện thoại)" in conversions.text


def test_held_conversions_page_by_page_both_ways(
    client: TestClient,
    runtime: Runtime,
    manager: ManagerLogin,
    make_store: Callable[..., StoreKeys],
) -> None:
    hold_conversions(runtime, make_store(name="Other"), 3)  # another store's never show
    hold_conversions(runtime, manager.store, 120)
    newest_first = [f"held-{n}" for n in reversed(range(120))]
    token = log_in(client, manager)
    assert "(120)" in client.get("/dashboard/conversions").text
    pages: list[list[str]] = []
    links: list[dict[str, str]] = []
    url: str | None = "/dashboard/conversions"
    while url is not None:
        orders, page_links = held_page(client, url)
        pages.append(orders)
        links.append(page_links)
        url = page_links.get("next")
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [order for p in pages for order in p] == newest_first
    assert "prev" not in links[0] and "next" not in links[2]
    # And back with the previous links.
    assert held_page(client, links[2]["prev"])[0] == pages[1]
    first, first_links = held_page(client, links[1]["prev"])
    assert first == pages[0] and "prev" not in first_links

    # Deciding the first of the second page comes back to that page, its others still there.
    second = links[0]["next"]
    found = re.search(r'action="/dashboard/conversions/(\d+)"', client.get(second).text)
    assert found is not None
    response = client.post(
        f"/dashboard/conversions/{found.group(1)}",
        data={"csrf": token, "decision": "reject", "back": second},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == second + "&notice=decided"
    again = client.get(response.headers["location"]).text
    assert HELD_ORDER.findall(again) == pages[1][1:] + pages[2][:1]
    assert f'name="back" value="{second}"' in again  # the notice is not sent back again
    assert "(119)" in again


def test_held_conversions_paging_refuses_bad_input_and_recovers_an_emptied_page(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    ids = hold_conversions(runtime, manager.store, 60)
    log_in(client, manager)
    for query in ("before=x", "after=-1", "before=0", f"before={10**19}", "before=5&after=3"):
        response = client.get(f"/dashboard/conversions?{query}")
        assert response.status_code == 422, query
        assert "<html" in response.text.lower() and "held-" not in response.text
    # Nothing older than the oldest: the last page instead of an empty one; nothing newer
    # than the newest: the first page.
    last, links = held_page(client, f"/dashboard/conversions?before={ids[0]}")
    assert last == [f"held-{n}" for n in reversed(range(50))] and "next" not in links
    first, links = held_page(client, f"/dashboard/conversions?after={ids[-1]}")
    assert first == [f"held-{n}" for n in reversed(range(10, 60))] and "prev" not in links


def _listed(client: TestClient, query: str) -> list[list[str]]:
    page = client.get(f"/dashboard/advocates?{query}")
    assert page.status_code == 200
    body = page.text[page.text.index('<table class="data" id="advocates">') :]
    rows = re.findall(r"<tr><td><a [^>]*>([^<]*)</a></td>(.*?)</tr>", body, re.S)
    return [
        [name, *(re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", rest))]
        for name, rest in rows
    ]


def test_advocates_list_shows_figures_and_sorts_by_them(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    with runtime.transaction() as session:
        seed_every_kind(session, manager.store.store_id, runtime.now())
    log_in(client, manager)
    rows = _listed(client, "sort=clicks&dir=desc")
    top = rows[0]
    # name, e-mail, code, status, clicks, referred orders, revenue, balance, joined
    assert top[0] == "Người giới thiệu 0" and top[3] == "Hoạt động"
    assert top[4] == "45"  # 1 + 2 + ... + 9 clicks over the nine channels
    assert top[5] == "3"  # pending, held and approved count; the others do not
    assert top[6] == "780.000\u00a0₫"  # 250 000 + 260 000 + 270 000
    assert top[7] == "-30.000\u00a0₫"  # 50 000 earned, 30 000 redeemed, 50 000 clawed back
    assert [r[4] for r in _listed(client, "sort=clicks&dir=asc")][-1] == "45"
    by_balance = _listed(client, "sort=balance&dir=asc")
    assert by_balance[0][0] == "Người giới thiệu 0"
    assert {r[3] for r in rows} == {"Hoạt động", "Bị chặn", "Đã rời chương trình"}
    searched = _listed(client, "q=nguoi2&sort=revenue")
    assert [r[0] for r in searched] == ["Người giới thiệu 2"]
    assert 'aria-sort="descending"' in client.get("/dashboard/advocates?sort=revenue").text


def test_the_campaign_form_refuses_a_percentage_over_100(
    client: TestClient, manager: ManagerLogin
) -> None:
    csrf = log_in(client, manager)
    form = {
        "csrf": csrf,
        "name": "Tết",
        "friend_reward_kind": "coupon_percent",
        "friend_reward_value": "150",
        "active": "on",
    }
    refused = client.post("/dashboard/campaigns", data=form, follow_redirects=False)
    assert refused.status_code == 422
    assert "Tết" not in client.get("/dashboard/campaigns").text
    saved = client.post(
        "/dashboard/campaigns", data={**form, "friend_reward_value": "15"}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert "Tết" in client.get("/dashboard/campaigns").text


def test_the_campaign_form_sets_segment_offers(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    from sqlmodel import select

    from rcommerce.referrals.models import Campaign

    csrf = log_in(client, manager)
    form = {
        "csrf": csrf,
        "name": "Theo nhóm",
        "advocate_reward_kind": "store_credit",
        "advocate_reward_value": "50000",
        "friend_reward_kind": "coupon_percent",
        "friend_reward_value": "10",
        "active": "on",
        "seg_sociables_advocate_reward_kind": "store_credit",
        "seg_sociables_advocate_reward_value": "80000",
        "seg_bargain_hunters_friend_reward_kind": "coupon_percent",
        "seg_bargain_hunters_friend_reward_value": "",  # a kind without a value
    }
    refused = client.post("/dashboard/campaigns", data=form, follow_redirects=False)
    assert refused.status_code == 422
    offer = refused.text.split('id="offer-new-bargain_hunters"', 1)[1].split("</div>", 1)[0]
    assert 'class="field-error"' in offer
    # The manager's values are kept in the form shown again.
    assert (
        'name="seg_sociables_advocate_reward_value" inputmode="decimal" value="80000"'
        in refused.text
    )
    saved = client.post(
        "/dashboard/campaigns",
        data={**form, "seg_bargain_hunters_friend_reward_value": "25"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    with runtime.transaction(readonly=True) as session:
        campaign = session.exec(select(Campaign).where(Campaign.name == "Theo nhóm")).one()
        assert campaign.segment_offers == [
            {"segment": "bargain_hunters", "friend_reward_kind": "coupon_percent",
             "friend_reward_value": "25.00"},
            {"segment": "sociables", "advocate_reward_kind": "store_credit",
             "advocate_reward_value": "80000.00"},
        ]  # fmt: skip
    page = client.get("/dashboard/campaigns").text
    shown = page.split(f'id="offer-{campaign.id}-sociables"', 1)[1].split("</div>", 1)[0]
    assert 'value="80000.00"' in shown and '<option value="store_credit" selected>' in shown
    # Emptied, the segment's offer goes.
    again = {k: v for k, v in form.items() if not k.startswith("seg_bargain")}
    again["seg_sociables_advocate_reward_kind"] = again["seg_sociables_advocate_reward_value"] = ""
    client.post(f"/dashboard/campaigns/{campaign.id}", data=again, follow_redirects=False)
    with runtime.transaction(readonly=True) as session:
        assert session.get(Campaign, campaign.id).segment_offers == []  # type: ignore[union-attr]
