"""Words the advocate sees (e-mails, portal), in Vietnamese and English."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "vi": {
        "welcome.subject": "Chào mừng bạn đến với chương trình giới thiệu của {store}",
        "welcome.body": (
            "Xin chào {name},\n\n"
            "Cảm ơn bạn đã tham gia chương trình giới thiệu của {store}.\n"
            "Liên kết giới thiệu của bạn: {link}\n"
            "Mã giới thiệu: {code}\n\n"
            "Chia sẻ liên kết qua Zalo, Facebook hay Messenger: khi bạn bè mua hàng, "
            "cả hai đều được thưởng.\n"
            "Xem lượt nhấp và phần thưởng tại: {portal}\n\n"
            "Không muốn nhận e-mail nữa? {unsubscribe}\n"
        ),
        "reward.subject": "Bạn vừa nhận được phần thưởng từ {store}",
        "reward.body": (
            "Xin chào {name},\n\n"
            "Một người bạn bạn giới thiệu đã mua hàng tại {store}. Phần thưởng của bạn: "
            "{reward}.\n{coupon}\n"
            "Số dư hiện tại: {balance}\n"
            "Xem chi tiết: {portal}\n\n"
            "Không muốn nhận e-mail nữa? {unsubscribe}\n"
        ),
        "reward.coupon": "Mã giảm giá của bạn: {code}",
        "magic.subject": "Đăng nhập vào trang giới thiệu của {store}",
        "magic.body": (
            "Xin chào {name},\n\n"
            "Nhấp vào liên kết sau để đăng nhập (có hiệu lực 15 phút, dùng một lần):\n{link}\n\n"
            "Nếu bạn không yêu cầu, hãy bỏ qua e-mail này.\n"
        ),
        "portal.title": "Chương trình giới thiệu",
        "portal.login": "Đăng nhập",
        "portal.login_intro": "Nhập e-mail bạn dùng khi tham gia, chúng tôi sẽ gửi liên kết đăng nhập.",
        "portal.email": "E-mail",
        "portal.send": "Gửi liên kết đăng nhập",
        "portal.sent": "Nếu e-mail này đã tham gia chương trình, liên kết đăng nhập đã được gửi. Liên kết có hiệu lực 15 phút.",
        "portal.confirm": "Nhấn nút dưới đây để đăng nhập.",
        "portal.invalid": "Liên kết đăng nhập không hợp lệ, đã hết hạn hoặc đã được dùng. Hãy yêu cầu liên kết mới.",
        "portal.form_expired": "Biểu mẫu này đã hết hạn hoặc không đến từ trang của chúng tôi. Hãy tải lại trang và thử lại.",
        "portal.your_link": "Liên kết của bạn",
        "portal.your_code": "Mã giới thiệu",
        "portal.share": "Chia sẻ",
        "portal.copy": "Sao chép",
        "portal.clicks": "Lượt nhấp",
        "portal.unique_clicks": "Người xem",
        "portal.conversions": "Đơn hàng được giới thiệu",
        "portal.balance": "Số dư",
        "portal.points": "Điểm",
        "portal.rewards": "Phần thưởng",
        "portal.no_rewards": "Chưa có phần thưởng nào. Hãy chia sẻ liên kết của bạn!",
        "portal.logout": "Đăng xuất",
        "portal.unsubscribed": "Bạn sẽ không nhận e-mail từ chương trình giới thiệu nữa.",
        "portal.unsubscribe": "Hủy đăng ký e-mail",
        "portal.status.pending": "đang chờ",
        "portal.status.approved": "đã duyệt",
        "portal.status.issued": "đã phát",
        "portal.status.redeemed": "đã dùng",
        "portal.status.void": "đã hủy",
        "portal.status.clawed_back": "đã thu hồi",
        "portal.share_text": "Mua sắm tại {store} với ưu đãi dành cho bạn bè của mình:",
        "kind.store_credit": "{value} tín dụng mua hàng",
        "kind.points": "{value} điểm",
        "kind.coupon_percent": "mã giảm {value}%",
        "kind.coupon_fixed": "mã giảm {value}",
    },
    "en": {
        "welcome.subject": "Welcome to {store}'s referral programme",
        "welcome.body": (
            "Hi {name},\n\n"
            "Thanks for joining {store}'s referral programme.\n"
            "Your referral link: {link}\n"
            "Your referral code: {code}\n\n"
            "Share your link on Zalo, Facebook or Messenger: when friends buy, you both "
            "earn a reward.\n"
            "Track clicks and rewards at: {portal}\n\n"
            "Rather not get these e-mails? {unsubscribe}\n"
        ),
        "reward.subject": "You earned a reward from {store}",
        "reward.body": (
            "Hi {name},\n\n"
            "A friend you referred bought from {store}. Your reward: {reward}.\n{coupon}\n"
            "Your balance: {balance}\n"
            "Details: {portal}\n\n"
            "Rather not get these e-mails? {unsubscribe}\n"
        ),
        "reward.coupon": "Your coupon code: {code}",
        "magic.subject": "Sign in to {store}'s referral portal",
        "magic.body": (
            "Hi {name},\n\n"
            "Follow this link to sign in (valid for 15 minutes, once):\n{link}\n\n"
            "If you did not ask for it, ignore this e-mail.\n"
        ),
        "portal.title": "Referral programme",
        "portal.login": "Sign in",
        "portal.login_intro": "Enter the e-mail you joined with and we will send you a sign-in link.",
        "portal.email": "E-mail",
        "portal.send": "Send me a sign-in link",
        "portal.sent": "If this e-mail is in the programme, a sign-in link is on its way. It works for 15 minutes.",
        "portal.confirm": "Press the button to sign in.",
        "portal.invalid": "This sign-in link is not valid, has expired or was already used. Ask for a new one.",
        "portal.form_expired": "This form has expired or did not come from our page. Reload the page and try again.",
        "portal.your_link": "Your link",
        "portal.your_code": "Referral code",
        "portal.share": "Share",
        "portal.copy": "Copy",
        "portal.clicks": "Clicks",
        "portal.unique_clicks": "Visitors",
        "portal.conversions": "Referred orders",
        "portal.balance": "Balance",
        "portal.points": "Points",
        "portal.rewards": "Rewards",
        "portal.no_rewards": "No rewards yet. Share your link!",
        "portal.logout": "Sign out",
        "portal.unsubscribed": "You will no longer get e-mails from the referral programme.",
        "portal.unsubscribe": "Unsubscribe",
        "portal.status.pending": "pending",
        "portal.status.approved": "approved",
        "portal.status.issued": "issued",
        "portal.status.redeemed": "redeemed",
        "portal.status.void": "void",
        "portal.status.clawed_back": "clawed back",
        "portal.share_text": "Shop at {store} with a welcome offer from me:",
        "kind.store_credit": "{value} store credit",
        "kind.points": "{value} points",
        "kind.coupon_percent": "a {value}% coupon",
        "kind.coupon_fixed": "a {value} coupon",
    },
}


def t(locale: str | None, key: str, **values: object) -> str:
    table = STRINGS.get(locale or "vi", STRINGS["vi"])
    return table.get(key, STRINGS["en"][key]).format(**values)
