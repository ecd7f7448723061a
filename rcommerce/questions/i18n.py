"""The words of questions' e-mails and pages, in Vietnamese and English."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "vi": {
        "invite_subject": "Có người hỏi về {product}: bạn đã mua, bạn trả lời giúp nhé?",
        "greeting": "Chào {name},",
        "invite_intro": "Một khách hàng của {store} hỏi về {product}, sản phẩm bạn đã mua:",
        "invite_action": "Trả lời câu hỏi",
        "invite_note": "Câu trả lời của bạn hiện dấu «Người mua đã xác minh». Liên kết chỉ "
        "dùng được một lần.",
        "answer_subject": "{store} đã có câu trả lời cho câu hỏi của bạn về {product}",
        "answer_intro": "Câu hỏi của bạn về {product}:",
        "answer_by_shop": "{name} (cửa hàng) trả lời:",
        "answer_by_buyer": "{name} (người mua đã xác minh) trả lời:",
        "see_product": "Xem sản phẩm",
        "unsubscribe": "Không muốn nhận thư từ {store} về đánh giá và hỏi đáp nữa? Hủy đăng ký",
        "page_title": "Trả lời câu hỏi về {product}",
        "question_label": "Câu hỏi",
        "your_name": "Tên hiển thị",
        "your_answer": "Câu trả lời của bạn",
        "send": "Gửi câu trả lời",
        "thanks_title": "Cảm ơn bạn!",
        "thanks_body": "Câu trả lời của bạn đã được gửi.",
        "held_body": "Câu trả lời của bạn đã được gửi; cửa hàng sẽ xem trước khi đăng.",
        "used_title": "Liên kết đã được dùng",
        "used_body": "Liên kết này đã được dùng để trả lời.",
        "expired_title": "Liên kết đã hết hạn",
        "expired_body": "Liên kết mời trả lời này đã hết hạn.",
        "invalid_title": "Liên kết không hợp lệ",
        "invalid_body": "Liên kết này không hợp lệ.",
        "error_body": "Câu trả lời cần từ 2 đến 2000 ký tự.",
    },
    "en": {
        "invite_subject": "Someone asked about {product}: you bought it, can you answer?",
        "greeting": "Hello {name},",
        "invite_intro": "A customer of {store} asked about {product}, which you bought:",
        "invite_action": "Answer the question",
        "invite_note": "Your answer shows a “Verified buyer” mark. The link works once.",
        "answer_subject": "{store} has an answer to your question about {product}",
        "answer_intro": "Your question about {product}:",
        "answer_by_shop": "{name} (the shop) answered:",
        "answer_by_buyer": "{name} (verified buyer) answered:",
        "see_product": "See the product",
        "unsubscribe": "No more e-mails about reviews and questions from {store}? Unsubscribe",
        "page_title": "Answer a question about {product}",
        "question_label": "Question",
        "your_name": "Name shown",
        "your_answer": "Your answer",
        "send": "Send the answer",
        "thanks_title": "Thank you!",
        "thanks_body": "Your answer was sent.",
        "held_body": "Your answer was sent; the shop looks at it before it is published.",
        "used_title": "Link already used",
        "used_body": "This link was already used to answer.",
        "expired_title": "Link expired",
        "expired_body": "This invitation to answer has expired.",
        "invalid_title": "Invalid link",
        "invalid_body": "This link is not valid.",
        "error_body": "An answer is 2 to 2000 characters.",
    },
}


def strings(locale: str | None) -> dict[str, str]:
    return STRINGS["en" if locale == "en" else "vi"]
