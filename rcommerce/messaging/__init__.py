"""Messages to a buyer known by phone: Zalo ZNS templates, then an HTTP SMS gateway.

E-mail stays in ``rcommerce.mail``; this package holds the phone channels, each a small adapter
with its settings in the environment (``ZNSConfig.from_env``, ``SMSConfig.from_env``), and the
reading of ZNS rating callbacks. Senders take the ``httpx.Client`` to send with: give them
``rcommerce.net.client(settings)``, the guarded one. It imports nothing of rcommerce but
``identity`` and ``net``.
"""

from __future__ import annotations

from rcommerce.messaging.messages import (
    PhoneMessage,
    PhoneNotice,
    QuestionMessage,
    ReviewRequestMessage,
    Sender,
    SendResult,
    send_first,
    with_opt_out,
)
from rcommerce.messaging.sms import SMSConfig, SMSSender
from rcommerce.messaging.zalo_ratings import (
    ZaloOAConfig,
    ZNSRating,
    parse_zns_rating,
    verify_event_signature,
)
from rcommerce.messaging.zns import ZNSConfig, ZNSSender

__all__ = [
    "PhoneMessage",
    "PhoneNotice",
    "QuestionMessage",
    "ReviewRequestMessage",
    "SMSConfig",
    "SMSSender",
    "SendResult",
    "Sender",
    "ZNSConfig",
    "ZNSRating",
    "ZNSSender",
    "ZaloOAConfig",
    "parse_zns_rating",
    "send_first",
    "verify_event_signature",
    "with_opt_out",
]
