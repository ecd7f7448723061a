"""An HTTP SMS gateway: one JSON POST per message, the URL and credentials from the environment.

Vietnamese gateways (brandname SMS) differ in field names but agree on the essentials, so the
request is generic: ``{"to", "text", "sender", "reference"}`` with an ``Authorization`` header.
A 2xx answer is success unless its JSON says ``"success": false`` or a non-zero ``error``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from rcommerce import net
from rcommerce.identity import zalo_phone
from rcommerce.messaging.messages import PhoneMessage, SendResult

PhoneFormat = Literal["international", "e164", "national"]
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class SMSConfig:
    url: str
    authorization: str | None = field(default=None, repr=False)  # the Authorization header value
    sender: str | None = None  # the registered brandname, when the gateway needs one
    phone_format: PhoneFormat = "international"  # 84901234567; "e164" +84…; "national" 0901…
    ascii_only: bool = True  # send Vietnamese without diacritics (GSM-7: cheaper, accepted)
    timeout: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SMSConfig | None:
        """From RCOMMERCE_SMS_*; None when RCOMMERCE_SMS_URL is not set."""
        env = os.environ if environ is None else environ
        url = env.get("RCOMMERCE_SMS_URL", "").strip()
        if not url:
            return None
        phone_format = env.get("RCOMMERCE_SMS_PHONE_FORMAT", "international").strip().lower()
        if phone_format not in ("international", "e164", "national"):
            raise ValueError("RCOMMERCE_SMS_PHONE_FORMAT must be international, e164 or national")
        return cls(
            url=url,
            authorization=env.get("RCOMMERCE_SMS_AUTHORIZATION", "").strip() or None,
            sender=env.get("RCOMMERCE_SMS_SENDER", "").strip() or None,
            phone_format=phone_format,  # type: ignore[arg-type]
            ascii_only=env.get("RCOMMERCE_SMS_ASCII", "1").strip().lower() not in _FALSE,
            timeout=float(env.get("RCOMMERCE_SMS_TIMEOUT", "10")),
        )


def format_phone(e164: str, phone_format: PhoneFormat) -> str:
    if phone_format == "e164":
        return e164
    if phone_format == "national" and e164.startswith("+84"):
        return "0" + e164[3:]
    return zalo_phone(e164)


class SMSSender:
    channel = "sms"

    def __init__(self, config: SMSConfig) -> None:
        self.config = config

    def request_body(self, message: PhoneMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "to": format_phone(message.phone, self.config.phone_format),
            "text": message.sms_text(ascii_only=self.config.ascii_only),
            "reference": message.tracking_id,
        }
        if self.config.sender:
            body["sender"] = self.config.sender
        return body

    def send(self, message: PhoneMessage, *, http: httpx.Client) -> SendResult:
        headers = {"Accept": "application/json"}
        if self.config.authorization:
            headers["Authorization"] = self.config.authorization
        try:
            response = http.post(
                self.config.url,
                json=self.request_body(message),
                headers=headers,
                timeout=self.config.timeout,
            )
        except httpx.TimeoutException as exc:
            return SendResult("sms", False, error_code="timeout", detail=str(exc), retryable=True)
        except httpx.TransportError as exc:
            if net.refused(exc):  # a gateway URL on a private address: never retried
                return SendResult("sms", False, error_code="refused", detail=net.REFUSED)
            return SendResult("sms", False, error_code="transport", detail=str(exc), retryable=True)
        if not response.is_success:
            return SendResult(
                "sms",
                False,
                error_code=f"http_{response.status_code}",
                detail=response.text[:300],
                retryable=response.status_code == 429 or response.status_code >= 500,
            )
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if isinstance(answer, Mapping):
            refused = answer.get("success") is False or str(answer.get("error", "0")) not in (
                "0",
                "",
                "None",
                "False",
            )
            if refused:
                return SendResult(
                    "sms",
                    False,
                    error_code=str(answer.get("error") or "refused"),
                    detail=str(answer.get("message", ""))[:300],
                )
            for key in ("message_id", "messageId", "id", "msg_id"):
                if answer.get(key):
                    return SendResult("sms", True, message_id=str(answer[key]))
        return SendResult("sms", True)
