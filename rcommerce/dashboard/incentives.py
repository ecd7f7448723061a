"""Review incentives and Google's feed in the dashboard: the store's reward for reviews with a
photo (whatever their rating), and what the product reviews feed holds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from rcommerce.dashboard import auth
from rcommerce.dashboard.auth import Who
from rcommerce.dashboard.pages import (
    back_to,
    manager_action,
    manager_page,
    page,
    session_cookie,
    settings_of,
)
from rcommerce.referrals import review_rewards
from rcommerce.referrals.review_rewards import IncentiveIn
from rcommerce.reviews import feed
from rcommerce.web import in_transaction, runtime_of, validate

KINDS = ("coupon_fixed", "coupon_percent", "store_credit", "points")
# The page's own words (vi, en).
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Ưu đãi đánh giá & nguồn Google", "Review incentives & Google feed"),
    "incentive": ("Ưu đãi cho đánh giá có ảnh", "Reward for reviews with a photo"),
    "honest": (
        "Ưu đãi chỉ dựa vào nội dung (độ dài, ảnh), không bao giờ dựa vào số sao: đánh giá 1 sao "
        "có ảnh nhận đúng như đánh giá 5 sao.",
        "The reward depends on content only (length, a photo), never on the stars: a 1-star "
        "review with a photo earns exactly what a 5-star one does.",
    ),
    "active": ("Đang bật", "Active"),
    "kind": ("Loại thưởng", "Reward"),
    "value": ("Giá trị", "Value"),
    "min_chars": ("Số ký tự tối thiểu", "Minimum characters"),
    "needs_media": ("Cần có ảnh", "A photo is required"),
    "save": ("Lưu", "Save"),
    "feed": ("Nguồn đánh giá sản phẩm cho Google", "Google product reviews feed"),
    "feed_url": (
        "Địa chỉ nguồn (khai báo trong Merchant Center)",
        "Feed URL (register it in Merchant Center)",
    ),
    "in_feed": ("Đánh giá trong nguồn", "Reviews in the feed"),
    "to_minimum": (
        "Còn thiếu {n} đánh giá để đạt mức tối thiểu 50 của Google",
        "{n} more reviews to reach Google's minimum of 50",
    ),
    "minimum_met": ("Đã đạt mức tối thiểu 50 của Google", "Google's minimum of 50 is met"),
    "missing": (
        "Sản phẩm có đánh giá nhưng thiếu mã (GTIN, hoặc thương hiệu) hoặc địa chỉ trang",
        "Products with reviews but no identifier (GTIN, or a brand) or page URL",
    ),
}


def words(locale: str) -> Any:
    index = 0 if locale == "vi" else 1
    return lambda key: WORDS[key][index] if key in WORDS else key


@manager_page
async def incentives_page(request: Request) -> Response:
    settings, token = settings_of(request), session_cookie(request)

    def work(session: Session) -> tuple[Who, Any, dict[str, Any]]:
        who = auth.current(session, settings, token)
        return who, review_rewards.incentive_of(session, who.store), feed.status(session, who.store)

    who, incentive, status = await in_transaction(request, work, readonly=True)
    feed_url = f"{settings.base_url}/feeds/{who.store.publishable_key}/google-product-reviews.xml"
    return page(
        request,
        who,
        "incentives.html",
        it=words(who.locale),
        incentive=incentive,
        kinds=KINDS,
        status=status,
        feed_url=feed_url,
    )


@manager_action
def save_incentive(request: Request, session: Session, who: Who, form: dict[str, str]) -> str:
    data = validate(
        IncentiveIn,
        {
            "active": form.get("active") == "1",
            "kind": form.get("kind", ""),
            "value": form.get("value", "").strip() or Decimal("0"),
            "min_chars": form.get("min_chars", "").strip() or 0,
            "needs_media": form.get("needs_media") == "1",
        },
    )
    review_rewards.set_incentive(session, who.store, data, runtime_of(request).now())
    return back_to(form, "/dashboard/incentives", "saved")
