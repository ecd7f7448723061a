"""Outbound e-mail: SMTP when RCOMMERCE_SMTP_URL is set, the console otherwise (demo, dev)."""

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
    """Prints each message; what the embedded demo uses so nobody needs a mail server."""

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, mail: Mail) -> None:
        out = sys.stdout
        out.write(f"\n----- e-mail to {mail.to} -----\nSubject: {mail.subject}\n\n{mail.text}\n")
        out.write("----- end of e-mail -----\n")
        out.flush()


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


def make_mailer(smtp_url: str | None, sender: str) -> Mailer:
    return SMTPMailer(smtp_url, sender) if smtp_url else ConsoleMailer(sender)
