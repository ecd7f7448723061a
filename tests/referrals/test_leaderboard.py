"""The advocates' leaderboard: ranked by referred buyers, names masked to a given name and a
family initial, opted-out, blocked and erased advocates and other stores' advocates never shown,
off until the store turns it on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import col, update
from starlette.testclient import TestClient

from rcommerce.referrals.leaderboard import display_name
from rcommerce.referrals.models import Conversion
from rcommerce.runtime import Runtime
from tests.support.portal import hidden_fields, sign_in
from tests.support.referrals import enrol, post_order
from tests.support.runtime import StoreKeys
from tests.support.smtp import SMTPServer

TIERS = [
    {"name": "Bạc", "min_referred_buyers": 1, "bonus_percent": 0},
    {"name": "Vàng", "min_referred_buyers": 3, "bonus_percent": 10},
]


def _board(client: TestClient, store: StoreKeys, **params: Any) -> list[dict[str, Any]]:
    answer = client.get(f"/embed/v1/{store.publishable_key}/leaderboard", params=params)
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()["advocates"]
    return rows


def _referrals(client: TestClient, store: StoreKeys, advocate: dict[str, Any], n: int) -> None:
    for i in range(n):
        post_order(
            client,
            store,
            f"{advocate['referral_code']}-{i}",
            email=f"{advocate['referral_code'].lower()}-{i}@buyer.example",
            referral_code=advocate["referral_code"],
        )


def _turn_on(client: TestClient, store: StoreKeys) -> None:
    answer = client.patch("/api/v1/store", headers=store.auth, json={"leaderboard_enabled": True})
    assert answer.status_code == 200 and answer.json()["leaderboard_enabled"] is True


def test_names_show_a_given_name_and_a_family_initial() -> None:
    assert display_name("Nguyễn Thị Mai") == "Mai N."
    assert display_name("Emily Carter") == "Emily C."
    assert display_name("Mai Nguyễn") == "Mai N."
    assert display_name("Đặng Thu Thảo") == "Thảo Đ."
    assert display_name("  Lan ") == "Lan"
    assert display_name("lan@example.com 0912345678") == ""


def test_ranked_by_referred_buyers_masked_and_scoped_to_the_store(
    client: TestClient, store: StoreKeys, make_store: Callable[..., StoreKeys]
) -> None:
    assert client.put("/api/v1/tiers", headers=store.auth, json={"tiers": TIERS}).status_code == 200
    mai = enrol(client, store, email="mai@example.com", name="Nguyễn Thị Mai")
    emily = enrol(client, store, email="emily@example.com", name="Emily Carter")
    tam = enrol(client, store, email="tam@example.com", name="Lê Văn Tám")
    _referrals(client, store, mai, 3)
    _referrals(client, store, emily, 1)
    _referrals(client, store, tam, 2)
    # The same buyer again is no new referred buyer; a refunded order is no referral at all.
    post_order(
        client,
        store,
        "again",
        email=f"{mai['referral_code'].lower()}-0@buyer.example",
        referral_code=mai["referral_code"],
    )
    post_order(
        client, store, "refunded", email="r@buyer.example", referral_code=emily["referral_code"]
    )
    assert client.post("/api/v1/orders/refunded/refund", headers=store.auth).status_code == 200
    other = make_store(name="Other")
    _turn_on(client, other)
    rival = enrol(client, other, email="rival@example.com", name="Trần Hưng")
    _referrals(client, other, rival, 5)

    assert _board(client, store) == []  # off until the store turns it on
    _turn_on(client, store)
    rows = _board(client, store, period="all")
    assert rows == [
        {"rank": 1, "name": "Mai N.", "tier": "Vàng", "referred_buyers": 3},
        {"rank": 2, "name": "Tám L.", "tier": "Bạc", "referred_buyers": 2},
        {"rank": 3, "name": "Emily C.", "tier": "Bạc", "referred_buyers": 1},
    ]
    text = str(rows)
    for secret in ("@", mai["referral_code"], "Nguyễn", "Carter", "Hưng"):
        assert secret not in text
    assert [r["name"] for r in _board(client, other)] == ["Hưng T."]
    assert [r["name"] for r in _board(client, store, limit=2)] == ["Mai N.", "Tám L."]
    for bad in ({"limit": 0}, {"limit": 51}, {"period": "7y"}, {"limit": "x"}):
        answer = client.get(f"/embed/v1/{store.publishable_key}/leaderboard", params=bad)
        assert answer.status_code == 422, bad
    assert client.get("/embed/v1/pk_nope/leaderboard").status_code in (403, 404)


def test_the_period_counts_recent_referrals_only(
    client: TestClient, runtime: Runtime, store: StoreKeys
) -> None:
    _turn_on(client, store)
    old = enrol(client, store, email="old@example.com", name="Phạm Minh Quân")
    new = enrol(client, store, email="new@example.com", name="Sarah Jones")
    _referrals(client, store, old, 3)
    _referrals(client, store, new, 1)
    with runtime.transaction() as session:
        session.execute(
            update(Conversion)
            .where(col(Conversion.advocate_id) == old["id"])
            .values(created_at=runtime.now() - timedelta(days=40))
        )
    assert [r["name"] for r in _board(client, store, period="all")] == ["Quân P.", "Sarah J."]
    assert [r["name"] for r in _board(client, store, period="30d")] == ["Sarah J."]
    assert [r["name"] for r in _board(client, store)] == ["Sarah J."]  # 30 days by default


def test_opted_out_blocked_and_erased_advocates_are_never_listed(
    client: TestClient, store: StoreKeys
) -> None:
    _turn_on(client, store)
    names = ["Nguyễn An", "Trần Bình", "Lê Chi", "Phạm Dũng"]
    people = [enrol(client, store, email=f"p{i}@example.com", name=n) for i, n in enumerate(names)]
    for person in people:
        _referrals(client, store, person, 1)
    assert len(_board(client, store, limit=11)) == 4
    an, binh, chi, _ = people
    answer = client.patch(
        f"/api/v1/advocates/{an['id']}", headers=store.auth, json={"leaderboard_opt_out": True}
    )
    assert answer.status_code == 200 and answer.json()["leaderboard_opt_out"] is True
    client.patch(f"/api/v1/advocates/{binh['id']}", headers=store.auth, json={"status": "blocked"})
    assert client.delete(f"/api/v1/advocates/{chi['id']}", headers=store.auth).status_code == 200
    # A fresh limit: each answer is cached a minute.
    assert [r["name"] for r in _board(client, store, limit=12)] == ["Dũng P."]
    answer = client.patch(
        f"/api/v1/advocates/{an['id']}", headers=store.auth, json={"leaderboard_opt_out": False}
    )
    assert [r["name"] for r in _board(client, store, limit=13)] == ["An N.", "Dũng P."]
    off = client.patch("/api/v1/store", headers=store.auth, json={"leaderboard_enabled": False})
    assert off.status_code == 200
    assert _board(client, store, limit=14) == []


def test_the_portal_shows_the_board_and_own_rank_and_the_toggle_works(
    client: TestClient, smtp_runtime: Runtime, smtp_server: SMTPServer, store: StoreKeys
) -> None:
    mai = enrol(client, store, email="mai@example.com", name="Nguyễn Thị Mai")
    emily = enrol(client, store, email="emily@example.com", name="Emily Carter")
    _referrals(client, store, mai, 1)
    _referrals(client, store, emily, 2)
    portal = sign_in(client, smtp_runtime, smtp_server, store, "mai@example.com")
    assert 'id="leaderboard"' not in client.get(portal).text  # the store has it off
    _turn_on(client, store)
    page = client.get(portal).text
    assert "Bảng xếp hạng 30 ngày qua" in page
    assert "Emily C." in page and "Mai N." in page and "emily@example.com" not in page
    assert "Bạn đang đứng hạng 2 với 1 người mua." in page

    # A form without this browser's token (cross-site) changes nothing.
    forged = client.post(
        portal + "leaderboard", data={"show": "0", "csrf": "guessed"}, follow_redirects=False
    )
    assert forged.status_code == 303
    assert [r["name"] for r in _board(client, store, limit=20)] == ["Emily C.", "Mai N."]

    hide = client.post(
        portal + "leaderboard", data=hidden_fields(page, "leaderboard"), follow_redirects=False
    )
    assert hide.status_code == 303
    page = client.get(portal).text
    assert "Bạn đã chọn không hiện trên bảng xếp hạng." in page and "Mai N." not in page
    assert [r["name"] for r in _board(client, store, limit=21)] == ["Emily C."]
    detail = client.get("/api/v1/advocates", headers=store.auth).json()["advocates"]
    assert {a["email"]: a["leaderboard_opt_out"] for a in detail}["mai@example.com"] is True

    show = client.post(
        portal + "leaderboard", data=hidden_fields(page, "leaderboard"), follow_redirects=False
    )
    assert show.status_code == 303
    assert "Bạn đang đứng hạng 2" in client.get(portal).text
    english = client.get(portal + "?lang=en").text
    assert "Leaderboard, last 30 days" in english and "Keep me off the leaderboard" in english
