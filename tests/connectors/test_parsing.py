"""Every fixture becomes the events it means, in rcommerce's words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from rcommerce import connectors
from rcommerce.connectors.events import (
    Ignored,
    OrderFulfilled,
    OrderLine,
    OrderPlaced,
    OrderRefunded,
    ProductChanged,
)
from rcommerce.connectors.webhooks import ParseContext
from tests.connectors.support import body

VN = timezone(timedelta(hours=7))


def events(platform: str, topic: str, fixture: str, **context: str) -> list[object]:
    return list(
        connectors.events_of(
            platform, topic=topic, body=body(fixture), context=ParseContext(**context)
        )
    )


# ---- Shopify ----


def test_shopify_paid_vietnamese_order() -> None:
    (placed,) = events("shopify", "orders/paid", "shopify/orders_paid.json")
    assert placed == OrderPlaced(
        order_id="5940139491234",
        number="#1001",
        email="lan.nguyen@example.com",
        phone="+84901234567",
        customer_name="Lan Nguyễn",
        total=Decimal("620000.00"),
        currency="VND",
        placed_at=datetime(2026, 3, 14, 10, 30, tzinfo=VN),
        items=(
            OrderLine(
                "7870931927114",
                "Áo thun cotton",
                2,
                Decimal("220000.00"),
                "AT-COTTON-M-W",
                "41864347942986",
            ),
            OrderLine(
                "7883238932554",
                "Túi vải canvas",
                1,
                Decimal("220000.00"),
                "TUI-CANVAS",
                "41899282661450",
            ),
        ),
        discount_codes=("BANBE10",),
        referral_token="eyJzIjoxfQ.cart-attribute.sig",
        paid=True,
    )


def test_shopify_documented_sample_is_a_cancelled_order_of_five_lines() -> None:
    placed, cancelled = events("shopify", "orders/create", "shopify/orders_create.json")
    assert isinstance(placed, OrderPlaced)
    assert (placed.order_id, placed.number, placed.total) == (
        "820982911946154508",
        "#9999",
        Decimal("404.95"),
    )
    assert placed.email == "jon@example.com"
    assert placed.phone is None  # 555-555-SHIP and 123-123-1234 are no real numbers
    assert placed.customer_name == "John Smith"
    assert [line.product_id for line in placed.items] == [
        "788032119674292922",
        "",
        "",
        "788032119674292922",
        "788032119674292922",
    ]
    assert placed.paid is False
    assert cancelled == OrderRefunded(
        "820982911946154508", amount=None, full=True, reason="customer"
    )


def test_shopify_referral_token_from_the_landing_url_when_no_cart_attribute() -> None:
    from tests.connectors.support import payload

    order = payload("shopify/orders_paid.json")
    order["note_attributes"] = []
    (placed,) = connectors.get_platform("shopify").parse("orders/paid", order, ParseContext())
    assert isinstance(placed, OrderPlaced)
    assert placed.referral_token == "eyJzIjoxfQ.landing-site.sig"
    order["landing_site"] = "/"
    order["note"] = "Gói quà giúp mình. rc_ref: eyJzIjoxfQ.note.sig"
    (placed,) = connectors.get_platform("shopify").parse("orders/paid", order, ParseContext())
    assert isinstance(placed, OrderPlaced)
    assert placed.referral_token == "eyJzIjoxfQ.note.sig"


def test_shopify_fulfilled_and_delivered() -> None:
    placed, fulfilled = events("shopify", "orders/fulfilled", "shopify/orders_fulfilled.json")
    assert isinstance(placed, OrderPlaced)
    assert fulfilled == OrderFulfilled("5940139491234", delivered=True)


def test_shopify_partial_refund() -> None:
    assert events("shopify", "refunds/create", "shopify/refunds_create.json") == [
        OrderRefunded(
            "820982911946154508",
            amount=Decimal("85.00"),
            full=False,
            refund_id="890088186047892319",
            reason="Things were damaged",
        )
    ]


def test_shopify_refund_without_transactions_sums_its_lines() -> None:
    from tests.connectors.support import payload

    refund = payload("shopify/refunds_create.json")
    refund["transactions"] = []
    (event,) = connectors.get_platform("shopify").parse("refunds/create", refund, ParseContext())
    assert isinstance(event, OrderRefunded)
    assert event.amount == Decimal("414.95")


def test_shopify_pending_fulfilment_is_not_yet_shipped() -> None:
    (ignored,) = events("shopify", "fulfillments/create", "shopify/fulfillments_create.json")
    assert isinstance(ignored, Ignored)
    assert "pending" in ignored.reason


def test_shopify_product() -> None:
    (product,) = events(
        "shopify",
        "products/update",
        "shopify/products_update.json",
        shop_url="https://acme.example/",
    )
    assert product == ProductChanged(
        product_id="788032119674292922",
        name="Example T-Shirt",
        url="https://acme.example/products/example-t-shirt",
        image_url=None,
        price=Decimal("19.99"),
        gtin=None,
        brand="Acme",
        category="Shirts",
        skus=(),
    )


def test_unknown_topics_are_acknowledged_and_ignored() -> None:
    (ignored,) = events("shopify", "customers/create", "shopify/orders_paid.json")
    assert isinstance(ignored, Ignored)
    (ignored,) = events("woocommerce", "coupon.created", "woocommerce/order_created.json")
    assert isinstance(ignored, Ignored)


# ---- WooCommerce ----


def test_woocommerce_order_created() -> None:
    (placed,) = events("woocommerce", "order.created", "woocommerce/order_created.json")
    assert placed == OrderPlaced(
        order_id="727",
        number="727",
        email="john.doe@example.com",
        phone=None,  # (555) 555-5555 is a fictional US number
        customer_name="John Doe",
        total=Decimal("29.35"),
        currency="USD",
        placed_at=datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC),
        items=(
            OrderLine("93", "Woo Single #1", 2, Decimal("3"), None, None),
            OrderLine(
                "22",
                "Ship Your Idea &ndash; Color: Black, Size: M Test",
                1,
                Decimal("12"),
                "Bar3",
                "23",
            ),
        ),
        discount_codes=(),
        referral_token="eyJzIjoxfQ.woo-order-meta.sig",
        paid=True,
    )


def test_woocommerce_completed_order_with_two_partial_refunds() -> None:
    placed, first, second, fulfilled = events(
        "woocommerce", "order.updated", "woocommerce/order_updated_refunds.json"
    )
    assert isinstance(placed, OrderPlaced)
    assert placed.paid is True  # completed, though date_paid is null
    assert placed.phone is None  # (11) 1111-1111 is no Brazilian number either
    assert first == OrderRefunded("723", amount=Decimal("10.00"), full=False, refund_id="726")
    assert second == OrderRefunded("723", amount=Decimal("9.00"), full=False, refund_id="724")
    assert fulfilled == OrderFulfilled("723")


def test_woocommerce_cancelled_order_is_a_full_refund() -> None:
    placed, cancelled = events(
        "woocommerce", "order.updated", "woocommerce/order_updated_cancelled.json"
    )
    assert isinstance(placed, OrderPlaced)
    assert placed.referral_token is None
    assert cancelled == OrderRefunded("727", amount=None, full=True, reason="cancelled")


def test_woocommerce_checkout_drafts_are_not_orders_yet() -> None:
    from tests.connectors.support import payload

    order = payload("woocommerce/order_created.json")
    order["status"] = "checkout-draft"
    (ignored,) = connectors.get_platform("woocommerce").parse(
        "order.created", order, ParseContext()
    )
    assert isinstance(ignored, Ignored)


def test_woocommerce_recorded_product_created() -> None:
    (product,) = events("woocommerce", "product.created", "woocommerce/product_created.json")
    assert product == ProductChanged(
        product_id="74",
        name="product.created",
        url="https://test-wordpress.molano.nl/product/product-created/",
        price=None,
        category="Uncategorized",
    )


def test_woocommerce_product_with_gtin_brand_and_image() -> None:
    (product,) = events("woocommerce", "product.updated", "woocommerce/product_updated.json")
    assert product == ProductChanged(
        product_id="794",
        name="Premium Quality",
        url="https://example.com/product/premium-quality-19/",
        image_url="https://example.com/wp-content/uploads/2017/03/T_2_front-4.jpg",
        price=Decimal("21.99"),
        gtin="8935049510864",
        brand="Woo",
        category="Clothing",
        skus=("PQ-TSHIRT",),
    )


# ---- Haravan ----


def test_haravan_cod_order_known_only_by_phone() -> None:
    (placed,) = events("haravan", "orders/create", "haravan/orders_create.json")
    assert placed == OrderPlaced(
        order_id="1280371234",
        number="#100235",
        email=None,
        phone="+84987654321",
        customer_name="Minh Trần",
        total=Decimal("329000"),
        currency="VND",
        placed_at=datetime(2026, 3, 20, 2, 15, 44, 512000, tzinfo=UTC),
        items=(
            OrderLine(
                "1027664411",
                "Sữa rửa mặt trà xanh 150ml",
                1,
                Decimal("349000"),
                "SRM-TRA-XANH",
                "1061233498",
            ),
        ),
        discount_codes=("BANBE50K",),
        referral_token="eyJzIjoxfQ.haravan-cart.sig",
        paid=False,
    )


def test_haravan_delivered_order() -> None:
    placed, fulfilled = events("haravan", "orders/fulfilled", "haravan/orders_fulfilled.json")
    assert isinstance(placed, OrderPlaced) and placed.paid
    assert fulfilled == OrderFulfilled("1280371234", delivered=True)


def test_haravan_partial_refund_in_an_order_update() -> None:
    placed, refunded, fulfilled = events(
        "haravan", "orders/updated", "haravan/orders_updated_partial_refund.json"
    )
    assert isinstance(placed, OrderPlaced)
    assert refunded == OrderRefunded(
        "1280371234",
        amount=Decimal("100000"),
        full=False,
        refund_id="1009876543",
        reason="Hàng bị móp khi giao",
    )
    assert isinstance(fulfilled, OrderFulfilled)


def test_haravan_cancelled_order() -> None:
    placed, cancelled = events("haravan", "orders/cancelled", "haravan/orders_cancelled.json")
    assert isinstance(placed, OrderPlaced)
    assert cancelled == OrderRefunded("1280371234", amount=None, full=True, reason="customer")


def test_haravan_reopened_order_is_not_cancelled() -> None:
    from tests.connectors.support import payload

    order = payload("haravan/orders_cancelled.json")
    order.update(cancelled_status="uncancelled", financial_status="pending")
    (placed,) = connectors.get_platform("haravan").parse("orders/updated", order, ParseContext())
    assert isinstance(placed, OrderPlaced)


def test_haravan_product_with_barcode() -> None:
    (product,) = events(
        "haravan", "products/update", "haravan/products_update.json", shop_url="https://moc.vn"
    )
    assert product == ProductChanged(
        product_id="1027664411",
        name="Sữa rửa mặt trà xanh 150ml",
        url="https://moc.vn/products/sua-rua-mat-tra-xanh-150ml",
        image_url="https://product.hstatic.net/1000343028/product/sua-rua-mat-tra-xanh.jpg",
        price=Decimal("349000"),
        gtin="8936012345678",
        brand="Mộc Organic",
        category="Chăm sóc da",
        skus=("SRM-TRA-XANH",),
    )


def test_haravan_wrapped_delivery() -> None:
    (placed,) = connectors.get_platform("haravan").parse(
        "orders/create",
        {"org_id": 1, "topic": "orders/create", "data": {"id": 5, "total_price": 100000}},
        ParseContext(),
    )
    assert isinstance(placed, OrderPlaced)
    assert (placed.order_id, placed.number, placed.currency) == ("5", "5", "VND")


# ---- Sapo ----


def test_sapo_go_order_with_an_empty_email_is_known_by_phone() -> None:
    (placed,) = events("sapo", "orders/update", "sapo/go_orders_update.json")
    assert placed == OrderPlaced(
        order_id="318452761",
        number="SON687034",
        email=None,
        phone="+84912345678",
        customer_name="TikTok Phạm Thị Hoa",
        total=Decimal("315000"),
        currency="VND",
        placed_at=datetime(2026, 1, 8, 4, 12, 27, tzinfo=UTC),
        items=(
            OrderLine(
                "21876543",
                "Nến thơm tinh dầu sả chanh",
                2,
                Decimal("145000"),
                "NEN-SA-CHANH-200",
                "53219876",
            ),
        ),
        discount_codes=(),
        referral_token=None,
        paid=False,
    )


def test_sapo_go_delivered_order() -> None:
    placed, fulfilled = events("sapo", "orders/update", "sapo/go_orders_update_delivered.json")
    assert isinstance(placed, OrderPlaced) and placed.paid
    assert fulfilled == OrderFulfilled("318452761", delivered=True)


def test_sapo_go_cancelled_order() -> None:
    placed, cancelled = events("sapo", "orders/update", "sapo/go_orders_update_cancelled.json")
    assert isinstance(placed, OrderPlaced)
    assert cancelled == OrderRefunded(
        "318452761", amount=None, full=True, reason="customer_changed_mind"
    )


def test_sapo_go_referral_token_written_in_the_note() -> None:
    from tests.connectors.support import payload

    order = payload("sapo/go_orders_update.json")
    order["note"] = "Khách hẹn giao buổi chiều | rc_ref=eyJzIjoxfQ.sapo-go-note.sig"
    (placed,) = connectors.get_platform("sapo").parse("orders/update", order, ParseContext())
    assert isinstance(placed, OrderPlaced)
    assert placed.referral_token == "eyJzIjoxfQ.sapo-go-note.sig"


def test_sapo_web_order() -> None:
    (placed,) = events("sapo", "orders/create", "sapo/web_orders_create.json")
    assert isinstance(placed, OrderPlaced)
    assert (placed.order_id, placed.number, placed.email, placed.phone) == (
        "25571234",
        "#1001",
        "thu.le@example.vn",
        "+84908887766",
    )
    assert placed.placed_at == datetime(2026, 2, 2, 13, 5, tzinfo=UTC)
    assert placed.referral_token == "eyJzIjoxfQ.sapo-web-cart.sig"
    assert placed.discount_codes == ("CHAOBAN",)
    assert placed.items == (
        OrderLine(
            "19283746", "Bình giữ nhiệt inox 500ml", 2, Decimal("240000"), "BGN-500-DEN", "38475610"
        ),
    )


def test_sapo_web_product() -> None:
    (product,) = events(
        "sapo", "products/create", "sapo/web_products_create.json", shop_url="https://nhabep.vn"
    )
    assert product == ProductChanged(
        product_id="19283746",
        name="Bình giữ nhiệt inox 500ml",
        url="https://nhabep.vn/products/binh-giu-nhiet-inox-500ml",
        image_url="https://bizweb.dktcdn.net/100/123/456/products/binh-giu-nhiet-inox-500ml.jpg",
        price=Decimal("240000"),
        gtin="8934567890123",
        brand="Nhà Bếp Việt",
        category="Đồ gia dụng",
        skus=("BGN-500-DEN", "BGN-500-TRANG"),
    )


def test_one_vietnamese_buyer_across_platforms() -> None:
    """``0987654321`` on Haravan and ``+84 98 765 4321`` elsewhere are the same E.164 number."""
    (haravan,) = events("haravan", "orders/create", "haravan/orders_create.json")
    assert isinstance(haravan, OrderPlaced)
    from tests.connectors.support import payload

    order = payload("sapo/go_orders_update.json")
    order["customer_data"]["phone_number"] = "+84 98 765 4321"
    (sapo,) = connectors.get_platform("sapo").parse("orders/update", order, ParseContext())
    assert isinstance(sapo, OrderPlaced)
    assert haravan.phone == sapo.phone == "+84987654321"
