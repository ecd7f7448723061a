"""A person's data in questions: the answers a verified buyer wrote through an invitation, found
by the e-mail or the phone of the order it came for, exported and erased with the
invitation; the question, its other answers and its count of answers stay right."""

from __future__ import annotations

from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from rcommerce.questions import invitations
from rcommerce.questions.models import AnswerInvitation, Question
from rcommerce.runtime import Runtime
from tests.questions.conftest import questions_of
from tests.support.runtime import StoreKeys

PRIVACY = "/api/v1/privacy"


def test_a_buyers_answer_is_theirs_by_e_mail_or_phone_and_goes_with_them(
    client: TestClient, runtime: Runtime, shop: StoreKeys, ask: Any
) -> None:
    bought = client.post(
        "/api/v1/orders",
        headers=shop.auth,
        json={
            "order_id": "DH-AN",
            "email": "an@example.com",
            "phone": "0912 345 678",
            "customer_name": "An",
            "total": "189000",
            "currency": "VND",
            "items": [{"product_id": "ao-thun", "name": "Áo thun cotton", "price": "189000"}],
        },
    )
    assert bought.status_code == 201, bought.text
    question_id = ask().json()["id"]  # Hoa asks; An, a buyer, is invited to answer
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    with runtime.transaction(readonly=True) as session:
        invitation = session.exec(select(AnswerInvitation)).one()
        path = invitations.answer_url(runtime.settings, invitation).removeprefix(
            "http://testserver"
        )
    answered = client.post(path, data={"name": "An", "body": "Mình giặt máy 3 tháng, không co."})
    assert answered.status_code == 200, answered.text
    by_store = client.post(
        f"/api/v1/questions/{question_id}/answers",
        headers=shop.auth,
        json={"body": "Dạ giặt máy chế độ nhẹ được ạ."},
    )
    assert by_store.status_code == 201
    runtime.dispatcher.drain()  # type: ignore[attr-defined]
    [shown] = questions_of(client, shop.publishable_key)["questions"]
    assert len(shown["answers"]) == 2

    by_phone = client.post(f"{PRIVACY}/export", headers=shop.auth, json={"phone": "+84912345678"})
    mine = by_phone.json()
    assert [a["body"] for a in mine["answers"]] == ["Mình giặt máy 3 tháng, không co."]
    assert [i["email"] for i in mine["answer_invitations"]] == ["an@example.com"]
    assert mine["questions"] == []  # Hoa's question is not An's
    by_email = client.post(f"{PRIVACY}/export", headers=shop.auth, json={"email": "an@example.com"})
    assert by_email.json()["answers"] == mine["answers"]

    erased = client.post(f"{PRIVACY}/erase", headers=shop.auth, json={"email": "an@example.com"})
    counts = erased.json()
    assert (counts["answers"], counts["answer_invitations"], counts["questions"]) == (1, 1, 0)
    [shown] = questions_of(client, shop.publishable_key)["questions"]
    assert [a["body"] for a in shown["answers"]] == ["Dạ giặt máy chế độ nhẹ được ạ."]
    with runtime.transaction(readonly=True) as session:
        question = session.get(Question, question_id)
        assert question is not None and question.answer_count == 1
    hoa = client.post(f"{PRIVACY}/export", headers=shop.auth, json={"email": "hoa@example.com"})
    assert [q["id"] for q in hoa.json()["questions"]] == [question_id]
