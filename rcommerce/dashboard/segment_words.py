"""The segments in the manager's words: each segment's name and rule with the store's current
thresholds written in, the tests a membership matched and the figures it compared."""

from __future__ import annotations

from typing import Any

from rcommerce.dashboard import numbers

# segment -> (vi, en) rule, with the thresholds' names as fields
RULES: dict[str, tuple[str, str]] = {
    "convenience": (
        "Mua trong vòng {convenience_max_minutes} phút sau lần bấm liên kết giới thiệu đã đưa "
        "họ đến, chưa từng dùng mã giảm giá và chưa đặt câu hỏi nào: mua nhanh, đơn giản.",
        "Bought within {convenience_max_minutes} minutes of the referral click that brought "
        "them, never used a coupon and asked no question: a simple, fast purchase.",
    ),
    "information_seekers": (
        "Đã hỏi ít nhất {information_min_questions} câu về sản phẩm (khi cửa hàng có hỏi đáp), "
        "hoặc đặt đơn đầu tiên từ {information_min_days_to_decide} ngày trở lên sau lần bấm "
        "liên kết giới thiệu: tìm hiểu, so sánh trước khi mua.",
        "Asked at least {information_min_questions} question(s) about products (when the store "
        "has questions and answers), or placed their first order "
        "{information_min_days_to_decide} days or more after the referral click: they read and "
        "compare before buying.",
    ),
    "bargain_hunters": (
        "Ít nhất {bargain_min_coupon_orders} đơn, và ít nhất {bargain_min_coupon_share}% số "
        "đơn, có dùng mã giảm giá hoặc ưu đãi giới thiệu.",
        "At least {bargain_min_coupon_orders} orders, and at least "
        "{bargain_min_coupon_share}% of their orders, used a coupon or a referral discount.",
    ),
    "sociables": (
        "Đã giới thiệu ít nhất {sociable_min_referred_buyers} người mua, hoặc liên kết giới "
        "thiệu của họ có ít nhất {sociable_min_clicks} lượt bấm, hoặc đánh giá của họ được "
        "bình chọn hữu ích ít nhất {sociable_min_helpful_votes} lần.",
        "Referred at least {sociable_min_referred_buyers} buyer(s), or their referral link "
        "brought at least {sociable_min_clicks} clicks, or their reviews were voted helpful at "
        "least {sociable_min_helpful_votes} times.",
    ),
    "routine": (
        "Ít nhất {routine_min_orders} đơn, quay lại trung bình trong vòng "
        "{routine_max_gap_days} ngày (cách nhau ít nhất một ngày) và đều đặn: độ lệch giữa các "
        "khoảng cách không quá {routine_max_irregularity}% mức trung bình.",
        "At least {routine_min_orders} orders, coming back on average within "
        "{routine_max_gap_days} days (at least a day apart) and regularly: the gaps vary by at "
        "most {routine_max_irregularity}% of their average.",
    ),
    "entertainment": (
        "Ít nhất {entertainment_min_share}% số sản phẩm đã mua thuộc các danh mục cửa hàng đánh "
        "dấu là hàng mới, xu hướng hoặc giải trí: {categories}.",
        "At least {entertainment_min_share}% of the items they bought are in categories the "
        "store marks as new, trend or entertainment: {categories}.",
    ),
}
NO_CATEGORIES = ("chưa đánh dấu danh mục nào", "no category is marked yet")
NOT_SEEN = ("không ghi nhận", "not observed")
# Figures that are percentages (the others are counts, days or minutes as they are).
PERCENT_FIGURES = {"coupon_share", "irregularity", "marked_share"}


def rule(segment: str, thresholds: dict[str, Any], locale: str) -> str:
    index = 0 if locale == "vi" else 1
    categories = (
        ", ".join(thresholds.get("entertainment_categories") or ()) or (NO_CATEGORIES[index])
    )
    values = {
        name: numbers.count(value, locale)
        for name, value in thresholds.items()
        if isinstance(value, int)
    }
    return RULES[segment][index].format(categories=categories, **values)


def figure(name: str, value: Any, locale: str) -> str:
    if value is None:
        return NOT_SEEN[0 if locale == "vi" else 1]
    if name in PERCENT_FIGURES:
        return numbers.percent(value / 100, locale)
    if isinstance(value, float):
        return numbers.decimal(value, locale)
    return numbers.count(value, locale)
