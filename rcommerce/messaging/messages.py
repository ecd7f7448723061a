"""What goes to a phone (a review request; a word about product questions; any other
notice: a sign-in or confirmation link, a welcome), the result of one send, and the
fallback chain.

Channels are tried in the order the store configures (Zalo ZNS, then SMS; e-mail is the mailer's):
the first that accepts the message ends the chain, and every attempt is kept for the log.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import httpx

# ZNS refuses a tracking_id longer than this; our ids are far shorter.
MAX_TRACKING_ID = 48

_SMS_TEXT = {
    "vi": "{store}Cảm ơn {name} đã mua đơn {order}. Mời bạn đánh giá sản phẩm tại: {url}",
    "en": "{store}Thank you {name} for order {order}. Tell us what you think: {url}",
}
# Every SMS that is not an answer to the person's own request ends with this: an SMS cannot be
# answered STOP through every gateway, so the opt-out is a signed link (rcommerce.phones).
_OPT_OUT = {"vi": " Từ chối nhận tin: {url}", "en": " Opt out: {url}"}


def with_opt_out(text: str, opt_out_url: str, locale: str) -> str:
    """``text`` followed by the opt-out link, when there is one."""
    if not opt_out_url:
        return text
    return text + _OPT_OUT.get(locale, _OPT_OUT["en"]).format(url=opt_out_url)


@dataclass(frozen=True)
class ReviewRequestMessage:
    """What a review request says, whatever the channel.

    ``phone`` is E.164; ``review_url`` the signed single-use link; ``tracking_id`` our id for the
    request, which ZNS echoes back in delivery and rating callbacks.
    """

    phone: str
    buyer_name: str
    order_code: str
    review_url: str
    tracking_id: str
    store_name: str = ""
    locale: str = "vi"
    opt_out_url: str = ""  # the signed link that stops further messages to the phone

    def __post_init__(self) -> None:
        _check(self.phone, self.tracking_id)

    def sms_text(self, *, ascii_only: bool = False) -> str:
        """The SMS body: an SMS has no button, so the link is in the text."""
        template = _SMS_TEXT.get(self.locale, _SMS_TEXT["en"])
        text = template.format(
            store=f"{self.store_name}: " if self.store_name else "",
            name=self.buyer_name or ("bạn" if self.locale == "vi" else "you"),
            order=self.order_code,
            url=self.review_url,
        )
        text = with_opt_out(text, self.opt_out_url, self.locale)
        return unaccented(text) if ascii_only else text


_QUESTION_TEXT = {
    ("invite", "vi"): "{store}Chào {name}, một khách đang hỏi về {product} bạn đã mua. "
    "Trả lời giúp tại: {url}",
    ("invite", "en"): "{store}Hi {name}, a shopper asks about {product}, which you bought. "
    "Answer here: {url}",
    ("answer", "vi"): "{store}Câu hỏi của {name} về {product} vừa có câu trả lời: {url}",
    ("answer", "en"): "{store}{name}, your question about {product} has an answer: {url}",
}


@dataclass(frozen=True)
class QuestionMessage:
    """About a product question, to someone known only by phone: ``invite`` asks a buyer of
    the product to answer (``url``: the signed single-use answer link), ``answer`` tells the
    asker their question was answered (``url``: the product's page)."""

    kind: str  # "invite" | "answer"
    phone: str
    name: str
    product: str
    url: str
    tracking_id: str
    store_name: str = ""
    locale: str = "vi"
    opt_out_url: str = ""  # an invitation's signed link that stops further messages

    def __post_init__(self) -> None:
        if self.kind not in ("invite", "answer"):
            raise ValueError("kind is invite or answer")
        _check(self.phone, self.tracking_id)

    def sms_text(self, *, ascii_only: bool = False) -> str:
        locale = self.locale if self.locale in ("vi", "en") else "en"
        text = _QUESTION_TEXT[(self.kind, locale)].format(
            store=f"{self.store_name}: " if self.store_name else "",
            name=self.name or ("bạn" if locale == "vi" else "there"),
            product=self.product[:60],
            url=self.url,
        )
        text = with_opt_out(text, self.opt_out_url, self.locale)
        return unaccented(text) if ascii_only else text


@dataclass(frozen=True)
class PhoneNotice:
    """Any other message to a phone: a portal sign-in link, a review confirmation link, an
    advocate's welcome with their referral link.

    ``purpose`` names the ZNS template it goes by (``ZNSConfig.templates``; without one ZNS is
    skipped and the SMS goes); ``text`` is the SMS, its link included; ``link`` goes in the ZNS
    template's CTA button.
    """

    phone: str
    purpose: str
    text: str
    link: str
    tracking_id: str
    name: str = ""

    def __post_init__(self) -> None:
        _check(self.phone, self.tracking_id)

    def sms_text(self, *, ascii_only: bool = False) -> str:
        return unaccented(self.text) if ascii_only else self.text


PhoneMessage = ReviewRequestMessage | QuestionMessage | PhoneNotice


def _check(phone: str, tracking_id: str) -> None:
    if not phone.startswith("+"):
        raise ValueError("the phone must be in E.164 (+84...)")
    if not 0 < len(tracking_id) <= MAX_TRACKING_ID:
        raise ValueError(f"tracking_id must be 1-{MAX_TRACKING_ID} characters")


def unaccented(text: str) -> str:
    """Vietnamese without diacritics (``Cảm ơn`` -> ``Cam on``): many brandname SMS gateways
    accept only GSM characters, and an unaccented SMS costs half as many segments."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@dataclass(frozen=True)
class SendResult:
    """The outcome of one attempt on one channel."""

    channel: str  # "zns" | "sms" | ...
    ok: bool
    message_id: str | None = None
    error_code: str | None = None  # the provider's code ("-118") or "http_503", "timeout"
    detail: str = ""
    retryable: bool = False  # a failure worth retrying later (timeouts, 5xx, quota)


class Sender(Protocol):
    """One channel. ``http`` is the caller's client: ``rcommerce.net.client(settings)`` in
    production, so a gateway URL never reaches a private address."""

    channel: str

    def send(self, message: PhoneMessage, *, http: httpx.Client) -> SendResult: ...


def send_first(
    senders: Sequence[Sender], message: PhoneMessage, *, http: httpx.Client
) -> list[SendResult]:
    """Try each channel in order until one accepts; every attempt's result, in order.

    The last result is the success, or the last failure when every channel failed (then the
    caller retries later if any failure was ``retryable``, or falls back to e-mail).
    """
    results: list[SendResult] = []
    for sender in senders:
        result = sender.send(message, http=http)
        results.append(result)
        if result.ok:
            break
    return results
