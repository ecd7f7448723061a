from __future__ import annotations

from pathlib import Path

import pytest

from rcommerce.mail import ConsoleMailer, Mail, SMTPMailer, make_mailer
from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.support.runtime import TEST_SECRET
from tests.support.smtp import SMTPServer


def test_smtp_mailer_delivers_to_a_real_server(smtp_server: SMTPServer) -> None:
    mailer = SMTPMailer(smtp_server.url, "Cửa hàng <shop@example.com>")
    mailer.send(Mail(to="khach@example.com", subject="Cảm ơn bạn đã mua hàng", text="Xin chào 👋"))
    [message] = smtp_server.inbox.wait_for(1)
    assert message["To"] == "khach@example.com"
    assert message["Subject"] == "Cảm ơn bạn đã mua hàng"
    assert "Xin chào 👋" in smtp_server.inbox.text_of(message)


def test_the_console_shows_links_only_in_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    """Outside the demo the console is a web or worker log: no single-use link goes there."""
    link = "http://shop.example/portal/pk_live_x/login/eyJhIjoxfQ.secret-token"
    mail = Mail(to="khach@example.com", subject="Đăng nhập", text=f"Nhấn vào: {link}")
    make_mailer(None, "shop@example.com").send(mail)
    logged = capsys.readouterr().out
    assert "secret-token" not in logged and "khach@" not in logged
    assert (
        logged == "e-mail not sent (RCOMMERCE_SMTP_URL is not set) to k***@example.com: Đăng nhập\n"
    )
    make_mailer(None, "shop@example.com", demo=True).send(mail)
    assert link in capsys.readouterr().out


def test_a_runtime_prints_whole_e_mails_only_in_demo_mode(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite://", secret_key=TEST_SECRET, data_dir=tmp_path)
    quiet = Runtime(settings)
    demo = Runtime(settings.with_overrides(demo=True))
    try:
        assert isinstance(quiet.mailer, ConsoleMailer) and not quiet.mailer.show_text
        assert isinstance(demo.mailer, ConsoleMailer) and demo.mailer.show_text
    finally:
        quiet.close()
        demo.close()
