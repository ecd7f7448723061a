"""The connectors page: what to paste where, in the manager's language, and how each connector
is doing (deliveries, refused signatures, coupons), with a form for its secrets."""

from __future__ import annotations

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.connectors.support import SECRET, body, headers
from tests.support.dashboard import ManagerLogin, log_in


def test_every_platform_with_its_url_and_steps_in_both_languages(
    client: TestClient, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    page = client.get("/dashboard/connectors")
    assert page.status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]
    for platform in ("haravan", "sapo", "shopify", "woocommerce"):
        assert (
            f"http://testserver/connect/{platform}/{manager.store.store_id}/webhooks" in page.text
        )
    assert "Chưa kết nối" in page.text and "Thêm webhook" in page.text
    assert "orders/create" in page.text and "order.updated" in page.text
    client.post("/dashboard/locale", data={"csrf": token, "locale": "en", "back": "/dashboard/"})
    english = client.get("/dashboard/connectors").text
    assert "Settings → Notifications → Webhooks" in english
    assert "WooCommerce → Settings → Advanced → Webhooks → Add webhook" in english


def test_saving_a_connector_and_watching_its_deliveries(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    token = log_in(client, manager)
    saved = client.post(
        "/dashboard/connectors/shopify",
        data={"csrf": token, "webhook_secret": SECRET, "shop_domain": "moc.myshopify.com"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/dashboard/connectors?notice=saved#shopify"
    url = f"/connect/shopify/{manager.store.store_id}/webhooks"
    raw = body("shopify/orders_paid.json")
    assert (
        client.post(url, content=raw, headers=headers("shopify", raw, "orders/paid")).json()[
            "status"
        ]
        == "accepted"
    )
    forged = headers("shopify", raw, "orders/paid", secret="wrong-secret-123")
    assert client.post(url, content=raw, headers=forged).status_code == 401
    page = client.get("/dashboard/connectors").text
    assert "Đã kết nối" in page and "moc.myshopify.com" in page
    assert SECRET not in page
    section = page.split('id="shopify"')[1].split("</section>")[0]
    assert "<dt>Số lần nhận</dt><dd>1</dd>" in section
    assert "<dt>Chữ ký bị từ chối</dt>" in section and "Chữ ký sai thường do" in section
    # Blank fields keep what is saved: adding Admin API access later needs no secret again.
    client.post(
        "/dashboard/connectors/shopify",
        data={"csrf": token, "access_token": "shpat_later"},
        follow_redirects=False,
    )
    listed = client.get("/api/v1/connectors", headers=manager.store.auth).json()["connectors"]
    assert listed[0]["admin_api"] is True and listed[0]["shop_domain"] == "moc.myshopify.com"
    again = raw + b"\n"  # another delivery (no webhook id: the body's hash names it)
    answer = client.post(url, content=again, headers=headers("shopify", again, "orders/create"))
    assert answer.json()["status"] == "accepted"  # the secret saved first still signs


def test_refusals_are_pages(client: TestClient, manager: ManagerLogin) -> None:
    token = log_in(client, manager)
    first_without_secret = client.post(
        "/dashboard/connectors/sapo", data={"csrf": token, "shop_domain": "x.mysapo.net"}
    )
    assert first_without_secret.status_code == 422
    assert "Cần khóa bí mật mà nền tảng dùng để ký webhook" in first_without_secret.text
    unknown = client.post("/dashboard/connectors/magento", data={"csrf": token})
    assert unknown.status_code == 404
    no_csrf = client.post("/dashboard/connectors/sapo", data={"webhook_secret": SECRET})
    assert no_csrf.status_code == 403
