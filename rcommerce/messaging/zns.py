"""Zalo ZNS: a registered template message to the Zalo account behind a phone number.

``POST https://business.openapi.zalo.me/message/template`` with the OA's ``access_token`` header
and ``{"phone": "84901234567", "template_id", "template_data", "tracking_id"}``; Zalo answers
``{"error": 0, "data": {"msg_id", ...}}`` or ``{"error": -118, "message": "Zalo account not
existed"}``. The review link goes in the template's CTA-button parameter, never in the body
text (ZNS approval rules forbid links in the body).

Product questions use two more registered templates, when the OA has them
(RCOMMERCE_ZNS_ANSWER_INVITE_TEMPLATE_ID, RCOMMERCE_ZNS_ANSWER_NOTICE_TEMPLATE_ID), with the
parameters ``buyer_name``, ``product_name`` and ``link`` (the CTA) mapped by
RCOMMERCE_ZNS_QUESTION_PARAMS; without its template a question message is refused here at once
(``no_template``) and goes by SMS.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from rcommerce import net
from rcommerce.identity import zalo_phone
from rcommerce.messaging.messages import PhoneMessage, PhoneNotice, QuestionMessage, SendResult

ZNS_URL = "https://business.openapi.zalo.me/message/template"
DEFAULT_PARAMS = {
    "buyer_name": "customer_name",
    "order_code": "order_code",
    "review_url": "review_url",
    "link": "link",  # the CTA of the other templates (sign-in, confirmation, welcome)
}
QUESTION_PARAMS = {
    "buyer_name": "customer_name",
    "product_name": "product_name",
    "link": "link",
}
# Template parameters have length limits; a customer name longer than this is refused.
MAX_NAME = 30
MAX_PRODUCT = 100
# Failures that are about this message or account, where a later retry cannot help.
PERMANENT = {"-108", "-118", "-131", "-132", "-201", "-217", "-218", "-124"}


@dataclass(frozen=True)
class ZNSConfig:
    """One Zalo OA's ZNS settings (platform-wide from the environment, or per store)."""

    access_token: str = field(repr=False)
    template_id: str  # the review request's; "" when only other templates are registered
    url: str = ZNS_URL
    # our field -> the template's parameter name: buyer_name, order_code, review_url (the CTA)
    params: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_PARAMS))
    development: bool = False  # ZNS "development" mode: delivered to the OA's admins only
    timeout: float = 10.0
    # Product questions' templates (None: not registered) and their parameters' names.
    invite_template_id: str | None = None
    notice_template_id: str | None = None
    question_params: Mapping[str, str] = field(default_factory=lambda: dict(QUESTION_PARAMS))
    # A PhoneNotice's purpose -> its registered template id (login, review_confirmation,
    # welcome); a purpose without one goes by SMS only.
    templates: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ZNSConfig | None:
        """From RCOMMERCE_ZNS_*; None when ZNS is not configured (token or template missing).

        RCOMMERCE_ZNS_PARAMS maps our fields to the template's parameter names, e.g.
        ``buyer_name=ten_khach,order_code=ma_don,review_url=link_danh_gia,link=lien_ket``;
        RCOMMERCE_ZNS_TEMPLATES names the other messages' templates, e.g.
        ``login=301234,review_confirmation=301235,welcome=301236``.
        """
        env = os.environ if environ is None else environ
        token = env.get("RCOMMERCE_ZNS_ACCESS_TOKEN", "").strip()
        template = env.get("RCOMMERCE_ZNS_TEMPLATE_ID", "").strip()
        templates = _pairs(env.get("RCOMMERCE_ZNS_TEMPLATES", ""))
        invite = env.get("RCOMMERCE_ZNS_ANSWER_INVITE_TEMPLATE_ID", "").strip()
        notice = env.get("RCOMMERCE_ZNS_ANSWER_NOTICE_TEMPLATE_ID", "").strip()
        if not token or not (template or templates or invite or notice):
            return None
        params = _mapping(DEFAULT_PARAMS, env.get("RCOMMERCE_ZNS_PARAMS", ""))
        return cls(
            access_token=token,
            template_id=template,
            url=env.get("RCOMMERCE_ZNS_URL", "").strip() or ZNS_URL,
            params=params,
            development=env.get("RCOMMERCE_ZNS_DEVELOPMENT", "").lower() in {"1", "true", "yes"},
            timeout=float(env.get("RCOMMERCE_ZNS_TIMEOUT", "10")),
            invite_template_id=invite or None,
            notice_template_id=notice or None,
            question_params=_mapping(QUESTION_PARAMS, env.get("RCOMMERCE_ZNS_QUESTION_PARAMS", "")),
            templates=templates,
        )


