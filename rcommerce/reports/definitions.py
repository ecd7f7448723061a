"""Every figure of the word-of-mouth report: its name and definition in English and Vietnamese
(what docs/reports.md explains), the columns of the periods table, and the report's tables."""

from __future__ import annotations

# metric -> (English name, Vietnamese name, English definition, Vietnamese definition)
DEFINITIONS: dict[str, tuple[str, str, str, str]] = {
    "advocates_joined": (
        "Advocates joined",
        "Người giới thiệu mới",
        "Shoppers who joined the referral programme in the period.",
        "Số khách tham gia chương trình giới thiệu trong kỳ.",
    ),
    "customers": (
        "Customers",
        "Khách mua hàng",
        "Distinct e-mail addresses with at least one order (not refunded) in the period.",
        "Số địa chỉ e-mail khác nhau có ít nhất một đơn (không hoàn tiền) trong kỳ.",
    ),
    "referrers": (
        "Advocates who referred",
        "Người đã giới thiệu thành công",
        "Distinct advocates with at least one referred order in the period.",
        "Số người giới thiệu khác nhau có ít nhất một đơn được giới thiệu trong kỳ.",
    ),
    "referred_customers": (
        "Referred customers",
        "Khách được giới thiệu",
        "Distinct customers with at least one referred order in the period.",
        "Số khách khác nhau có ít nhất một đơn được giới thiệu trong kỳ.",
    ),
    "referral_rate": (
        "Referral rate",
        "Tỷ lệ khách được giới thiệu",
        "Referred customers ÷ customers: the share of the period's customers who came through "
        "a referral (link, code or friend coupon).",
        "Khách được giới thiệu ÷ khách mua hàng: tỷ lệ khách trong kỳ đến nhờ giới thiệu "
        "(liên kết, mã hoặc mã giảm giá bạn bè).",
    ),
    "sharing_advocates": (
        "Advocates who shared",
        "Người đã chia sẻ",
        "Distinct advocates whose referral link was opened at least once in the period.",
        "Số người giới thiệu khác nhau có liên kết được mở ít nhất một lần trong kỳ.",
    ),
    "clicks": (
        "Clicks",
        "Lượt nhấp",
        "Every visit through a referral link by a person (link-preview bots are not counted).",
        "Mọi lượt truy cập qua liên kết giới thiệu của người thật (không tính bot xem trước liên kết).",
    ),
    "unique_clicks": (
        "Unique clicks",
        "Lượt nhấp duy nhất",
        "Clicks counted once per visitor and link: the invites that reached someone.",
        "Lượt nhấp tính một lần cho mỗi người xem và liên kết: số lời mời đến được người nhận.",
    ),
    "referred_orders": (
        "Referred orders",
        "Đơn được giới thiệu",
        "Orders attributed to an advocate (pending, held or approved; not refunded, not rejected as fraud).",
        "Đơn được ghi nhận cho người giới thiệu (chờ, tạm giữ hoặc đã duyệt; không hoàn tiền, không bị từ chối vì gian lận).",
    ),
    "referred_orders_by_click": (
        "Referred by a click",
        "Giới thiệu qua lượt nhấp",
        "Referred orders that came through a click on a referral link (the signed referral the shop kept from it).",
        "Đơn được giới thiệu đến qua một lượt nhấp vào liên kết giới thiệu (mã giới thiệu đã ký mà cửa hàng giữ lại).",
    ),
    "referred_orders_by_code": (
        "Referred by a typed code",
        "Giới thiệu qua mã nhập tay",
        "Referred orders attributed by a referral code typed at checkout, without a click.",
        "Đơn được giới thiệu nhờ mã giới thiệu nhập khi thanh toán, không qua lượt nhấp.",
    ),
    "referred_orders_by_coupon": (
        "Referred by a friend coupon",
        "Giới thiệu qua mã giảm giá bạn bè",
        "Referred orders attributed by the friend's welcome coupon alone, without a click.",
        "Đơn được giới thiệu chỉ nhờ mã giảm giá chào mừng của bạn bè, không qua lượt nhấp.",
    ),
    "converted_clicks": (
        "Converted clicks",
        "Lượt nhấp chuyển đổi",
        "Unique clicks of the period that led to a referred order (through the referral the click gave), "
        "counted on the day of the click and at most once each.",
        "Lượt nhấp duy nhất trong kỳ dẫn đến một đơn được giới thiệu (qua mã giới thiệu của lượt nhấp), "
        "tính vào ngày nhấp và nhiều nhất một lần mỗi lượt.",
    ),
    "conversion_rate": (
        "Click conversion",
        "Tỷ lệ chuyển đổi lượt nhấp",
        "Converted clicks ÷ unique clicks: the share of invites that reached someone and led to "
        "an order. Orders by a typed code or coupon had no click and are counted beside it, "
        "never divided by clicks; it never exceeds 1.",
        "Lượt nhấp chuyển đổi ÷ lượt nhấp duy nhất: tỷ lệ lời mời đến được người nhận và dẫn "
        "đến đơn hàng. Đơn qua mã nhập tay hoặc mã giảm giá không có lượt nhấp nên được tính "
        "riêng, không chia cho lượt nhấp; tỷ lệ không bao giờ vượt quá 1.",
    ),
    "orders": (
        "All orders",
        "Tất cả đơn hàng",
        "Orders the store reported in the period, refunded ones excluded.",
        "Số đơn cửa hàng gửi trong kỳ, trừ đơn đã hoàn tiền.",
    ),
    "revenue": (
        "All revenue",
        "Tổng doanh thu",
        "Total of those orders.",
        "Tổng giá trị các đơn đó.",
    ),
    "referred_revenue": (
        "Referred revenue",
        "Doanh thu từ giới thiệu",
        "Total of the referred orders.",
        "Tổng giá trị các đơn được giới thiệu.",
    ),
    "referred_revenue_share": (
        "Share of revenue",
        "Tỷ trọng doanh thu",
        "Referred revenue ÷ all revenue.",
        "Doanh thu từ giới thiệu ÷ tổng doanh thu.",
    ),
    "reward_cost": (
        "Reward cost",
        "Chi phí thưởng",
        "Rewards earned on the period's referred orders, both sides, unless voided or clawed "
        "back: credit and fixed coupons at face value, percentage coupons valued on the referred "
        "order. Points are counted apart.",
        "Phần thưởng phát sinh từ các đơn được giới thiệu trong kỳ, cho cả hai bên, trừ phần đã "
        "hủy hoặc thu hồi: tín dụng và phiếu giảm cố định tính theo mệnh giá, phiếu giảm theo % "
        "tính trên đơn được giới thiệu. Điểm thưởng tính riêng.",
    ),
    "reward_points": (
        "Reward points",
        "Điểm thưởng",
        "Points rewards earned in the period (not money, so not in the cost).",
        "Điểm thưởng phát sinh trong kỳ (không phải tiền nên không tính vào chi phí).",
    ),
    "roi": (
        "ROI",
        "ROI (lợi tức)",
        "(Referred revenue − reward cost) ÷ reward cost.",
        "(Doanh thu từ giới thiệu − chi phí thưởng) ÷ chi phí thưởng.",
    ),
    "invites_per_advocate": (
        "Invites per advocate",
        "Lời mời mỗi người",
        "Unique clicks ÷ advocates who shared: the invites each sharing advocate's links "
        "delivered.",
        "Lượt nhấp duy nhất ÷ người đã chia sẻ: số lời mời mà liên kết của mỗi người chia sẻ "
        "đưa đến người nhận.",
    ),
    "invite_conversion": (
        "Conversion of invites",
        "Chuyển đổi lời mời",
        "Converted clicks ÷ unique clicks (the click conversion).",
        "Lượt nhấp chuyển đổi ÷ lượt nhấp duy nhất (tỷ lệ chuyển đổi lượt nhấp).",
    ),
    "k_factor": (
        "K-factor",
        "Hệ số K",
        "Invites per advocate × conversion of invites: the new customers each sharing advocate "
        "brought through their links (orders by a typed code or coupon are not in it).",
        "Lời mời mỗi người × chuyển đổi lời mời: số khách mới mỗi người chia sẻ mang lại qua "
        "liên kết của họ (đơn qua mã nhập tay hoặc mã giảm giá không tính vào đây).",
    ),
    "reviews": (
        "Reviews received",
        "Đánh giá nhận được",
        "Reviews written in the period, except those rejected by moderation (spam, abuse).",
        "Số đánh giá được viết trong kỳ, trừ đánh giá bị kiểm duyệt từ chối (spam, lạm dụng).",
    ),
    "average_rating": (
        "Average rating",
        "Điểm trung bình",
        "Mean star rating of those reviews.",
        "Số sao trung bình của các đánh giá đó.",
    ),
    "positive": (
        "Positive",
        "Tích cực",
        "Reviews scored positive by sentiment analysis.",
        "Đánh giá được phân tích cảm xúc là tích cực.",
    ),
    "neutral": (
        "Neutral",
        "Trung lập",
        "Reviews scored neutral.",
        "Đánh giá trung lập.",
    ),
    "negative": (
        "Negative",
        "Tiêu cực",
        "Reviews scored negative.",
        "Đánh giá tiêu cực.",
    ),
    "reply_rate": (
        "Reply rate",
        "Tỷ lệ phản hồi",
        "Reviews with a public reply from the store ÷ reviews received.",
        "Đánh giá có phản hồi công khai của cửa hàng ÷ đánh giá nhận được.",
    ),
    "reply_hours": (
        "Time to reply",
        "Thời gian phản hồi",
        "Average hours from a review to the store's reply.",
        "Số giờ trung bình từ lúc có đánh giá đến khi cửa hàng phản hồi.",
    ),
    "aspects": (
        "Praised and complained about",
        "Được khen và bị chê",
        "Aspects (delivery, quality, price, service, packaging, ...) a review speaks of with a "
        "clear polarity (aspect score at least 0.05 either way), with quotes from published reviews "
        "whose mention the scorer is confident of (possible sarcasm is never quoted as praise).",
        "Các khía cạnh (giao hàng, chất lượng, giá, phục vụ, đóng gói, ...) được nhắc tới với thái "
        "độ rõ ràng (điểm khía cạnh từ 0,05 trở lên theo mỗi chiều), kèm trích dẫn từ đánh giá đã đăng "
        "mà bộ chấm điểm chắc chắn (đánh giá có thể mỉa mai không bao giờ được trích là lời khen).",
    ),
    "top_advocates": (
        "Top advocates",
        "Người giới thiệu hàng đầu",
        "Advocates ranked by referred revenue in the period, with their referred orders, reward "
        "cost and clicks.",
        "Người giới thiệu xếp theo doanh thu từ giới thiệu trong kỳ, kèm số đơn, chi phí thưởng "
        "và lượt nhấp.",
    ),
}

PERIOD_COLUMNS = (
    "advocates_joined",
    "customers",
    "referred_customers",
    "referrers",
    "referral_rate",
    "sharing_advocates",
    "clicks",
    "unique_clicks",
    "referred_orders",
    "referred_orders_by_click",
    "referred_orders_by_code",
    "referred_orders_by_coupon",
    "converted_clicks",
    "conversion_rate",
    "orders",
    "revenue",
    "referred_revenue",
    "referred_revenue_share",
    "reward_cost",
    "reward_points",
    "roi",
    "invites_per_advocate",
    "invite_conversion",
    "k_factor",
    "reviews",
    "average_rating",
    "rating_1",
    "rating_2",
    "rating_3",
    "rating_4",
    "rating_5",
    "positive",
    "neutral",
    "negative",
    "unscored",
    "replied",
    "reply_rate",
    "reply_hours",
)
TABLES = ("periods", "channels", "top_advocates", "ratings", "sentiment", "aspects")
