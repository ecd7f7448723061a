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
        "sms.welcome": (
            "{store}: Chào {name}, cảm ơn bạn đã tham gia chương trình giới thiệu. "
            "Link của bạn: {link} (mã {code}). Xem thưởng: {portal}"
        ),
        "sms.reward": "{store}: Chúc mừng {name}, bạn được {reward}. {coupon} Số dư: {balance}. Xem: {portal}",
        "sms.magic": "{store}: Link đăng nhập của bạn (15 phút, dùng 1 lần): {link}",
        "points.subject": "Dùng điểm thưởng của bạn tại {store}",
        "points.body": (
            "Xin chào {name},\n\n"
            "Nhấp vào liên kết sau để quay lại cửa hàng và đổi điểm lấy phần thưởng "
            "(có hiệu lực 24 giờ):\n{link}\n\n"
            "Nếu bạn không yêu cầu, hãy bỏ qua e-mail này.\n"
        ),
        "portal.title": "Chương trình giới thiệu",
        "portal.login": "Đăng nhập",
        "portal.login_intro": "Nhập e-mail hoặc số điện thoại bạn dùng khi tham gia, chúng tôi sẽ gửi liên kết đăng nhập.",
        "portal.email": "E-mail hoặc số điện thoại",
        "portal.send": "Gửi liên kết đăng nhập",
        "portal.sent": "Nếu e-mail hoặc số điện thoại này đã tham gia chương trình, liên kết đăng nhập đã được gửi. Liên kết có hiệu lực 15 phút.",
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
        "portal.copied": "Đã sao chép",
        "portal.share_native": "Chia sẻ…",
        "portal.qr": "Mã QR của liên kết giới thiệu",
        "portal.wallet": "Số dư và đổi thưởng",
        "portal.debt": "Bạn đang nợ {amount}",
        "portal.debt_note": "Một đơn hàng đã được hoàn trả sau khi bạn đổi thưởng. Các phần thưởng tiếp theo sẽ trừ dần khoản nợ; khi hết nợ bạn có thể đổi thưởng trở lại.",
        "portal.redeem_intro": "Đổi số dư lấy một mã giảm giá dùng khi mua hàng.",
        "portal.amount": "Số tiền",
        "portal.redeem": "Đổi lấy mã giảm giá",
        "portal.nothing_to_redeem": "Bạn chưa có số dư để đổi.",
        "portal.pending": "Phần thưởng đang chờ",
        "portal.pending_note": "Phần thưởng được trao khi hết thời gian đổi trả của đơn hàng.",
        "portal.ordered": "Ngày đặt hàng",
        "portal.release": "Nhận vào ngày",
        "portal.reward": "Phần thưởng",
        "portal.under_review": "Đơn hàng đang được xem xét",
        "portal.under_review_note": "Cửa hàng đang kiểm tra các đơn này trước khi tính thưởng.",
        "portal.under_review_row": "Đơn hàng ngày {date}: đang được xem xét",
        "portal.coupons": "Mã giảm giá của bạn",
        "portal.coupon.reward": "Phần thưởng",
        "portal.coupon.review": "Thưởng đánh giá có ảnh",
        "portal.coupon.redemption": "Đổi từ số dư",
        "portal.coupon_status.active": "chưa dùng",
        "portal.coupon_status.used": "đã dùng",
        "portal.coupon_status.void": "đã hủy",
        "portal.ledger": "Lịch sử số dư",
        "portal.ledger.reward": "Được thưởng",
        "portal.ledger.clawback": "Thu hồi (đơn hàng bị hoàn trả)",
        "portal.ledger.redemption": "Đổi thưởng",
        "portal.ledger.expire": "Điểm hết hạn",
        "portal.date": "Ngày",
        "portal.what": "Nội dung",
        "portal.change": "Thay đổi",
        "portal.code": "Mã",
        "portal.value": "Giá trị",
        "portal.kind": "Loại",
        "portal.state": "Trạng thái",
        "portal.nothing_yet": "Chưa có gì.",
        "portal.notice.redeemed": "Đã đổi thưởng. Mã giảm giá của bạn: {code}",
        "portal.notice.insufficient_balance": "Số dư không đủ cho số tiền này.",
        "portal.notice.debt": "Bạn đang nợ nên chưa thể đổi thưởng.",
        "portal.notice.advocate_blocked": "Tài khoản giới thiệu của bạn đang bị tạm khóa.",
        "portal.notice.invalid_amount": "Hãy nhập một số tiền lớn hơn 0.",
        "portal.tier": "Hạng của bạn: {name}",
        "portal.tier_bonus": "thưởng thêm {percent}% cho mỗi lần giới thiệu thành công",
        "portal.referred_buyers": "Bạn đã giới thiệu {count} người mua",
        "portal.to_next_tier": "thêm {count} người nữa để lên hạng {name}",
        "portal.leaderboard": "Bảng xếp hạng 30 ngày qua",
        "portal.leaderboard_intro": "Chỉ hiện tên và chữ cái đầu của họ, không bao giờ hiện e-mail hay mã giới thiệu.",
        "portal.leaderboard_empty": "Chưa có ai trên bảng xếp hạng.",
        "portal.leaderboard_row": "{count} người mua",
        "portal.leaderboard_someone": "Một người giới thiệu",
        "portal.leaderboard_mine": "Bạn đang đứng hạng {rank} với {count} người mua.",
        "portal.leaderboard_unranked": "Bạn chưa có mặt trên bảng xếp hạng.",
        "portal.leaderboard_hidden": "Bạn đã chọn không hiện trên bảng xếp hạng.",
        "portal.leaderboard_hide": "Không hiện tôi trên bảng xếp hạng",
        "portal.leaderboard_show": "Hiện tôi trên bảng xếp hạng",
        "portal.catalogue": "Đổi điểm lấy quà",
        "portal.catalogue_intro": "Bạn có {points} điểm. Chọn một phần quà: mã giảm giá sẽ hiện ngay.",
        "portal.points_cost": "{points} điểm",
        "portal.points_expiry": "{points} điểm sẽ hết hạn vào ngày {date}.",
        "portal.get_item": "Đổi quà này",
        "portal.not_enough_points": "Chưa đủ điểm",
        "portal.notice.insufficient_points": "Bạn chưa đủ điểm cho phần quà này.",
        "portal.notice.item_unavailable": "Phần quà này không còn được đổi.",
        "kind.free_shipping": "miễn phí vận chuyển",
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
        "sms.welcome": (
            "{store}: Hi {name}, thanks for joining our referral programme. "
            "Your link: {link} (code {code}). Your rewards: {portal}"
        ),
        "sms.reward": "{store}: well done {name}, you earned {reward}. {coupon} Balance: {balance}. See: {portal}",
        "sms.magic": "{store}: your sign-in link (15 minutes, once): {link}",
        "points.subject": "Spend your points at {store}",
        "points.body": (
            "Hi {name},\n\n"
            "Follow this link back to the shop to spend your points on a reward "
            "(valid for 24 hours):\n{link}\n\n"
            "If you did not ask for it, ignore this e-mail.\n"
        ),
        "portal.title": "Referral programme",
        "portal.login": "Sign in",
        "portal.login_intro": "Enter the e-mail or phone number you joined with and we will send you a sign-in link.",
        "portal.email": "E-mail or phone number",
        "portal.send": "Send me a sign-in link",
        "portal.sent": "If this e-mail or phone number is in the programme, a sign-in link is on its way. It works for 15 minutes.",
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
        "portal.copied": "Copied",
        "portal.share_native": "Share…",
        "portal.qr": "QR code of your referral link",
        "portal.wallet": "Balance and redemptions",
        "portal.debt": "You owe {amount}",
        "portal.debt_note": "An order was refunded after you redeemed its reward. Your next rewards repay the debt; once it is repaid you can redeem again.",
        "portal.redeem_intro": "Turn your balance into a coupon code to use at checkout.",
        "portal.amount": "Amount",
        "portal.redeem": "Get a coupon code",
        "portal.nothing_to_redeem": "You have no balance to redeem yet.",
        "portal.pending": "Rewards on the way",
        "portal.pending_note": "A reward is released once the order's returns window has passed.",
        "portal.ordered": "Ordered",
        "portal.release": "Released on",
        "portal.reward": "Reward",
        "portal.under_review": "Orders under review",
        "portal.under_review_note": "The shop is checking these orders before any reward.",
        "portal.under_review_row": "Order of {date}: under review",
        "portal.coupons": "Your coupon codes",
        "portal.coupon.reward": "Reward",
        "portal.coupon.review": "Reward for a review with a photo",
        "portal.coupon.redemption": "Redeemed balance",
        "portal.coupon_status.active": "not used yet",
        "portal.coupon_status.used": "used",
        "portal.coupon_status.void": "cancelled",
        "portal.ledger": "Balance history",
        "portal.ledger.reward": "Reward earned",
        "portal.ledger.clawback": "Clawed back (order refunded)",
        "portal.ledger.redemption": "Redeemed",
        "portal.ledger.expire": "Points expired",
        "portal.date": "Date",
        "portal.what": "What",
        "portal.change": "Change",
        "portal.code": "Code",
        "portal.value": "Value",
        "portal.kind": "Kind",
        "portal.state": "Status",
        "portal.nothing_yet": "Nothing yet.",
        "portal.notice.redeemed": "Redeemed. Your coupon code: {code}",
        "portal.notice.insufficient_balance": "Your balance does not cover this amount.",
        "portal.notice.debt": "You cannot redeem while you owe a debt.",
        "portal.notice.advocate_blocked": "Your referral account is on hold.",
        "portal.notice.invalid_amount": "Enter an amount above 0.",
        "portal.tier": "Your tier: {name}",
        "portal.tier_bonus": "{percent}% more on every successful referral",
        "portal.referred_buyers": "You referred {count} buyer(s)",
        "portal.to_next_tier": "{count} more to reach {name}",
        "portal.leaderboard": "Leaderboard, last 30 days",
        "portal.leaderboard_intro": "Only a first name and an initial show, never an e-mail or a referral code.",
        "portal.leaderboard_empty": "No one is on the leaderboard yet.",
        "portal.leaderboard_row": "{count} buyer(s)",
        "portal.leaderboard_someone": "An advocate",
        "portal.leaderboard_mine": "You are number {rank} with {count} buyer(s).",
        "portal.leaderboard_unranked": "You are not on the leaderboard yet.",
        "portal.leaderboard_hidden": "You chose to keep off the leaderboard.",
        "portal.leaderboard_hide": "Keep me off the leaderboard",
        "portal.leaderboard_show": "Show me on the leaderboard",
        "portal.catalogue": "Spend your points",
        "portal.catalogue_intro": "You have {points} points. Pick a reward: its coupon code shows at once.",
        "portal.points_cost": "{points} points",
        "portal.points_expiry": "{points} points expire on {date}.",
        "portal.get_item": "Get this reward",
        "portal.not_enough_points": "Not enough points yet",
        "portal.notice.insufficient_points": "You do not have enough points for this reward.",
        "portal.notice.item_unavailable": "This reward is no longer offered.",
        "kind.free_shipping": "free shipping",
        "kind.store_credit": "{value} store credit",
        "kind.points": "{value} points",
        "kind.coupon_percent": "a {value}% coupon",
        "kind.coupon_fixed": "a {value} coupon",
    },
}


def t(locale: str | None, key: str, **values: object) -> str:
    table = STRINGS.get(locale or "vi", STRINGS["vi"])
    return table.get(key, STRINGS["en"][key]).format(**values)
