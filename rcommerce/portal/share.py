"""The portal's share buttons: one link per channel, each tagged with its channel, and the
right kind of link for the advocate's device (Messenger's app link on phones, its web dialog
on computers)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

# Phones and tablets: "Mobi" is what every mobile browser puts in its user agent (MDN's
# advice), Android tablets say "Android", iPads before iPadOS 13 say "iPad".
_PHONE = re.compile(r"Mobi|Android|iPhone|iPad|iPod", re.IGNORECASE)

ZALO_SHARE = "https://sp.zalo.me/plugins/share"
FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php"
MESSENGER_WEB = "https://www.facebook.com/dialog/send"


@dataclass(frozen=True)
class ShareButton:
    channel: str  # also the ?ch= tag the click is counted under
    label: str
    href: str
    new_tab: bool


def on_phone(user_agent: str, client_hint: str | None = None) -> bool:
    """Sec-CH-UA-Mobile when the browser sends it, else the user agent."""
    if client_hint in ("?1", "?0"):
        return client_hint == "?1"
    return bool(_PHONE.search(user_agent or ""))


def tagged(link: str, channel: str) -> str:
    return f"{link}?ch={channel}"


def share_buttons(
    *,
    link: str,
    text: str,
    subject: str,
    phone: bool,
    facebook_app_id: str | None,
    back_to: str,
) -> list[ShareButton]:
    """The share buttons for this device, in the order Vietnamese shoppers use them.

    Zalo goes through its share plugin's endpoint (the page its share button opens), which
    works in a browser and hands over to the app on a phone. Messenger's ``fb-messenger://``
    link opens the app and does nothing on a computer, so computers get Facebook's Send
    dialog instead, which needs the installation's Facebook app id (without one there is no
    Messenger button on a computer).
    """
    buttons = [
        ShareButton(
            "zalo",
            "Zalo",
            f"{ZALO_SHARE}?{urlencode({'href': tagged(link, 'zalo'), 'layout': '1', 'color': 'blue', 'customize': 'false'})}",
            True,
        ),
        ShareButton(
            "facebook",
            "Facebook",
            f"{FACEBOOK_SHARE}?{urlencode({'u': tagged(link, 'facebook')})}",
            True,
        ),
    ]
    if phone:
        buttons.append(
            ShareButton(
                "messenger",
                "Messenger",
                f"fb-messenger://share/?{urlencode({'link': tagged(link, 'messenger')})}",
                False,
            )
        )
    elif facebook_app_id:
        query = {
            "app_id": facebook_app_id,
            "link": tagged(link, "messenger"),
            "redirect_uri": back_to,
        }
        buttons.append(
            ShareButton("messenger", "Messenger", f"{MESSENGER_WEB}?{urlencode(query)}", True)
        )
    whatsapp = urlencode({"text": f"{text} {tagged(link, 'whatsapp')}"})
    sms = urlencode({"body": f"{text} {tagged(link, 'sms')}"}).replace("+", "%20")
    email = urlencode({"subject": subject, "body": f"{text} {tagged(link, 'email')}"}).replace(
        "+", "%20"
    )
    buttons += [
        ShareButton("whatsapp", "WhatsApp", f"https://wa.me/?{whatsapp}", True),
        # "sms:?&body=" is the form both iOS and Android read.
        ShareButton("sms", "SMS", f"sms:?&{sms}", False),
        ShareButton("email", "E-mail", f"mailto:?{email}", False),
    ]
    return buttons
