"""Outbound e-mail: SMTP when RCOMMERCE_SMTP_URL is set, the console otherwise (demo, dev).

The console shows whole messages only in the demo: elsewhere its output ends up in a web or
worker log, and messages carry single-use links (magic sign-in, review, unsubscribe)."""

from __future__ import annotations

import logging
import smtplib
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    message_id: str | None = None  # stable per job, so a retried send can be recognised


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


def unsubscribe_headers(link: str) -> dict[str, str]:
    """The headers of a message its recipient can stop with one click (RFC 2369, RFC 8058)."""
    return {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def build_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = mail.message_id or make_msgid(domain="rcommerce")
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


class ConsoleMailer:
    """Prints each message: whole in the embedded demo (so nobody needs a mail server), and
    otherwise one line naming its subject, without its text and links."""

    def __init__(self, sender: str, *, show_text: bool = False) -> None:
        self.sender = sender
        self.show_text = show_text

    def send(self, mail: Mail) -> None:
        out = sys.stdout
        if self.show_text:
            out.write(
                f"\n----- e-mail to {mail.to} -----\nSubject: {mail.subject}\n\n{mail.text}\n"
            )
            out.write("----- end of e-mail -----\n")
        else:
            out.write(
                f"e-mail not sent (RCOMMERCE_SMTP_URL is not set) to {_masked(mail.to)}: "
                f"{mail.subject}\n"
            )
        out.flush()


def _masked(address: str) -> str:
    """``khach@example.com`` -> ``k***@example.com``."""
    local, at, domain = address.rpartition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


class SMTPMailer:
    """smtp://user:pass@host:port (STARTTLS when offered), smtps://... for implicit TLS."""

    def __init__(self, url: str, sender: str, timeout: float = 20.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps"):
            raise ValueError("RCOMMERCE_SMTP_URL must start with smtp:// or smtps://")
        self.implicit_tls = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.sender = sender
        self.timeout = timeout

    def send(self, mail: Mail) -> None:
        message = build_message(mail, self.sender)
        smtp_class = smtplib.SMTP_SSL if self.implicit_tls else smtplib.SMTP
        with smtp_class(self.host, self.port, timeout=self.timeout) as client:
            if not self.implicit_tls:
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls()
                    client.ehlo()
            if self.username and self.password:
                client.login(self.username, self.password)
            client.send_message(message)


def make_mailer(smtp_url: str | None, sender: str, *, demo: bool = False) -> Mailer:
    """SMTP when configured; else the console, showing whole messages only in the demo."""
    return SMTPMailer(smtp_url, sender) if smtp_url else ConsoleMailer(sender, show_text=demo)
