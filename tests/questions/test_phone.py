"""Product questions with people known only by phone: an asker who gives a phone is told of
each answer by Zalo ZNS (SMS when Zalo refuses), a buyer whose order has only a phone is
invited to answer by ZNS or SMS with the signed single-use link (at most once a week), and a
data request by phone covers both. The local ZNS and SMS servers check every request's shape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from rcommerce.settings import Settings
from tests.questions.conftest import questions_of
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs, apis, platform_apis_server
from tests.support.runtime import Clock, StoreKeys

__all__ = ["apis", "platform_apis_server"]

LINK = re.compile(r"https?://testserver(/questions/answer/\S+)")


@pytest.fixture
def settings(settings: Settings, platform_apis_server: PlatformAPIs) -> Settings:
    """ZNS with the review-request and answer-notice templates (no answer-invitation one), and
    the SMS gateway, pointing at the local servers on loopback."""
    base = platform_apis_server.base_url
    return settings.with_overrides(
        test_private_networks=("127.0.0.0/8",),
        messaging=(
            ("RCOMMERCE_SMS_AUTHORIZATION", fake.SMS_AUTH),
            ("RCOMMERCE_SMS_URL", f"{base}/sms/send"),
            ("RCOMMERCE_ZNS_ACCESS_TOKEN", fake.ZNS_TOKEN),
            ("RCOMMERCE_ZNS_TEMPLATE_ID", "492946"),
            ("RCOMMERCE_ZNS_ANSWER_NOTICE_TEMPLATE_ID", "510777"),
            ("RCOMMERCE_ZNS_QUESTION_PARAMS", "link=xem_tra_loi"),
            ("RCOMMERCE_ZNS_URL", f"{base}/message/template"),
        ),
    )


def drain(runtime: Runtime) -> None:
    runtime.dispatcher.drain()  # type: ignore[attr-defined]


def phone_order(
    client: TestClient, shop: StoreKeys, order_id: str, phone: str, *items: str
) -> None:
    made = client.post(
        "/api/v1/orders",
        headers=shop.auth,
        json={"order_id": order_id, "phone": phone, "total": "189000", "currency": "VND",
              "customer_name": "Chị Mai",
              "items": [{"product_id": p, "name": p, "price": "189000"} for p in items]},
    )  # fmt: skip
    assert made.status_code == 201, made.text


def with_page(client: TestClient, shop: StoreKeys) -> None:
    put = client.put(
        "/api/v1/products/ao-thun", headers=shop.auth, json={"url": "https://shop.example/p/ao"}
    )
    assert put.status_code in (200, 201), put.text


def test_an_asker_by_phone_is_told_of_each_answer_by_zns_then_sms(
    client: TestClient, runtime: Runtime, shop: StoreKeys, ask: Any, apis: PlatformAPIs
) -> None:
    with_page(client, shop)
    assert ask(email=None, phone="12").status_code == 422  # not a phone number
    asked = ask(email=None, phone="0912 345 678")
    assert asked.status_code == 202, asked.text
    question_id = asked.json()["id"]
    drain(runtime)
    listed = client.get("/api/v1/questions", headers=shop.auth).json()["questions"]
    assert (listed[0]["email"], listed[0]["phone"]) == (None, "+84912345678")
    apis.zns_cta_param = "xem_tra_loi"
    answer = client.post(
        f"/api/v1/questions/{question_id}/answers",
        headers=shop.auth,
        json={"body": "Dạ giặt máy chế độ nhẹ được ạ."},
    )
    assert answer.status_code == 201, answer.text
    drain(runtime)
    assert apis.violations == []
    (call,) = apis.calls("/message/template", "POST")
    assert (call.json["phone"], call.json["template_id"]) == ("84912345678", "510777")
    assert call.json["template_data"] == {
        "customer_name": "Hoa", "product_name": "Áo thun cotton",
        "xem_tra_loi": "https://shop.example/p/ao",
    }  # fmt: skip
    assert apis.calls("/sms/send") == []
    # Zalo refuses the next one (no Zalo account): the SMS gateway carries it, link in the text.
    apis.zns_error = -118
    client.post(
        f"/api/v1/questions/{question_id}/answers", headers=shop.auth, json={"body": "Thêm: ..."}
    )
    drain(runtime)
    assert len(apis.calls("/message/template", "POST")) == 2
    (sms,) = apis.calls("/sms/send", "POST")
    assert sms.json["to"] == "84912345678"
    assert "https://shop.example/p/ao" in sms.json["text"] and "Ao thun cotton" in sms.json["text"]
    assert apis.violations == []
    # An asker with an e-mail is told by e-mail only, never by phone too.
    both = ask(body="Áo có size XXL không shop ơi?", phone="0912 345 679").json()["id"]
    client.post(f"/api/v1/questions/{both}/answers", headers=shop.auth, json={"body": "Có ạ."})
    drain(runtime)
    assert len(apis.calls("/message/template", "POST")) == 2 and len(apis.calls("/sms/send")) == 1


def test_a_buyer_known_by_phone_is_invited_by_sms_once_a_week_and_answers_as_verified(
    client: TestClient,
    runtime: Runtime,
    shop: StoreKeys,
    ask: Any,
    apis: PlatformAPIs,
    clock: Clock,
) -> None:
    phone_order(client, shop, "POS-7", "0987 654 321", "ao-thun", "tai-nghe")
    asked = ask()
    assert asked.json()["status"] == "published", asked.text
    drain(runtime)
    # No ZNS template for invitations here: Zalo is not asked, the SMS carries the link.
    assert apis.calls("/message/template") == []
    (sms,) = apis.calls("/sms/send", "POST")
    assert sms.json["to"] == "84987654321" and "Ao thun cotton" in sms.json["text"]
    link = LINK.search(sms.json["text"])
    assert link is not None and apis.violations == []
    page = client.get(link.group(1))
    assert page.status_code == 200 and "Áo này giặt máy" in page.text
    assert "84987654321" not in page.text and "+84987654321" not in page.text
    sent = client.post(link.group(1), data={"name": "", "body": "Giặt máy vẫn ổn, không co."})
    assert sent.status_code == 200, sent.text
    assert client.post(link.group(1), data={"body": "Lần hai"}).status_code == 410
    drain(runtime)
    [question] = questions_of(client, shop.publishable_key)["questions"]
    [answer] = question["answers"]
    assert (answer["by"], answer["author"]) == ("verified_buyer", "Chị Mai")
    # The same week, another question: the buyer is not messaged again.
    ask(product_id="tai-nghe", body="Tai nghe này pin dùng được bao lâu?")
    drain(runtime)
    assert len(apis.calls("/sms/send")) == 1
    clock.advance(days=8)
    ask(product_id="tai-nghe", body="Tai nghe có chống ồn chủ động không?")
    drain(runtime)
    assert len(apis.calls("/sms/send")) == 2
    # When no channel takes it, nothing stays behind: no live link, no week counted.
    apis.sms_status = 503
    clock.advance(days=8)
    ask(product_id="tai-nghe", body="Tai nghe có kết nối hai máy cùng lúc không?")
    drain(runtime)
    apis.sms_status = 200
    with runtime.transaction(readonly=True) as session:
        from sqlmodel import select

        from rcommerce.questions.models import AnswerInvitation

        rows = list(session.exec(select(AnswerInvitation)))
    assert [(r.channel, r.email) for r in rows] == [("phone", "+84987654321")] * 2


def test_an_invitation_by_sms_carries_the_opt_out_link_and_an_opted_out_buyer_is_left_alone(
    client: TestClient,
    runtime: Runtime,
    shop: StoreKeys,
    ask: Any,
    apis: PlatformAPIs,
    clock: Clock,
) -> None:
    phone_order(client, shop, "POS-8", "0987 654 322", "ao-thun", "tai-nghe")
    ask()
    drain(runtime)
    (sms,) = apis.calls("/sms/send", "POST")
    opt_out = re.search(r"http://testserver(/o/\S+)", sms.json["text"])
    assert opt_out is not None, sms.json["text"]  # the buyer did not ask for this message
    assert client.post(opt_out.group(1)).status_code == 200
    clock.advance(days=8)
    ask(product_id="tai-nghe", body="Tai nghe có chống ồn chủ động không?")
    drain(runtime)
    assert len(apis.calls("/sms/send")) == 1  # opted out: not invited again
    assert apis.calls("/message/template") == []


def test_a_data_request_by_phone_covers_questions_asked_and_invitations_received(
    client: TestClient, runtime: Runtime, shop: StoreKeys, ask: Any, apis: PlatformAPIs
) -> None:
    phone_order(client, shop, "POS-8", "0987 654 321", "ao-thun")
    ask(email=None, phone="+84 98 765 4321", body="Áo này có bị xù lông không shop?")
    ask(body="Áo này giặt máy được không, có bị co không?")  # someone else's, by e-mail
    drain(runtime)
    privacy = "/api/v1/privacy"
    mine = client.post(f"{privacy}/export", headers=shop.auth, json={"phone": "0987654321"})
    assert mine.status_code == 200, mine.text
    section = mine.json()
    assert [q["body"] for q in section["questions"]] == ["Áo này có bị xù lông không shop?"]
    assert section["questions"][0]["phone"] == "+84987654321"
    assert [(i["email"], i["phone"]) for i in section["answer_invitations"]] == [
        (None, "+84987654321")
    ]
    erased = client.post(f"{privacy}/erase", headers=shop.auth, json={"phone": "0987654321"})
    assert erased.status_code == 200, erased.text
    counts = erased.json()
    assert (counts["questions"], counts["answer_invitations"]) == (1, 1)
    left = questions_of(client, shop.publishable_key)["questions"]
    assert [q["body"] for q in left] == ["Áo này giặt máy được không, có bị co không?"]
    again = client.post(f"{privacy}/export", headers=shop.auth, json={"phone": "0987654321"})
    section = again.json()
    assert section["questions"] == [] and section["answer_invitations"] == []
