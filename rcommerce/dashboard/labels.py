"""Words for every code the dashboard shows (statuses, reasons, flags, reward kinds, channels,
sentiments, aspects, ledger lines), in Vietnamese and English: a manager never reads a raw code.

A code no list here knows yet (a new rule, a new channel) is shown in words made from the code
("new rule"), never with its underscores.
"""

from __future__ import annotations

from collections.abc import Callable

# group -> code -> (vi, en)
LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "review_status": {
        "received": ("Đang kiểm tra", "Being checked"),
        "pending": ("Chờ duyệt", "Waiting"),
        "published": ("Đã đăng", "Published"),
        "rejected": ("Đã từ chối", "Rejected"),
        "unpublished": ("Đã gỡ", "Unpublished"),
    },
    "advocate_status": {
        "active": ("Hoạt động", "Active"),
        "blocked": ("Bị chặn", "Blocked"),
        "opted_out": ("Đã rời chương trình", "Opted out"),
        "erased": ("Đã xóa dữ liệu", "Data erased"),
    },
    "conversion_status": {
        "pending": ("Chờ hết hạn đổi trả", "Waiting for the returns window"),
        "held": ("Tạm giữ chờ duyệt", "Held for review"),
        "approved": ("Đã duyệt", "Approved"),
        "rejected": ("Đã từ chối", "Rejected"),
        "reversed": ("Đã hoàn đơn", "Reversed (refunded)"),
        "ineligible": ("Không đủ điều kiện", "Not eligible"),
    },
    "reward_status": {
        "pending": ("Đang chờ", "Pending"),
        "approved": ("Đã duyệt", "Approved"),
        "issued": ("Đã trao", "Issued"),
        "redeemed": ("Đã dùng", "Redeemed"),
        "void": ("Đã hủy", "Void"),
        "clawed_back": ("Đã thu hồi", "Clawed back"),
    },
    "coupon_status": {
        "active": ("Chưa dùng", "Not used yet"),
        "used": ("Đã dùng", "Used"),
        "void": ("Đã hủy", "Cancelled"),
    },
    # Why a conversion is held (fraud rules) or earns nothing (campaign rules).
    "reason": {
        "self_referral_email": ("Tự giới thiệu (cùng e-mail)", "Self-referral (same e-mail)"),
        "self_referral_phone": (
            "Tự giới thiệu (cùng số điện thoại)",
            "Self-referral (same phone number)",
        ),
        "self_referral_visitor": (
            "Tự giới thiệu (cùng trình duyệt)",
            "Self-referral (same browser)",
        ),
        "self_referral_device": (
            "Tự giới thiệu (cùng thiết bị và mạng)",
            "Self-referral (same device and network)",
        ),
        "velocity": ("Quá nhiều đơn từ một địa chỉ IP", "Too many orders from one IP address"),
        "disposable_email": ("E-mail dùng một lần", "Disposable e-mail address"),
        "advocate_blocked": ("Người giới thiệu bị chặn", "Advocate blocked"),
        "advocate_opted_out": ("Người giới thiệu đã rời chương trình", "Advocate opted out"),
        "advocate_erased": ("Người giới thiệu đã xóa dữ liệu", "Advocate's data erased"),
        "campaign_inactive": ("Chiến dịch không hoạt động", "Campaign not running"),
        "below_minimum": ("Dưới giá trị đơn tối thiểu", "Below the minimum order total"),
        "returning_customer": ("Khách đã từng mua", "Returning customer"),
        "cap_reached": ("Đã đạt giới hạn thưởng", "Reward cap reached"),
    },
    # Why a review or testimonial is rejected or taken down.
    "reject_reason": {
        "spam": ("Quảng cáo, spam", "Spam or advertising"),
        "abuse": ("Lăng mạ, xúc phạm", "Abuse or insults"),
        "off_topic": ("Lạc đề", "Off topic"),
        "personal_data": ("Chứa dữ liệu cá nhân", "Contains personal data"),
        "fake": ("Không phải khách thật", "Fake or undisclosed incentive"),
        "duplicate": ("Trùng lặp", "Duplicate"),
        "conflict_of_interest": ("Xung đột lợi ích", "Conflict of interest"),
        "illegal": ("Nội dung trái pháp luật", "Unlawful content"),
        "author_request": ("Tác giả yêu cầu gỡ", "The author asked for removal"),
        "other": ("Lý do khác", "Other"),
    },
    # Why a submission waits for a human (or was refused at once).
    "flag": {
        "profanity": ("Từ ngữ thô tục", "Profanity"),
        "link": ("Có đường dẫn", "Contains a link"),
        "links": ("Nhiều đường dẫn", "Several links"),
        "near_duplicate": ("Gần trùng đánh giá khác", "Nearly a duplicate"),
        "duplicate": ("Trùng lặp", "Duplicate"),
        "velocity": ("Gửi quá nhiều", "Too many submissions"),
        "personal_data": ("Có dữ liệu cá nhân", "Personal data"),
        "rating_mismatch": ("Số sao trái với nội dung", "Stars and text disagree"),
        "honeypot": ("Bẫy chống bot", "Bot trap"),
    },
    "answer_mark": {
        "shop": ("Cửa hàng", "Shop"),
        "verified_buyer": ("Người mua đã xác minh", "Verified buyer"),
    },
    "reward_kind": {
        "store_credit": ("Tín dụng mua hàng", "Store credit"),
        "coupon_fixed": ("Mã giảm số tiền", "Fixed-amount coupon"),
        "coupon_percent": ("Mã giảm phần trăm", "Percentage coupon"),
        "points": ("Điểm thưởng", "Points"),
        "free_shipping": ("Miễn phí vận chuyển", "Free shipping"),
    },
    "channel": {
        "zalo": ("Zalo", "Zalo"),
        "facebook": ("Facebook", "Facebook"),
        "messenger": ("Messenger", "Messenger"),
        "whatsapp": ("WhatsApp", "WhatsApp"),
        "sms": ("SMS", "SMS"),
        "email": ("E-mail", "E-mail"),
        "qr": ("Mã QR", "QR code"),
        "copy": ("Sao chép liên kết", "Copied link"),
        "direct": ("Trực tiếp", "Direct"),
    },
    "sentiment": {
        "positive": ("Tích cực", "Positive"),
        "neutral": ("Trung lập", "Neutral"),
        "negative": ("Tiêu cực", "Negative"),
        "unscored": ("Chưa chấm điểm", "Not scored"),
    },
    "aspect": {
        "delivery": ("Giao hàng", "Delivery"),
        "quality": ("Chất lượng", "Quality"),
        "price": ("Giá cả", "Price"),
        "service": ("Phục vụ", "Service"),
        "packaging": ("Đóng gói", "Packaging"),
        "matches_description": ("Đúng mô tả", "Matches the description"),
    },
    "ledger_kind": {
        "reward": ("Thưởng", "Reward"),
        "clawback": ("Thu hồi (đơn hoàn)", "Clawback (refund)"),
        "redemption": ("Đổi thưởng", "Redemption"),
        "expire": ("Điểm hết hạn", "Points expired"),
    },
    "unit": {
        "credit": ("Tín dụng", "Credit"),
        "points": ("Điểm", "Points"),
    },
    "attributed_by": {
        "token": ("Liên kết giới thiệu", "Referral link"),
        "code": ("Mã giới thiệu", "Referral code"),
        "coupon": ("Mã giảm giá của bạn bè", "Friend's coupon"),
    },
    "segment": {
        "convenience": ("Mua nhanh, tiện lợi", "Convenience shoppers"),
        "information_seekers": ("Tìm hiểu kỹ", "Information seekers"),
        "bargain_hunters": ("Săn ưu đãi", "Bargain hunters"),
        "sociables": ("Thích chia sẻ", "Sociables"),
        "routine": ("Mua đều đặn", "Routine shoppers"),
        "entertainment": ("Mê hàng mới, giải trí", "Entertainment and trend fans"),
    },
    # Which test of a segment's rule a customer passed.
    "segment_test": {
        "coupon_share": ("Phần lớn đơn dùng ưu đãi", "Most orders used a discount"),
        "referred_buyers": ("Đã giới thiệu người mua", "Referred buyers"),
        "clicks": ("Liên kết được bấm nhiều", "Their link brought clicks"),
        "helpful_votes": ("Đánh giá được bình chọn hữu ích", "Reviews voted helpful"),
        "regular_orders": ("Đơn hàng đều đặn", "Regular orders"),
        "questions": ("Đặt câu hỏi về sản phẩm", "Asked questions"),
        "days_to_decide": ("Cân nhắc nhiều ngày trước khi mua", "Took days to decide"),
        "quick_first_order": ("Mua ngay sau khi bấm liên kết", "Bought right after the click"),
        "marked_categories": ("Mua chủ yếu hàng mới, giải trí", "Buys mostly new or fun items"),
    },
    # The figures a segment's rule compared.
    "segment_figure": {
        "orders": ("Số đơn", "Orders"),
        "coupon_orders": ("Đơn dùng ưu đãi", "Orders with a discount"),
        "coupon_share": ("Tỷ lệ đơn dùng ưu đãi", "Share of orders with a discount"),
        "referred_buyers": ("Người mua được giới thiệu", "Buyers referred"),
        "clicks": ("Lượt bấm liên kết", "Clicks on their link"),
        "helpful_votes": ("Bình chọn hữu ích", "Helpful votes"),
        "average_gap_days": ("Khoảng cách trung bình (ngày)", "Average gap (days)"),
        "irregularity": ("Độ lệch khoảng cách", "Irregularity of the gaps"),
        "questions": ("Câu hỏi đã đặt", "Questions asked"),
        "days_to_decide": ("Số ngày cân nhắc", "Days to decide"),
        "minutes_to_first_order": ("Phút từ lúc bấm đến lúc mua", "Minutes from click to order"),
        "items": ("Sản phẩm đã mua", "Items bought"),
        "marked_items": ("Sản phẩm thuộc danh mục đánh dấu", "Items in marked categories"),
        "marked_share": ("Tỷ lệ thuộc danh mục đánh dấu", "Share in marked categories"),
    },
    "segment_threshold": {
        "bargain_min_coupon_orders": (
            "Săn ưu đãi: số đơn dùng ưu đãi tối thiểu",
            "Bargain hunters: fewest orders with a discount",
        ),
        "bargain_min_coupon_share": (
            "Săn ưu đãi: tỷ lệ đơn dùng ưu đãi tối thiểu (%)",
            "Bargain hunters: smallest share of orders with a discount (%)",
        ),
        "sociable_min_referred_buyers": (
            "Thích chia sẻ: số người mua được giới thiệu tối thiểu",
            "Sociables: fewest buyers referred",
        ),
        "sociable_min_clicks": (
            "Thích chia sẻ: số lượt bấm liên kết tối thiểu",
            "Sociables: fewest clicks on their link",
        ),
        "sociable_min_helpful_votes": (
            "Thích chia sẻ: số bình chọn hữu ích tối thiểu",
            "Sociables: fewest helpful votes",
        ),
        "routine_min_orders": ("Mua đều đặn: số đơn tối thiểu", "Routine: fewest orders"),
        "routine_max_gap_days": (
            "Mua đều đặn: khoảng cách trung bình tối đa (ngày)",
            "Routine: longest average gap (days)",
        ),
        "routine_max_irregularity": (
            "Mua đều đặn: độ lệch tối đa (%)",
            "Routine: most irregularity (%)",
        ),
        "information_min_questions": (
            "Tìm hiểu kỹ: số câu hỏi tối thiểu",
            "Information seekers: fewest questions",
        ),
        "information_min_days_to_decide": (
            "Tìm hiểu kỹ: số ngày cân nhắc tối thiểu",
            "Information seekers: fewest days to decide",
        ),
        "convenience_max_minutes": (
            "Mua nhanh: số phút tối đa từ lúc bấm đến lúc mua",
            "Convenience: most minutes from click to order",
        ),
        "entertainment_categories": (
            "Hàng mới, giải trí: danh mục được đánh dấu (cách nhau bằng dấu phẩy)",
            "Entertainment: marked categories (separated by commas)",
        ),
        "entertainment_min_share": (
            "Hàng mới, giải trí: tỷ lệ tối thiểu (%)",
            "Entertainment: smallest share (%)",
        ),
    },
}


def label(locale: str, group: str, code: str | None) -> str:
    """The words for ``code`` in ``group``; unknown codes become words, not snake_case."""
    if not code:
        return ""
    pair = LABELS.get(group, {}).get(code)
    if pair is not None:
        return pair[0] if locale == "vi" else pair[1]
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def labeller(locale: str) -> Callable[[str, str | None], str]:
    return lambda group, code: label(locale, group, code)
