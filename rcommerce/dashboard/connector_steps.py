"""Where to click in each platform's admin to connect it, in Vietnamese and English (the
connectors page; docs/connectors.md says the same at more length)."""

from __future__ import annotations

NAMES = {
    "haravan": "Haravan",
    "sapo": "Sapo (Web, GO)",
    "shopify": "Shopify",
    "woocommerce": "WooCommerce",
}

# platform -> (steps in Vietnamese, steps in English)
STEPS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "shopify": (
        (
            "Trong trang quản trị Shopify, mở Settings (Cài đặt) → Notifications (Thông báo) → "
            "Webhooks (cuối trang) → Create webhook (Tạo webhook).",
            "Tạo một webhook cho mỗi chủ đề bên dưới (Order creation, Order payment, Order "
            "fulfillment, Order cancellation, Refund create, Fulfillment update, Product "
            "creation, Product update): Format JSON, URL là địa chỉ webhook ở trên, phiên bản "
            "API mới nhất → Save (Lưu).",
            "Dưới danh sách webhook, Shopify ghi “Your webhooks will be signed with …”: dán "
            "khóa đó vào ô Khóa bí mật webhook bên dưới (webhook do ứng dụng đăng ký thì dùng "
            "client secret của ứng dụng).",
            "Tên miền cửa hàng: ten-shop.myshopify.com — rcommerce chỉ nhận webhook của đúng "
            "cửa hàng này.",
            "Để mã giảm giá thưởng dùng được khi thanh toán: Settings → Apps and sales channels "
            "→ Develop apps → Create an app → Configure Admin API scopes: `write_price_rules`, "
            "`write_discounts` → Install app → sao chép Admin API access token (shpat_…) vào ô "
            "Admin API token.",
        ),
        (
            "In the Shopify admin, open Settings → Notifications → Webhooks (at the bottom of "
            "the page) → Create webhook.",
            "Create one webhook per topic below (Order creation, Order payment, Order "
            "fulfillment, Order cancellation, Refund create, Fulfillment update, Product "
            "creation, Product update): Format JSON, URL: the webhook URL above, the newest API "
            "version → Save.",
            "Under the list Shopify shows “Your webhooks will be signed with …”: paste that key "
            "as the webhook secret below (webhooks an app registers are signed with the app's "
            "client secret).",
            "Shop domain: your-shop.myshopify.com — rcommerce accepts webhooks from that shop "
            "only.",
            "So that reward coupons work at checkout: Settings → Apps and sales channels → "
            "Develop apps → Create an app → Configure Admin API scopes: `write_price_rules`, "
            "`write_discounts` → Install app → copy the Admin API access token (shpat_…) into "
            "Admin API token.",
        ),
    ),
    "woocommerce": (
        (
            "Trong trang quản trị WordPress: WooCommerce → Cài đặt (Settings) → Nâng cao "
            "(Advanced) → Webhooks → Thêm webhook (Add webhook).",
            "Mỗi chủ đề bên dưới một webhook (Order created, Order updated, Product created, "
            "Product updated): Trạng thái Active, Delivery URL là địa chỉ webhook ở trên, "
            "Secret là một chuỗi ngẫu nhiên dài, API version: WP REST API Integration v3 → Lưu "
            "webhook. WooCommerce gửi thử tới địa chỉ này và rcommerce trả lời.",
            "Dán đúng chuỗi Secret đó vào ô Khóa bí mật webhook bên dưới; tên miền cửa hàng là "
            "tên miền website.",
            "WooCommerce không có chủ đề hoàn tiền hay giao hàng riêng: “Order updated” mang cả "
            "hai (completed → đã giao; cancelled/refunded → hoàn tiền toàn bộ; mỗi khoản hoàn → "
            "hoàn một phần).",
            "Để tạo mã giảm giá thưởng: WooCommerce → Cài đặt → Nâng cao → REST API → Thêm khóa, "
            "quyền Read/Write → dán Consumer key và Consumer secret vào bên dưới (website phải "
            "dùng HTTPS).",
        ),
        (
            "In the WordPress admin: WooCommerce → Settings → Advanced → Webhooks → Add webhook.",
            "One webhook per topic below (Order created, Order updated, Product created, "
            "Product updated): Status Active, Delivery URL: the webhook URL above, Secret: a "
            "long random string, API version: WP REST API Integration v3 → Save webhook. "
            "WooCommerce pings the URL and rcommerce answers.",
            "Paste the same Secret as the webhook secret below; the shop domain is the site's "
            "domain.",
            "WooCommerce has no refund or fulfilment topic: “Order updated” carries both "
            "(completed → fulfilled; cancelled/refunded → refunded in full; each refund → a "
            "partial refund).",
            "For reward coupons: WooCommerce → Settings → Advanced → REST API → Add key, "
            "permissions Read/Write → paste the consumer key and secret below (the site must "
            "use HTTPS).",
        ),
    ),
    "haravan": (
        (
            "Đăng nhập trang quản trị Haravan bằng tài khoản chủ cửa hàng → Cài đặt → Thông báo "
            "→ kéo xuống cuối trang → Thêm webhook.",
            "Mỗi sự kiện một webhook: Đơn hàng được tạo, thanh toán, cập nhật, hoàn thành giao "
            "hàng, hủy; Sản phẩm được tạo, cập nhật (các chủ đề bên dưới); URL là địa chỉ "
            "webhook ở trên → Cập nhật.",
            "Sao chép “chuỗi xác thực webhook” hiện trên cùng trang vào ô Khóa bí mật webhook "
            "bên dưới.",
            "Webhook của ứng dụng (partners.haravan.com): đặt Callback URL là địa chỉ webhook và "
            "một Verify Token, rồi nhập đúng Verify Token đó bên dưới — Haravan kiểm tra nó "
            "trước khi đăng ký các chủ đề.",
            "Để tạo mã giảm giá thưởng: access token của ứng dụng riêng (private app) có quyền "
            "ghi khuyến mãi → ô Admin API token.",
        ),
        (
            "Log in to the Haravan admin with the owner account → Cài đặt (Settings) → Thông "
            "báo (Notifications) → scroll to the end → Thêm webhook (Add webhook).",
            "One webhook per event: orders created, paid, updated, fulfilled, cancelled; "
            "products created, updated (the topics below); URL: the webhook URL above → Cập "
            "nhật (Update).",
            "Copy the “chuỗi xác thực webhook” (webhook authentication string) shown on the "
            "same page into the webhook secret below.",
            "App webhooks (partners.haravan.com): set the Callback URL to the webhook URL and a "
            "Verify Token, then enter the same verify token below — Haravan checks it before "
            "subscribing the topics.",
            "For reward coupons: a private app's access token with permission to write "
            "discounts → Admin API token.",
        ),
    ),
    "sapo": (
        (
            "Sapo Web (*.mysapo.net): Cấu hình → Thông báo → Webhook (tên menu có thể khác tùy "
            "phiên bản) → thêm một webhook cho mỗi chủ đề bên dưới, URL là địa chỉ webhook ở "
            "trên.",
            "Dán khóa bí mật Sapo hiển thị cho webhook (hoặc secret của ứng dụng riêng) vào ô "
            "Khóa bí mật webhook; tên miền cửa hàng: ten-cua-hang.mysapo.net.",
            "Sapo GO / Omnichannel (*.mysapogo.com): webhook do ứng dụng đăng ký "
            "(developers.sapo.vn) với chủ đề orders/update, ký bằng secret của ứng dụng; tên "
            "miền: ten-cua-hang.mysapogo.com. Đơn từ TikTok, mạng xã hội và POS thường chỉ có "
            "số điện thoại: người mua được nhận biết qua số đó.",
            "Để tạo mã giảm giá thưởng (chỉ Sapo Web): access token của ứng dụng riêng, hoặc API "
            "key và secret, ở bên dưới. Sapo GO chưa có API khuyến mãi công khai: mã thưởng hiện "
            "là “không hỗ trợ”.",
        ),
        (
            "Sapo Web (*.mysapo.net): Cấu hình (Settings) → Thông báo (Notifications) → Webhook "
            "(menu names differ between admin versions) → add one webhook per topic below, "
            "URL: the webhook URL above.",
            "Paste the secret Sapo shows for the webhooks (or the private app's secret) as the "
            "webhook secret; shop domain: your-store.mysapo.net.",
            "Sapo GO / omnichannel (*.mysapogo.com): webhooks are registered by an app "
            "(developers.sapo.vn) with the topic orders/update and signed with the app's "
            "secret; shop domain: your-store.mysapogo.com. Orders from TikTok, social channels "
            "and POS often carry only a phone number: the buyer is known by it.",
            "For reward coupons (Sapo Web only): the private app's access token, or its API key "
            "and secret, below. Sapo GO has no public discount API: coupons show as "
            "unsupported.",
        ),
    ),
}


def steps(platform: str, locale: str) -> tuple[str, ...]:
    vi, en = STEPS[platform]
    return vi if locale == "vi" else en
