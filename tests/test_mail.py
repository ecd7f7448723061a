from __future__ import annotations

from rcommerce.mail import Mail, SMTPMailer
from tests.support.smtp import SMTPServer


def test_smtp_mailer_delivers_to_a_real_server(smtp_server: SMTPServer) -> None:
    mailer = SMTPMailer(smtp_server.url, "Cửa hàng <shop@example.com>")
    mailer.send(Mail(to="khach@example.com", subject="Cảm ơn bạn đã mua hàng", text="Xin chào 👋"))
    [message] = smtp_server.inbox.wait_for(1)
    assert message["To"] == "khach@example.com"
    assert message["Subject"] == "Cảm ơn bạn đã mua hàng"
    assert "Xin chào 👋" in smtp_server.inbox.text_of(message)
