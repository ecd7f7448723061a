"""The product questions tab: held questions wait there, a manager publishes, rejects and
answers as the shop (CSRF checked), in Vietnamese and English, shoppers' text inert."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from rcommerce.runtime import Runtime
from tests.support.dashboard import ManagerLogin, log_in
from tests.support.reviews import ORIGIN, add_products


def _ask(client: TestClient, pk: str, body: str) -> int:
    response = client.post(
        f"/embed/v1/{pk}/products/ao-thun/questions",
        json={"body": body, "name": "<b>Hoa</b>"},
        headers={"Origin": ORIGIN},
    )
    assert response.status_code == 202, response.text
    question_id: int = response.json()["id"]
    return question_id


def test_a_manager_publishes_and_answers_questions_as_the_shop(
    client: TestClient, runtime: Runtime, manager: ManagerLogin
) -> None:
    add_products(runtime, manager.store)
    pk = manager.store.publishable_key
    held = _ask(client, pk, "Gọi mình <script>x</script> 0912 345 678 được không?")
    token = log_in(client, manager)
    page = client.get("/dashboard/questions")
    assert page.status_code == 200
    assert f'id="question-{held}"' in page.text
    assert "Có dữ liệu cá nhân" in page.text  # the flag, in words
    assert "<script>x</script>" not in page.text and "&lt;script&gt;" in page.text
    assert "&lt;b&gt;Hoa&lt;/b&gt;" in page.text
    refused = client.post(f"/dashboard/questions/{held}/published", data={})
    assert refused.status_code == 403  # no CSRF token: nothing done
    assert f'id="question-{held}"' in client.get("/dashboard/questions").text
    done = client.post(
        f"/dashboard/questions/{held}/published", data={"csrf": token}, follow_redirects=False
    )
    assert done.status_code == 303
    assert f'id="question-{held}"' not in client.get("/dashboard/questions").text
    answered = client.post(
        f"/dashboard/questions/{held}/answer",
        data={
            "csrf": token,
            "body": "Dạ shop sẽ gọi lại ạ.",
            "back": "/dashboard/questions?status=published",
        },
        follow_redirects=False,
    )
    assert answered.status_code == 303 and "notice=answered" in answered.headers["location"]
    published = client.get("/dashboard/questions?status=published&notice=answered")
    assert "Đã gửi câu trả lời." in published.text
    assert re.search(r'<span class="pill">Cửa hàng</span> <strong>Shop</strong>', published.text)
    widget = client.get(
        f"/embed/v1/{pk}/products/ao-thun/questions", headers={"Origin": ORIGIN}
    ).json()
    assert widget["questions"][0]["answers"][0] == {
        **widget["questions"][0]["answers"][0],
        "by": "shop",
        "body": "Dạ shop sẽ gọi lại ạ.",
    }
    too_short = client.post(f"/dashboard/questions/{held}/answer", data={"csrf": token, "body": ""})
    assert too_short.status_code == 422
    client.post("/dashboard/locale", data={"csrf": token, "locale": "en"})
    english = client.get("/dashboard/questions?status=published")
    assert "Product questions" in english.text and "Verified buyer" not in english.text
    assert '<span class="pill">Shop</span>' in english.text
