"""Product questions: asked through the widget and screened by the reviews' rules, answered by
the store (API) and by verified buyers through a single-use invitation, askers told of each
answer by e-mail, helpful votes, and a search that ignores diacritics."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.questions.conftest import questions_of
from tests.support.reviews import ORIGIN, Submit, make_order
from tests.support.runtime import Clock, StoreKeys
from tests.support.smtp import Inbox, SMTPServer

INVITE = re.compile(r"http://testserver(/questions/answer/\S+)")


def drain(runtime: Runtime) -> None:
    runtime.dispatcher.drain()  # type: ignore[attr-defined]


def test_a_question_is_answered_by_the_shop_and_a_verified_buyer_and_the_asker_is_told(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    shop: StoreKeys,
    ask: Any,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH-1", "an@example.com", ["ao-thun"], customer_name="An")
    make_order(runtime, shop, "DH-2", "binh@example.com", ["ca-phe"])  # another product
    asked = ask()
    assert asked.status_code == 202, asked.text
    assert asked.json()["status"] == "published"
    question_id = asked.json()["id"]
    drain(runtime)
    # Only the buyer of this product is invited, once.
    [invite] = smtp_server.inbox.wait_for(1)
    assert invite["To"] == "an@example.com"
    assert "Áo thun cotton" in str(invite["Subject"])
    assert "List-Unsubscribe" in invite
    link = INVITE.search(Inbox.text_of(invite))
    assert link is not None
    # The store answers through the API.
    shop_answer = client.post(
        f"/api/v1/questions/{question_id}/answers",
        headers=shop.auth,
        json={"body": "Dạ giặt máy chế độ nhẹ được ạ."},
    )
    assert shop_answer.status_code == 201, shop_answer.text
    # The buyer answers through the invitation: a GET only shows the form; an empty answer
    # is refused and leaves the link usable.
    page = client.get(link.group(1))
    assert page.status_code == 200 and "Áo này giặt máy" in page.text
    empty = client.post(link.group(1), data={"name": "An", "body": " "})
    assert empty.status_code == 422 and "2 đến 2000 ký tự" in empty.text
    sent = client.post(
        link.group(1), data={"name": "An", "body": "Mình giặt máy 3 tháng rồi, không co."}
    )
    assert sent.status_code == 200 and "Cảm ơn" in sent.text
    again = client.post(link.group(1), data={"name": "An", "body": "Lần hai"})
    assert again.status_code == 410  # single use
    drain(runtime)
    shown = questions_of(client, shop.publishable_key)
    [question] = shown["questions"]
    marks = {a["by"]: a["body"] for a in question["answers"]}
    assert marks == {
        "shop": "Dạ giặt máy chế độ nhẹ được ạ.",
        "verified_buyer": "Mình giặt máy 3 tháng rồi, không co.",
    }
    assert question["answers"][0]["by"] == "shop"
    # The asker got one e-mail per answer, each with an unsubscribe link.
    messages = smtp_server.inbox.wait_for(3)
    to_asker = [m for m in messages if m["To"] == "hoa@example.com"]
    assert len(to_asker) == 2
    texts = [Inbox.text_of(m) for m in to_asker]
    assert any("Dạ giặt máy chế độ nhẹ được ạ." in t for t in texts)
    assert any("Mình giặt máy 3 tháng rồi, không co." in t for t in texts)
    assert all("/reviews/unsubscribe/" in t for t in texts)
    assert all("List-Unsubscribe" in m for m in to_asker)


def test_a_buyer_is_invited_at_most_once_a_week_and_never_after_unsubscribing(
    client: TestClient,
    smtp_runtime: Runtime,
    smtp_server: SMTPServer,
    clock: Clock,
    shop: StoreKeys,
    ask: Any,
) -> None:
    runtime = smtp_runtime
    make_order(runtime, shop, "DH-1", "an@example.com", ["ao-thun", "tai-nghe"])
    ask(email=None)
    drain(runtime)
    assert len(smtp_server.inbox.wait_for(1)) == 1
    ask(product_id="tai-nghe", body="Tai nghe này pin dùng được bao lâu?", email=None)
    drain(runtime)
    assert len(smtp_server.inbox.messages) == 1  # the same week: not invited again
    clock.advance(days=8)
    ask(product_id="tai-nghe", body="Tai nghe có chống ồn chủ động không?", email=None)
    drain(runtime)
    [_, second] = smtp_server.inbox.wait_for(2)
    unsubscribe = re.search(r"http://testserver(/reviews/unsubscribe/\S+)", Inbox.text_of(second))
    assert unsubscribe is not None and client.post(unsubscribe.group(1)).status_code == 200
    clock.advance(days=8)
    ask(body="Áo có màu đen không shop?", email=None)
    drain(runtime)
    assert len(smtp_server.inbox.messages) == 2


def test_questions_are_screened_by_the_reviews_rules(
    client: TestClient, runtime: Runtime, shop: StoreKeys, ask: Any
) -> None:
    assert ask(body="Mua ở đâu rẻ hơn? www.re.vn và http://x.com/y").json()["status"] == "rejected"
    assert ask(body="Shop gọi mình 0912 345 678 nhé").json()["status"] == "pending"
    assert ask(body="Áo này đéo ra gì phải không").json()["status"] == "rejected"
    assert ask(body="Có size XL không?", website="http://bot").json()["status"] == "rejected"
    body = "Chất vải áo này có dày không, mặc mùa hè có nóng không ạ?"
    assert ask(body=body).json()["status"] == "published"
    assert ask(body=body, email="khac@example.com").json()["status"] == "rejected"  # duplicate
    shown = questions_of(client, shop.publishable_key)
    assert [q["body"] for q in shown["questions"]] == [body]
    # A manager publishes the held one; it shows, the rejected ones never do.
    listed = client.get("/api/v1/questions", params={"status": "pending"}, headers=shop.auth)
    [held] = listed.json()["questions"]
    assert held["flags"] == ["personal_data"]
    client.patch(f"/api/v1/questions/{held['id']}", headers=shop.auth, json={"status": "published"})
    assert len(questions_of(client, shop.publishable_key)["questions"]) == 2


def test_bad_input_and_other_stores_are_refused_with_clear_answers(
    client: TestClient, shop: StoreKeys, make_store: Any, ask: Any
) -> None:
    assert ask(body="").status_code == 422
    assert ask(name="").status_code == 422
    assert ask(email="not-an-address").status_code == 422
    assert ask(product_id="khong-co").status_code == 422  # unknown, and no product name
    assert ask(surprise=1).status_code == 422
    assert ask(product_id="x" * 201).status_code == 422
    assert (
        client.get(
            f"/embed/v1/{shop.publishable_key}/products/{'x' * 201}/questions",
            headers={"Origin": ORIGIN},
        ).status_code
        == 422
    )
    other = make_store(name="Other", origins=("https://other.example",))
    question_id = ask().json()["id"]
    assert (
        client.post(
            f"/api/v1/questions/{question_id}/answers", headers=other.auth, json={"body": "Hi!"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/questions/{question_id}", headers=other.auth).status_code == 404
    assert client.get("/api/v1/questions").status_code == 401
    # The widget answers only on the store's origins.
    foreign = client.post(
        f"/embed/v1/{shop.publishable_key}/products/ao-thun/questions",
        json={"body": "Có size XL không?", "name": "X"},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    bad_link = client.get("/questions/answer/not-a-token")
    assert bad_link.status_code == 400 and "không hợp lệ" in bad_link.text


def test_answers_take_helpful_votes_one_per_visitor(
    client: TestClient, runtime: Runtime, shop: StoreKeys, ask: Any
) -> None:
    question_id = ask().json()["id"]
    answered = client.post(
        f"/api/v1/questions/{question_id}/answers", headers=shop.auth, json={"body": "Được ạ."}
    )
    answer_id = answered.json()["answers"][0]["id"]
    url = f"/embed/v1/{shop.publishable_key}/answers/{answer_id}/votes"
    first = client.post(url, json={"helpful": True}, headers={"Origin": ORIGIN})
    assert first.status_code == 200 and first.json()["helpful"] == 1
    visitor = first.json()["visitor"]
    again = client.post(
        url, json={"helpful": True}, headers={"Origin": ORIGIN, "X-RC-Visitor": visitor}
    )
    assert again.json() == {"helpful": 1, "not_helpful": 0, "visitor": None}
    changed = client.post(
        url, json={"helpful": False}, headers={"Origin": ORIGIN, "X-RC-Visitor": visitor}
    )
    assert changed.json()["helpful"] == 0 and changed.json()["not_helpful"] == 1
    missing = client.post(
        f"/embed/v1/{shop.publishable_key}/answers/999999/votes",
        json={"helpful": True},
        headers={"Origin": ORIGIN},
    )
    assert missing.status_code == 404


def test_search_ignores_diacritics_and_shows_matching_reviews_and_answers(
    client: TestClient, runtime: Runtime, shop: StoreKeys, ask: Any, submit: Submit
) -> None:
    submit(body="Giặt máy thoải mái, áo không bị co hay phai màu.", email="a@example.com")
    submit(body="Màu đẹp, giao nhanh, đóng gói cẩn thận.", email="b@example.com")
    drain(runtime)
    washing = ask(body="Áo giặt máy có bị phai màu không?").json()["id"]
    ask(body="Shop có size XXL cho người 90kg không?")
    client.post(
        f"/api/v1/questions/{washing}/answers",
        headers=shop.auth,
        json={"body": "Dạ giặt máy được, nên lộn trái áo."},
    )
    found = questions_of(client, shop.publishable_key, q="giat may phai mau")
    assert [q["id"] for q in found["questions"]] == [washing]
    assert [r["body"] for r in found["reviews"]] == [
        "Giặt máy thoải mái, áo không bị co hay phai màu."
    ]
    # English and an answer's words find it too; nothing matching, nothing shown.
    assert questions_of(client, shop.publishable_key, q="LỘN TRÁI")["questions"][0]["id"] == washing
    nothing = questions_of(client, shop.publishable_key, q="bluetooth pin")
    assert nothing["questions"] == [] and nothing["reviews"] == []
    everything = questions_of(client, shop.publishable_key)
    assert everything["questions"][0]["id"] == washing  # answered questions first
    assert len(everything["questions"]) == 2
