"""The dashboard's words in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Callable

STRINGS: dict[str, tuple[str, str]] = {
    # key: (vi, en)
    "dashboard": ("Bảng điều khiển", "Dashboard"),
    "overview": ("Tổng quan", "Overview"),
    "reviews": ("Kiểm duyệt đánh giá", "Review moderation"),
    "questions": ("Hỏi đáp sản phẩm", "Product questions"),
    "incentives": ("Ưu đãi đánh giá & Google", "Review incentives & Google"),
    "testimonials": ("Lời chứng thực", "Testimonials"),
    "advocates": ("Người giới thiệu", "Advocates"),
    "conversions": ("Chuyển đổi tạm giữ", "Held conversions"),
    "campaigns": ("Chiến dịch & thưởng", "Campaigns & rewards"),
    "report": ("Báo cáo truyền miệng", "Word-of-mouth report"),
    "segments": ("Nhóm khách hàng", "Customer segments"),
    "catalogue": ("Quà đổi điểm", "Points rewards"),
    "catalogue_intro": (
        "Người giới thiệu dùng điểm đã tích để đổi các phần quà này trong trang của họ; mỗi "
        "lần đổi tạo một mã giảm giá dùng một lần.",
        "Advocates spend the points they earned on these rewards in their portal; each one "
        "issues a single-use coupon code.",
    ),
    "catalogue_empty": ("Chưa có phần quà nào.", "No reward yet."),
    "points_settings": ("Cài đặt điểm", "Points settings"),
    "points_expire_days": (
        "Điểm hết hạn sau (ngày kể từ khi nhận; để trống nếu không bao giờ hết hạn)",
        "Points expire after (days from when they were earned; blank: never)",
    ),
    "points_per_order_amount": (
        "Điểm người giới thiệu nhận trên đơn hàng của chính họ, cho mỗi khoản dưới đây (để "
        "trống: không tặng điểm khi mua hàng)",
        "Points an advocate earns on their own orders, for each amount below (blank: no points "
        "for purchases)",
    ),
    "points_order_amount": ("Cho mỗi (số tiền của đơn hàng)", "For each (order amount)"),
    "leaderboard_enabled": (
        "Hiện bảng xếp hạng người giới thiệu (tên và chữ cái đầu của họ; ai không muốn có thể "
        "tự ẩn mình)",
        "Show the advocates' leaderboard (given name and family initial; anyone may keep off it)",
    ),
    "new_item": ("Thêm phần quà", "Add a reward"),
    "item_name": ("Tên phần quà", "Reward name"),
    "points_cost": ("Số điểm cần đổi", "Points it costs"),
    "coupon_value": (
        "Giá trị (phần trăm hoặc số tiền; để trống khi miễn phí vận chuyển)",
        "Value (percentage or amount; blank for free shipping)",
    ),
    "offered": ("Đang đổi được", "Offered"),
    "withdrawn": ("Đã ngừng", "Withdrawn"),
    "withdraw": ("Ngừng đổi", "Withdraw"),
    "offer_again": ("Cho đổi lại", "Offer again"),
    "segments_intro": (
        "Mỗi khách hàng (người mua, nhận diện bằng e-mail, nếu không có thì số điện thoại) được "
        "xếp vào các nhóm theo những gì cửa hàng ghi nhận: đơn hàng, mã giảm giá, giới thiệu, "
        "đánh giá. Một khách có thể thuộc nhiều nhóm hoặc không nhóm nào. Các nhóm được tính lại "
        "sáu giờ một lần và ngay sau khi bạn đổi ngưỡng.",
        "Each customer (a buyer, known by e-mail, else phone) is put in segments from what the "
        "store observed: orders, coupons, referrals, reviews. A customer may be in several "
        "segments or none. Segments are recomputed every six hours and soon after you change "
        "a threshold.",
    ),
    "segment_customers": ("Khách hàng", "Customers"),
    "segment_orders": ("Đơn hàng trong kỳ", "Orders in the period"),
    "segment_revenue": ("Doanh thu trong kỳ", "Revenue in the period"),
    "average_order_value": ("Giá trị đơn trung bình", "Average order value"),
    "segment_referral_rate": ("Tỷ lệ đơn được giới thiệu", "Share of orders referred"),
    "segment_review_rate": ("Tỷ lệ đơn có đánh giá", "Share of orders reviewed"),
    "revenue_share": ("Tỷ trọng doanh thu cửa hàng", "Share of the store's revenue"),
    "trend": ("So với kỳ trước", "Against the previous period"),
    "segment_rule": ("Quy tắc", "Rule"),
    "segment_reason": ("Vì sao", "Why"),
    "segment_figures": ("Số liệu", "Figures"),
    "segment_thresholds": ("Ngưỡng của các nhóm", "Segment thresholds"),
    "segments_computed": ("Tính lần cuối", "Last computed"),
    "segments_not_computed": (
        "Chưa tính lần nào: các nhóm sẽ có sau lần chạy đầu tiên.",
        "Not computed yet: segments appear after the first run.",
    ),
    "see_customers": ("Xem khách hàng", "See the customers"),
    "next_page": ("Trang sau", "Next page"),
    "no_customers": ("Chưa có khách hàng nào trong nhóm này.", "No customer in this segment yet."),
    "segments_chart": ("Doanh thu theo nhóm", "Revenue by segment"),
    "segment_referrals": ("Kết quả giới thiệu theo nhóm", "Referral results by segment"),
    "segment_referrals_intro": (
        "Người giới thiệu thuộc mỗi nhóm và những gì lời giới thiệu của họ mang lại trong kỳ: "
        "khách được giới thiệu (mỗi người mua tính một lần cho mỗi người giới thiệu), doanh thu "
        "các đơn đó, tỷ lệ chuyển đổi (người mua trên mỗi lượt nhấp duy nhất; người gõ mã cũng "
        "được tính nên có thể vượt 100%) và chi phí thưởng (tín dụng, mã giảm số tiền cố định, "
        "mã giảm phần trăm của bạn bè tính trên đơn; điểm tính riêng).",
        "The advocates in each segment and what their referrals brought in the period: referred "
        "buyers (each counted once per advocate), those orders' revenue, the conversion rate "
        "(buyers per unique click; buyers who typed a code count too, so it can pass 100%) and "
        "the rewards' cost (store credit, fixed-amount coupons, friends' percentage coupons on "
        "their order; points apart).",
    ),
    "segment_all_advocates": ("Toàn bộ chương trình", "The whole programme"),
    "referral_advocates": ("Người giới thiệu", "Advocates"),
    "referral_unique_clicks": ("Lượt nhấp duy nhất", "Unique clicks"),
    "referral_buyers": ("Khách được giới thiệu", "Referred buyers"),
    "referral_revenue": ("Doanh thu giới thiệu", "Referral revenue"),
    "referral_conversion": ("Tỷ lệ chuyển đổi", "Conversion rate"),
    "referral_rewards_cost": ("Chi phí thưởng", "Rewards cost"),
    "referral_points": ("Điểm thưởng", "Reward points"),
    "segment": ("Nhóm", "Segment"),
    "settings": ("Cài đặt cửa hàng", "Store settings"),
    "keys": ("Khóa API", "API keys"),
    "logout": ("Đăng xuất", "Log out"),
    "login": ("Đăng nhập", "Log in"),
    "login_title": ("Đăng nhập quản lý", "Manager login"),
    "email": ("E-mail", "E-mail"),
    "password": ("Mật khẩu", "Password"),
    "wrong_login": ("Sai e-mail hoặc mật khẩu.", "Wrong e-mail or password."),
    "too_many": (
        "Quá nhiều lần thử. Vui lòng đợi một lát rồi thử lại.",
        "Too many attempts. Please wait a moment and try again.",
    ),
    "csrf": (
        "Biểu mẫu đã hết hạn hoặc thiếu mã bảo mật. Hãy tải lại trang.",
        "The form expired or is missing its security token. Reload the page.",
    ),
    "language": ("Ngôn ngữ", "Language"),
    "saved": ("Đã lưu.", "Saved."),
    "approved": ("Đã duyệt.", "Approved."),
    "rejected": ("Đã từ chối.", "Rejected."),
    "replied": ("Đã gửi phản hồi.", "Reply saved."),
    "answered": ("Đã gửi câu trả lời.", "Answer sent."),
    "featured": ("Đã đưa lên lời chứng thực.", "Featured as a testimonial."),
    "blocked": ("Đã chặn người giới thiệu.", "Advocate blocked."),
    "unblocked": ("Đã bỏ chặn.", "Advocate unblocked."),
    "decided": ("Đã quyết định.", "Decision saved."),
    "from": ("Từ ngày", "From"),
    "to": ("Đến ngày", "To"),
    "group": ("Nhóm theo", "Group by"),
    "day": ("Ngày", "Day"),
    "week": ("Tuần", "Week"),
    "month": ("Tháng", "Month"),
    "show": ("Xem", "Show"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "definitions": ("Định nghĩa các chỉ số", "What each figure means"),
    "period": ("Kỳ", "Period"),
    "channels": ("Kênh chia sẻ", "Sharing channels"),
    "channel": ("Kênh", "Channel"),
    "share": ("Tỷ trọng", "Share"),
    "rating_distribution": ("Phân bố số sao", "Rating distribution"),
    "sentiment_mix": ("Cảm xúc của đánh giá", "Sentiment mix"),
    "praised": ("Được khen nhiều nhất", "Most praised"),
    "complained": ("Bị chê nhiều nhất", "Most complained about"),
    "aspect": ("Khía cạnh", "Aspect"),
    "mentions": ("Lượt nhắc", "Mentions"),
    "no_data": ("Chưa có dữ liệu trong kỳ này.", "No data in this period yet."),
    "trend_clicks": ("Lượt nhấp và đơn được giới thiệu", "Clicks and referred orders"),
    "trend_rating": ("Điểm trung bình theo thời gian", "Average rating over time"),
    "trend_sentiment": ("Cảm xúc theo thời gian", "Sentiment over time"),
    "trend_revenue": ("Doanh thu từ giới thiệu", "Referred revenue"),
    "status": ("Trạng thái", "Status"),
    "rating": ("Số sao", "Rating"),
    "author": ("Người viết", "Author"),
    "product": ("Sản phẩm", "Product"),
    "store_review": ("Đánh giá cửa hàng", "Store review"),
    "approve": ("Duyệt", "Approve"),
    "reject": ("Từ chối", "Reject"),
    "reason": ("Lý do", "Reason"),
    "reply": ("Phản hồi công khai", "Public reply"),
    "save_reply": ("Lưu phản hồi", "Save reply"),
    "feature": ("Đưa lên lời chứng thực", "Feature as testimonial"),
    "no_consent": ("Tác giả chưa đồng ý làm lời chứng thực", "No testimonial consent"),
    "flags": ("Dấu hiệu", "Flags"),
    "sentiment": ("Cảm xúc", "Sentiment"),
    "nothing_here": ("Không có gì ở đây.", "Nothing here."),
    "publish": ("Đăng", "Publish"),
    "unpublish": ("Gỡ xuống", "Unpublish"),
    "position": ("Vị trí", "Position"),
    "search": ("Tìm kiếm", "Search"),
    "search_hint": ("E-mail, tên hoặc mã giới thiệu", "E-mail, name or referral code"),
    "name": ("Tên", "Name"),
    "code": ("Mã giới thiệu", "Referral code"),
    "joined": ("Tham gia", "Joined"),
    "block": ("Chặn", "Block"),
    "unblock": ("Bỏ chặn", "Unblock"),
    "clicks": ("Lượt nhấp", "Clicks"),
    "unique_clicks": ("Lượt nhấp duy nhất", "Unique clicks"),
    "balance": ("Số dư", "Balance"),
    "rewards": ("Phần thưởng", "Rewards"),
    "conversion_list": ("Đơn được giới thiệu", "Referred orders"),
    "ledger": ("Sổ cái", "Ledger"),
    "order": ("Đơn hàng", "Order"),
    "total": ("Giá trị", "Total"),
    "reasons": ("Lý do tạm giữ", "Why it is held"),
    "note": ("Ghi chú", "Note"),
    "created": ("Tạo lúc", "Created"),
    "advocate": ("Người giới thiệu", "Advocate"),
    "save": ("Lưu", "Save"),
    "new_campaign": ("Chiến dịch mới", "New campaign"),
    "active": ("Đang chạy", "Active"),
    "default": ("Mặc định", "Default"),
    "advocate_reward": ("Thưởng cho người giới thiệu", "Advocate reward"),
    "friend_reward": ("Ưu đãi cho bạn bè", "Friend reward"),
    "kind": ("Loại", "Kind"),
    "value": ("Giá trị", "Value"),
    "min_order_total": ("Giá trị đơn tối thiểu", "Minimum order total"),
    "cap_per_advocate": ("Giới hạn thưởng mỗi người", "Rewards cap per advocate"),
    "cap_period_days": ("Trong số ngày", "Cap period (days)"),
    "attribution_window_days": ("Thời hạn ghi nhận (ngày)", "Attribution window (days)"),
    "hold_days": ("Thời gian giữ thưởng (ngày)", "Hold period (days)"),
    "velocity_limit": ("Giới hạn đơn mỗi IP mỗi ngày", "Referred orders per IP per day"),
    "allowed_origins": ("Tên miền được phép (mỗi dòng một)", "Allowed origins (one per line)"),
    "landing_url": ("Trang đích của liên kết giới thiệu", "Referral landing URL"),
    "webhook_url": ("Webhook URL", "Webhook URL"),
    "review_request_delay_days": (
        "Gửi e-mail mời đánh giá sau (ngày)",
        "Review-request e-mail after (days)",
    ),
    "store_locale": ("Ngôn ngữ của cửa hàng", "Store language"),
    "publishable_key": ("Khóa công khai", "Publishable key"),
    "secret_key": ("Khóa bí mật", "Secret key"),
    "secret_hint": (
        "Chỉ hiển thị phần đầu; khóa đầy đủ chỉ được hiện một lần khi tạo.",
        "Only its beginning is shown; the full key is shown once when it is made.",
    ),
    "rotated_at": ("Đổi lần cuối", "Last rotated"),
    "rotate": ("Tạo khóa bí mật mới", "Rotate the secret key"),
    "rotate_confirm": (
        "Tôi hiểu khóa cũ sẽ ngừng hoạt động ngay lập tức",
        "I understand the old key stops working at once",
    ),
    "rotate_needs_confirm": (
        "Hãy đánh dấu xác nhận trước khi đổi khóa.",
        "Tick the confirmation before rotating the key.",
    ),
    "new_secret": (
        "Khóa bí mật mới — sao chép ngay, nó sẽ không được hiển thị lại:",
        "The new secret key — copy it now, it will not be shown again:",
    ),
    "embed_snippet": ("Mã nhúng", "Embed snippet"),
    "last_30_days": ("30 ngày qua", "Last 30 days"),
    "open_report": ("Mở báo cáo đầy đủ", "Open the full report"),
    "pending_reviews": ("Đánh giá chờ duyệt", "Reviews waiting"),
    "held_conversions": ("Chuyển đổi tạm giữ", "Conversions held"),
    "erased_advocate": ("Người giới thiệu đã xóa dữ liệu", "Advocate (data erased)"),
    "approve_conversion": ("Duyệt chuyển đổi", "Approve"),
    "reject_conversion": ("Từ chối", "Reject"),
    "status_received": ("Đang kiểm tra", "Being checked"),
    "status_pending": ("Chờ duyệt", "Waiting"),
    "status_published": ("Đã đăng", "Published"),
    "status_rejected": ("Đã từ chối", "Rejected"),
    "status_unpublished": ("Đã gỡ", "Unpublished"),
    "status_active": ("Hoạt động", "Active"),
    "status_blocked": ("Bị chặn", "Blocked"),
    "status_opted_out": ("Đã rời chương trình", "Opted out"),
    "honest_note": (
        "Đánh giá tiêu cực trung thực luôn được giữ lại; chỉ từ chối vì một trong các lý do dưới đây.",
        "Honest negative reviews stay; reject only for one of the reasons below.",
    ),
    "previous": ("Trước", "Previous"),
    "next": ("Tiếp", "Next"),
    "not_found": ("Không tìm thấy.", "Not found."),
    "forbidden_title": ("Yêu cầu bị từ chối", "Request refused"),
    "back": ("Quay lại", "Back"),
    "chart_table": ("Xem bảng số liệu", "Show the figures as a table"),
    "form_has_errors": (
        "Chưa lưu: hãy sửa các ô được đánh dấu bên dưới.",
        "Not saved: correct the fields marked below.",
    ),
    "segment_offers": ("Ưu đãi theo nhóm khách hàng", "Offers by customer segment"),
    "segment_offers_hint": (
        "Người giới thiệu thuộc một nhóm nhận thưởng của nhóm đó, và mã cho bạn bè của họ mang ưu "
        "đãi của nhóm đó; thuộc nhiều nhóm thì nhóm đầu tiên trong danh sách được áp dụng. Để "
        "trống là giữ điều kiện của chiến dịch.",
        "An advocate in a segment earns that segment's reward, and their friends' code carries "
        "its friend offer; in several segments, the first listed applies. Leave a side empty to "
        "keep the campaign's own terms.",
    ),
    "campaign_terms": ("Như chiến dịch", "The campaign's"),
    "percent_hint": (
        "Với mã giảm phần trăm, giá trị là số phần trăm (0 đến 100).",
        "For a percentage coupon the value is the percentage (0 to 100).",
    ),
    "referred_revenue": ("Doanh thu giới thiệu", "Referred revenue"),
    "coupon": ("Mã giảm giá", "Coupon code"),
    "attributed_by": ("Ghi nhận qua", "Attributed by"),
    "recent_clicks": ("Lượt nhấp gần đây", "Recent clicks"),
    "unique_visitor": ("Người xem mới", "New visitor"),
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "amount": ("Số tiền", "Amount"),
    "buyer": ("Người mua", "Buyer"),
    "erased_data": ("dữ liệu đã xóa", "data erased"),
    "move_up": ("Đưa lên trên", "Move up"),
    "move_down": ("Đưa xuống dưới", "Move down"),
    "moved": ("Đã đổi thứ tự.", "Order changed."),
    "change_password": ("Đổi mật khẩu", "Change password"),
    "current_password": ("Mật khẩu hiện tại", "Current password"),
    "new_password": ("Mật khẩu mới (ít nhất 10 ký tự)", "New password (at least 10 characters)"),
    "new_password_again": ("Nhập lại mật khẩu mới", "New password again"),
    "password_too_short": (
        "Mật khẩu mới cần ít nhất 10 ký tự.",
        "The new password needs at least 10 characters.",
    ),
    "password_mismatch": (
        "Hai lần nhập mật khẩu mới không giống nhau.",
        "The two new passwords differ.",
    ),
    "password_wrong": ("Mật khẩu hiện tại không đúng.", "The current password is wrong."),
    "password_note": (
        "Sau khi đổi, mọi phiên đăng nhập khác (trên máy khác) sẽ kết thúc.",
        "Once changed, every other session (on other devices) ends.",
    ),
    "password_changed": (
        "Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.",
        "Password changed. Every other session has ended.",
    ),
    # Refusals, by error code (the page never shows a developer's message).
    "refused_invalid": (
        "Yêu cầu có giá trị không hợp lệ. Hãy quay lại và thử lại.",
        "The request had a value that is not valid. Go back and try again.",
    ),
    "refused_not_found": (
        "Không tìm thấy mục này trong cửa hàng của bạn.",
        "This item is not in your store.",
    ),
    "refused_forbidden": ("Bạn không thể làm việc này.", "You cannot do this."),
    "refused_conflict": (
        "Không thể làm việc này ở trạng thái hiện tại.",
        "This cannot be done in the current state.",
    ),
    "refused_invalid_reason": (
        "Hãy chọn một lý do trong danh sách.",
        "Choose one of the listed reasons.",
    ),
    "refused_too_large": ("Biểu mẫu quá lớn.", "The form is too large."),
    "refused_rate_limited": (
        "Quá nhiều yêu cầu. Vui lòng đợi một lát.",
        "Too many requests. Please wait a moment.",
    ),
    "store": ("Cửa hàng", "Store"),
    "timezone": ("Múi giờ", "Time zone"),
    "currency": ("Tiền tệ", "Currency"),
    "connectors": ("Kết nối nền tảng bán hàng", "Store connectors"),
    "connectors_intro": (
        "Kết nối Haravan, Sapo, Shopify hoặc WooCommerce: đơn hàng, giao hàng, hoàn tiền và "
        "sản phẩm tự chảy về rcommerce (có ký xác thực, không bao giờ ghi nhận hai lần), và mã "
        "giảm giá thưởng được tạo sẵn trong trang thanh toán của cửa hàng.",
        "Connect Haravan, Sapo, Shopify or WooCommerce: orders, fulfilments, refunds and "
        "products flow into rcommerce by themselves (signed, never counted twice), and reward "
        "coupons are created at the shop's checkout.",
    ),
    "connected": ("Đã kết nối", "Connected"),
    "not_connected": ("Chưa kết nối", "Not connected"),
    "webhook_address": (
        "Địa chỉ webhook (dán vào nền tảng)",
        "Webhook URL (paste it into the platform)",
    ),
    "topics": ("Chủ đề cần đăng ký", "Topics to subscribe"),
    "setup_steps": ("Các bước cài đặt", "How to set it up"),
    "last_delivery": ("Lần nhận gần nhất", "Last delivery"),
    "never": ("Chưa có", "None yet"),
    "deliveries": ("Số lần nhận", "Deliveries"),
    "refused_signatures": ("Chữ ký bị từ chối", "Refused signatures"),
    "refused_hint": (
        "Chữ ký sai thường do khóa bí mật không khớp: dán lại khóa đúng bên dưới.",
        "Refused signatures usually mean the secret does not match: paste the right one below.",
    ),
    "coupon_sync": ("Đồng bộ mã giảm giá", "Coupon sync"),
    "coupon_created": ("đã tạo", "created"),
    "coupon_pending": ("đang tạo", "pending"),
    "coupon_failed": ("lỗi", "failed"),
    "coupon_unsupported": ("không hỗ trợ", "unsupported"),
    "webhook_secret": ("Khóa bí mật webhook", "Webhook secret"),
    "webhook_secret_needed": (
        "Cần khóa bí mật mà nền tảng dùng để ký webhook (lần lưu đầu tiên).",
        "The secret the platform signs its webhooks with is needed (the first time).",
    ),
    "verify_token": (
        "Verify Token (webhook ứng dụng Haravan)",
        "Verify token (Haravan app webhooks)",
    ),
    "shop_domain": ("Tên miền cửa hàng", "Shop domain"),
    "admin_api": ("Admin API (để tạo mã giảm giá thưởng)", "Admin API (to create reward coupons)"),
    "admin_api_set": ("Đã lưu quyền truy cập Admin API.", "Admin API access is saved."),
    "base_url": (
        "Địa chỉ Admin API (để trống: theo tên miền)",
        "Admin API URL (blank: from the domain)",
    ),
    "access_token": ("Admin API token", "Admin API token"),
    "api_key": ("API key / Consumer key", "API key / consumer key"),
    "api_secret": ("API secret / Consumer secret", "API secret / consumer secret"),
    "blank_keeps": (
        "Ô để trống giữ nguyên giá trị đã lưu; khóa bí mật không bao giờ được hiển thị lại.",
        "Blank fields keep what is saved; secrets are never shown again.",
    ),
    "save_connector": ("Lưu kết nối", "Save the connector"),
}


def translator(locale: str) -> Callable[[str], str]:
    index = 0 if locale == "vi" else 1

    def t(key: str) -> str:
        pair = STRINGS.get(key)
        return pair[index] if pair else key

    return t