def _mapping(defaults: Mapping[str, str], spec: str) -> dict[str, str]:
    """Our field names to the template's, from ``ours=theirs,...`` over the defaults."""
    params = dict(defaults)
    for ours, theirs in _pairs(spec).items():
        if ours in params:
            params[ours] = theirs
    return params


def _pairs(text: str) -> dict[str, str]:
    """``a=1,b=2`` -> ``{"a": "1", "b": "2"}`` (pairs without both sides are left out)."""
    found = {}
    for pair in text.split(","):
        ours, _, theirs = pair.partition("=")
        if ours.strip() and theirs.strip():
            found[ours.strip()] = theirs.strip()
    return found


class ZNSSender:
    channel = "zns"

    def __init__(self, config: ZNSConfig) -> None:
        self.config = config

    def template_for(self, message: PhoneMessage) -> str:
        """The template the message goes by ("" when none is registered for it)."""
        if isinstance(message, PhoneNotice):
            return self.config.templates.get(message.purpose, "")
        if isinstance(message, QuestionMessage):
            if message.kind == "invite":
                return self.config.invite_template_id or ""
            return self.config.notice_template_id or ""
        return self.config.template_id

    def request_body(self, message: PhoneMessage) -> dict[str, object]:
        data: dict[str, str]
        if isinstance(message, QuestionMessage):
            names = self.config.question_params
            data = {
                names["buyer_name"]: (message.name or "Quý khách")[:MAX_NAME],
                names["product_name"]: (message.product or "—")[:MAX_PRODUCT],
                names["link"]: message.url,
            }
        elif isinstance(message, PhoneNotice):
            names = self.config.params
            data = {
                names["buyer_name"]: (message.name or "Quý khách")[:MAX_NAME],
                names["link"]: message.link,
            }
        else:
            names = self.config.params
            data = {
                names["buyer_name"]: (message.buyer_name or "Quý khách")[:MAX_NAME],
                names["order_code"]: message.order_code,
                names["review_url"]: message.review_url,
            }
        body: dict[str, object] = {
            "phone": zalo_phone(message.phone),
            "template_id": self.template_for(message),
            "template_data": data,
            "tracking_id": message.tracking_id,
        }
        if self.config.development:
            body["mode"] = "development"
        return body

    def send(self, message: PhoneMessage, *, http: httpx.Client) -> SendResult:
        if not self.template_for(message):
            return SendResult("zns", False, error_code="no_template", detail="no ZNS template")
        try:
            response = http.post(
                self.config.url,
                json=self.request_body(message),
                headers={"access_token": self.config.access_token},
                timeout=self.config.timeout,
            )
        except httpx.TimeoutException as exc:
            return SendResult("zns", False, error_code="timeout", detail=str(exc), retryable=True)
        except httpx.TransportError as exc:
            if net.refused(exc):  # a gateway URL on a private address: never retried
                return SendResult("zns", False, error_code="refused", detail=net.REFUSED)
            return SendResult("zns", False, error_code="transport", detail=str(exc), retryable=True)
        if response.status_code != 200:
            return SendResult(
                "zns",
                False,
                error_code=f"http_{response.status_code}",
                detail=response.text[:300],
                retryable=response.status_code == 429 or response.status_code >= 500,
            )
        try:
            answer = response.json()
        except ValueError:
            return SendResult("zns", False, error_code="bad_answer", detail=response.text[:300])
        if not isinstance(answer, Mapping):
            return SendResult("zns", False, error_code="bad_answer", detail=repr(answer)[:300])
        error = str(answer.get("error", "")).strip()
        if error == "0":
            data = answer.get("data")
            message_id = data.get("msg_id") if isinstance(data, Mapping) else None
            return SendResult("zns", True, message_id=str(message_id) if message_id else None)
        return SendResult(
            "zns",
            False,
            error_code=error or "unknown",
            detail=str(answer.get("message", ""))[:300],
            retryable=error not in PERMANENT,
        )
