"""Thanking reviewers: an e-mail when the review is published (with the store's reply when
there is one), a notice when a reply comes later, plain text as written, unsubscribe honoured."""

from __future__ import annotations

import re
import threading

from sqlalchemy import text
from starlette.testclient import TestClient

from rcommerce.mail import Mail, Mailer
from rcommerce.runtime import Runtime
from tests.support.reviews import Submit, only_review, published
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer


def test_a_published_review_is_thanked_and_a_later_reply_announced(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    submit: Submit,
) -> None:
    runtime = smtp_runtime
    body = 'Áo "cotton" thật, <đẹp> & mát. Giao nhanh!'
    review_id = published(runtime, submit, body=body, title="Ưng ý")
    [thanks] = smtp_server.inbox.wait_for(1)
    text = Inbox.text_of(thanks)
    assert thanks["To"] == "lan@example.com"
    assert str(thanks["Subject"]) == "Cảm ơn bạn đã đánh giá Áo thun cotton"
    assert body in text and "&#34;" not in text and "&amp;" not in text  # text, not HTML
    assert "List-Unsubscribe" in thanks
    reply = client.put(
        f"/api/v1/reviews/{review_id}/reply", headers=shop.auth, json={"body": 'Cảm ơn chị "Lan"!'}
    )
    assert reply.status_code == 200
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [_, notice] = smtp_server.inbox.wait_for(2)
    assert "đã trả lời đánh giá của bạn" in str(notice["Subject"])
    assert 'Cảm ơn chị "Lan"!' in Inbox.text_of(notice)
    # A second reply edit sends nothing more.
    client.put(f"/api/v1/reviews/{review_id}/reply", headers=shop.auth, json={"body": "Cảm ơn!"})
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.messages) == 2


def test_a_reply_before_publication_rides_with_the_thanks_and_unsubscribes_hold(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    submit: Submit,
) -> None:
    runtime = smtp_runtime
    submit(body="Hàng ổn, gọi 0912 345 678 để đổi size", email="binh@example.com")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    review_id = only_review(runtime, email="binh@example.com").id
    client.put(f"/api/v1/reviews/{review_id}/reply", headers=shop.auth, json={"body": "Dạ vâng."})
    client.patch(f"/api/v1/reviews/{review_id}", headers=shop.auth, json={"status": "published"})
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [thanks] = smtp_server.inbox.wait_for(1)
    assert "Dạ vâng." in Inbox.text_of(thanks)  # one e-mail, with the reply
    # Lan unsubscribes (one click on the thank-you's link): her next review is not thanked.
    link = re.search(r"http://testserver(/reviews/unsubscribe/\S+)", Inbox.text_of(thanks))
    assert link is not None and client.post(link.group(1)).status_code == 200
    published(runtime, submit, product_id="ca-phe", email="binh@example.com")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.messages) == 1


def test_thank_yous_sent_together_survive_a_refused_one_without_thanking_anyone_twice(
    smtp_runtime: Runtime, smtp_server: SMTPServer, clock: Clock, submit: Submit
) -> None:
    runtime = smtp_runtime
    bodies = {
        "an@example.com": "Áo mặc mát, đường may chắc chắn, đúng size.",
        "binh@example.com": "Giao hàng nhanh, đóng gói cẩn thận, sẽ ủng hộ tiếp.",
        "chi@example.com": "Màu đẹp hơn trong hình, chất vải dày dặn, rất đáng tiền.",
    }
    for n, (address, body) in enumerate(bodies.items()):
        assert submit(email=address, name=f"K{n}", body=body).status_code == 202
    # The second address is refused for now: the first was thanked already, the other two wait.
    smtp_server.inbox.refuse_once.add("binh@example.com")
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert [m["To"] for m in smtp_server.inbox.wait_for(1)] == ["an@example.com"]
    assert only_review(runtime, email="an@example.com").thanked_at is not None
    assert only_review(runtime, email="binh@example.com").thanked_at is None
    assert only_review(runtime, email="chi@example.com").thanked_at is None
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.messages) == 1  # not before their new try is due
    clock.advance(minutes=2)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    sent = sorted(m["To"] for m in smtp_server.inbox.wait_for(3))
    assert sent == sorted(bodies)
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.messages) == 3


class WriteWhileSending:
    """Sends through ``inner``; first, another thread writes to the database and says
    whether it could while the e-mail was being sent (a held write lock would stop it)."""

    def __init__(self, inner: Mailer, runtime: Runtime) -> None:
        self.inner, self.runtime = inner, runtime
        self.could_write: list[bool] = []

    def send(self, mail: Mail) -> None:
        wrote = threading.Event()

        def write() -> None:
            with self.runtime.transaction() as session:
                session.execute(text("UPDATE store SET name = name"))
            wrote.set()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        writer.join(5)
        self.could_write.append(wrote.is_set())
        self.inner.send(mail)


def test_thank_yous_and_reply_notices_are_sent_holding_no_write_lock(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    submit: Submit,
) -> None:
    """A slow mail server must not stop the shop's writes: the e-mails go out between the
    read that prepares them and the write that marks them sent."""
    runtime = smtp_runtime
    mailer = WriteWhileSending(runtime.mailer, runtime)
    runtime.mailer = mailer
    review_id = published(runtime, submit)
    client.put(f"/api/v1/reviews/{review_id}/reply", headers=shop.auth, json={"body": "Dạ."})
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    assert len(smtp_server.inbox.wait_for(2)) == 2
    assert mailer.could_write == [True, True]
