"""The catalogue page: rewards for points added from a form, withdrawn and offered again, in
the manager's words."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.support.dashboard import ManagerLogin, csrf_of, log_in
from tests.support.page_text import problems


def test_manager_adds_withdraws_and_offers_a_reward_again(
    client: TestClient, manager: ManagerLogin
) -> None:
    log_in(client, manager)
    page = client.get("/dashboard/catalogue")
    assert page.status_code == 200 and problems(page.text) == []
    token = csrf_of(page.text)
    assert client.post("/dashboard/catalogue", data={"name": "x"}).status_code == 403
    wrong = client.post(
        "/dashboard/catalogue",
        data={"csrf": token, "name": "Giảm 10%", "coupon_kind": "coupon_percent",
              "coupon_value": "150", "points_cost": "-3"},
    )  # fmt: skip
    assert wrong.status_code == 422 and problems(wrong.text) == []
    assert 'value="Giảm 10%"' in wrong.text
    added = client.post(
        "/dashboard/catalogue",
        data={"csrf": token, "name": "Miễn phí vận chuyển", "coupon_kind": "free_shipping",
              "points_cost": "300"},
    )  # fmt: skip
    assert added.status_code == 200 and "Đã lưu." in added.text
    listed = client.get("/api/v1/catalogue", headers=manager.store.auth).json()["items"]
    assert [(i["name"], i["coupon_kind"], i["points_cost"], i["active"]) for i in listed] == [
        ("Miễn phí vận chuyển", "free_shipping", "300.00", True)
    ]
    assert "Đang đổi được" in added.text and problems(added.text) == []
    item = listed[0]["id"]
    client.post(f"/dashboard/catalogue/{item}", data={"csrf": token})
    assert (
        client.get("/api/v1/catalogue", headers=manager.store.auth).json()["items"][0]["active"]
        is False
    )
    again = client.post(f"/dashboard/catalogue/{item}", data={"csrf": token})
    assert "Ngừng đổi" in again.text
    assert client.post("/dashboard/catalogue/999", data={"csrf": token}).status_code == 404


def test_manager_sets_when_points_expire(client: TestClient, manager: ManagerLogin) -> None:
    log_in(client, manager)
    page = client.get("/dashboard/catalogue")
    assert 'name="points_expire_days" inputmode="numeric" value=""' in page.text
    token = csrf_of(page.text)
    forged = client.post("/dashboard/catalogue/settings", data={"points_expire_days": "30"})
    assert forged.status_code == 403
    wrong = client.post(
        "/dashboard/catalogue/settings", data={"csrf": token, "points_expire_days": "0"}
    )
    assert wrong.status_code == 422 and problems(wrong.text) == []
    saved = client.post(
        "/dashboard/catalogue/settings", data={"csrf": token, "points_expire_days": "180"}
    )
    assert saved.status_code == 200 and "Đã lưu." in saved.text
    assert 'name="points_expire_days" inputmode="numeric" value="180"' in saved.text
    shown = client.get("/api/v1/store", headers=manager.store.auth).json()
    assert shown["points_expire_days"] == 180 and shown["points_per_order_amount"] is None
    rate = client.post(
        "/dashboard/catalogue/settings",
        data={"csrf": token, "points_expire_days": "180", "points_per_order_amount": "2",
              "points_order_amount": "10000"},
    )  # fmt: skip
    assert (
        rate.status_code == 200
        and 'name="points_order_amount" inputmode="decimal" value="10000"' in rate.text
    )
    shown = client.get("/api/v1/store", headers=manager.store.auth).json()
    assert (shown["points_per_order_amount"], shown["points_order_amount"]) == ("2.00", "10000.00")
    bad = client.post(
        "/dashboard/catalogue/settings",
        data={"csrf": token, "points_per_order_amount": "-1"},
    )
    assert bad.status_code == 422 and problems(bad.text) == []
    client.post("/dashboard/catalogue/settings", data={"csrf": token, "points_expire_days": ""})
    shown = client.get("/api/v1/store", headers=manager.store.auth).json()
    assert shown["points_expire_days"] is None


def test_manager_turns_the_leaderboard_on_and_off(
    client: TestClient, manager: ManagerLogin
) -> None:
    log_in(client, manager)
    page = client.get("/dashboard/catalogue")
    assert 'name="leaderboard_enabled" value="1">' in page.text  # off until the store turns it on
    token = csrf_of(page.text)
    on = client.post(
        "/dashboard/catalogue/settings", data={"csrf": token, "leaderboard_enabled": "1"}
    )
    assert on.status_code == 200 and 'name="leaderboard_enabled" value="1" checked>' in on.text
    assert client.get("/api/v1/store", headers=manager.store.auth).json()["leaderboard_enabled"]
    off = client.post("/dashboard/catalogue/settings", data={"csrf": token})  # box left empty
    assert off.status_code == 200
    assert not client.get("/api/v1/store", headers=manager.store.auth).json()["leaderboard_enabled"]
