"""ZNS and SMS against local servers that check the documented request shapes; ZNS falls back to SMS."""

from __future__ import annotations

import httpx
import pytest

from rcommerce import net
from rcommerce.messaging import (
    PhoneNotice,
    ReviewRequestMessage,
    SMSConfig,
    SMSSender,
    ZNSConfig,
    ZNSSender,
    send_first,
)
from rcommerce.messaging.messages import unaccented
from rcommerce.messaging.sms import format_phone
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs

REVIEW_URL = "https://reviews.example.vn/r/review/eyJvIjoxODQyfQ.sig"


def message(**changes: str) -> ReviewRequestMessage:
    values = {
        "phone": "+84912345678",
        "buyer_name": "Phạm Thị Hoa",
        "order_code": "SON687034",
        "review_url": REVIEW_URL,
        "tracking_id": "rr-1842-7f3a",
        "store_name": "Nến Thơm Mộc",
    }
    values.update(changes)
    return ReviewRequestMessage(**values)


def zns(api: PlatformAPIs, token: str = fake.ZNS_TOKEN) -> ZNSSender:
    return ZNSSender(
        ZNSConfig.from_env(
            {
                "RCOMMERCE_ZNS_ACCESS_TOKEN": token,
                "RCOMMERCE_ZNS_TEMPLATE_ID": "492946",
                "RCOMMERCE_ZNS_URL": f"{api.base_url}/message/template",
            }
        )
        or pytest.fail("ZNS is configured")
    )


def sms(api: PlatformAPIs, **env: str) -> SMSSender:
    config = SMSConfig.from_env(
        {
            "RCOMMERCE_SMS_URL": f"{api.base_url}/sms/send",
            "RCOMMERCE_SMS_AUTHORIZATION": fake.SMS_AUTH,
            "RCOMMERCE_SMS_SENDER": "NENTHOMMOC",
            **env,
        }
    )
    assert config is not None
    return SMSSender(config)


def test_zns_template_message(apis: PlatformAPIs, http: httpx.Client) -> None:
    result = zns(apis).send(message(), http=http)
    assert apis.violations == []
    assert result.ok and result.channel == "zns"
    assert result.message_id and result.message_id.startswith("zns")
    (call,) = apis.requests
    assert call.headers["access_token"] == fake.ZNS_TOKEN
    assert call.json == {
        "phone": "84912345678",
        "template_id": "492946",
        "template_data": {
            "customer_name": "Phạm Thị Hoa",
            "order_code": "SON687034",
            "review_url": REVIEW_URL,
        },
        "tracking_id": "rr-1842-7f3a",
    }


def test_zns_parameter_names_and_development_mode_come_from_the_environment(
    apis: PlatformAPIs, http: httpx.Client
) -> None:
    apis.zns_cta_param = "link_danh_gia"
    config = ZNSConfig.from_env(
        {
            "RCOMMERCE_ZNS_ACCESS_TOKEN": fake.ZNS_TOKEN,
            "RCOMMERCE_ZNS_TEMPLATE_ID": "492946",
            "RCOMMERCE_ZNS_URL": f"{apis.base_url}/message/template",
            "RCOMMERCE_ZNS_PARAMS": "buyer_name=ten_khach, review_url=link_danh_gia, bogus=x",
            "RCOMMERCE_ZNS_DEVELOPMENT": "true",
        }
    )
    assert config is not None
    assert ZNSSender(config).send(message(buyer_name=""), http=http).ok
    body = apis.requests[0].json
    assert body["mode"] == "development"
    assert body["template_data"] == {
        "ten_khach": "Quý khách",
        "order_code": "SON687034",
        "link_danh_gia": REVIEW_URL,
    }
    assert apis.violations == []


def test_zns_is_not_configured_without_token_and_template() -> None:
    assert ZNSConfig.from_env({}) is None
    assert ZNSConfig.from_env({"RCOMMERCE_ZNS_ACCESS_TOKEN": "x"}) is None
    assert "x-secret" not in repr(ZNSConfig(access_token="x-secret", template_id="1"))


def test_zns_error_answers_are_failures_with_the_providers_code(
    apis: PlatformAPIs, http: httpx.Client
) -> None:
    apis.zns_error = -118
    result = zns(apis).send(message(), http=http)
    assert (result.ok, result.error_code, result.retryable) == (False, "-118", False)
    assert result.detail == "Zalo account not existed"
    bad_token = zns(apis, "expired").send(message(), http=http)
    assert (bad_token.ok, bad_token.error_code) == (False, "-124")


def test_zns_unreachable_is_a_retryable_failure(http: httpx.Client) -> None:
    from tests.support.servers import free_port

    sender = ZNSSender(ZNSConfig("t", "1", url=f"http://127.0.0.1:{free_port()}/message/template"))
    result = sender.send(message(), http=http)
    assert (result.ok, result.error_code, result.retryable) == (False, "transport", True)


def test_zns_timeout_is_a_retryable_failure(apis: PlatformAPIs, http: httpx.Client) -> None:
    apis.delay = 0.5
    sender = ZNSSender(
        ZNSConfig(fake.ZNS_TOKEN, "1", url=f"{apis.base_url}/message/template", timeout=0.1)
    )
    result = sender.send(message(), http=http)
    assert (result.ok, result.error_code, result.retryable) == (False, "timeout", True)


def test_sms_gateway(apis: PlatformAPIs, http: httpx.Client) -> None:
    result = sms(apis).send(message(), http=http)
    assert apis.violations == []
    assert result.ok and result.message_id and result.message_id.startswith("sms")
    (call,) = apis.requests
    assert call.headers["authorization"] == fake.SMS_AUTH
    assert call.json == {
        "to": "84912345678",
        "text": "Nen Thom Moc: Cam on Pham Thi Hoa da mua don SON687034. "
        f"Moi ban danh gia san pham tai: {REVIEW_URL}",
        "reference": "rr-1842-7f3a",
        "sender": "NENTHOMMOC",
    }


def test_sms_with_diacritics_in_national_format(apis: PlatformAPIs, http: httpx.Client) -> None:
    sms(apis, RCOMMERCE_SMS_ASCII="0", RCOMMERCE_SMS_PHONE_FORMAT="national").send(
        message(locale="en"), http=http
    )
    body = apis.requests[0].json
    assert body["to"] == "0912345678"
    assert body["text"].startswith("Nến Thơm Mộc: Thank you Phạm Thị Hoa for order SON687034.")


def test_sms_gateway_down_is_retryable(apis: PlatformAPIs, http: httpx.Client) -> None:
    apis.sms_status = 503
    result = sms(apis).send(message(), http=http)
    assert (result.ok, result.error_code, result.retryable) == (False, "http_503", True)


def test_sms_refused_credentials(apis: PlatformAPIs, http: httpx.Client) -> None:
    result = sms(apis, RCOMMERCE_SMS_AUTHORIZATION="Bearer wrong").send(message(), http=http)
    assert (result.ok, result.error_code, result.retryable) == (False, "http_401", False)


def test_sms_configuration() -> None:
    assert SMSConfig.from_env({}) is None
    with pytest.raises(ValueError):
        SMSConfig.from_env({"RCOMMERCE_SMS_URL": "http://x", "RCOMMERCE_SMS_PHONE_FORMAT": "x"})
    assert format_phone("+84912345678", "e164") == "+84912345678"
    assert format_phone("+84912345678", "national") == "0912345678"
    assert format_phone("+14155550100", "national") == "14155550100"


def test_zns_first_then_sms_when_zalo_has_no_account(
    apis: PlatformAPIs, http: httpx.Client
) -> None:
    apis.zns_error = -118
    attempts = send_first([zns(apis), sms(apis)], message(), http=http)
    assert [(a.channel, a.ok) for a in attempts] == [("zns", False), ("sms", True)]
    assert [r.path for r in apis.requests] == ["/message/template", "/sms/send"]
    assert apis.violations == []


def test_the_chain_stops_at_the_first_success(apis: PlatformAPIs, http: httpx.Client) -> None:
    attempts = send_first([zns(apis), sms(apis)], message(), http=http)
    assert [(a.channel, a.ok) for a in attempts] == [("zns", True)]
    assert len(apis.requests) == 1


def test_every_channel_failing_is_reported(apis: PlatformAPIs, http: httpx.Client) -> None:
    apis.zns_error, apis.sms_status = -118, 503
    attempts = send_first([zns(apis), sms(apis)], message(), http=http)
    assert [a.ok for a in attempts] == [False, False]
    assert attempts[-1].retryable


def test_a_message_needs_e164_and_a_short_tracking_id() -> None:
    with pytest.raises(ValueError):
        message(phone="0912345678")
    with pytest.raises(ValueError):
        message(tracking_id="x" * 49)


def test_unaccented_vietnamese() -> None:
    assert unaccented("Đánh giá đơn hàng của bạn") == "Danh gia don hang cua ban"


def test_the_local_zns_server_refuses_a_link_outside_the_cta_parameter(
    apis: PlatformAPIs, http: httpx.Client
) -> None:
    """The check the other ZNS tests rely on does catch a link in the message text."""
    apis.zns_cta_param = "cta_button"
    result = zns(apis).send(message(), http=http)
    assert (result.ok, result.error_code) == (False, "-201")
    assert apis.violations and "CTA" in apis.violations[0]


def test_gateways_on_private_addresses_are_refused(apis: PlatformAPIs) -> None:
    """With the production client, a gateway URL on loopback is never reached."""
    with net.client() as guarded:
        attempts = send_first([zns(apis), sms(apis)], message(), http=guarded)
    assert [(a.channel, a.error_code, a.detail, a.retryable) for a in attempts] == [
        ("zns", "refused", "refused: private address", False),
        ("sms", "refused", "refused: private address", False),
    ]
    assert apis.requests == []


def test_a_notice_goes_by_its_own_zns_template_or_straight_to_sms(
    apis: PlatformAPIs, http: httpx.Client
) -> None:
    apis.zns_cta_param = "lien_ket"
    config = ZNSConfig.from_env(
        {
            "RCOMMERCE_ZNS_ACCESS_TOKEN": fake.ZNS_TOKEN,
            "RCOMMERCE_ZNS_TEMPLATES": "login=301234, welcome = 301236",
            "RCOMMERCE_ZNS_PARAMS": "link=lien_ket",
            "RCOMMERCE_ZNS_URL": f"{apis.base_url}/message/template",
        }
    )
    assert config is not None and config.template_id == ""  # notices only
    login = PhoneNotice(
        phone="+84912345678",
        purpose="login",
        text="Cửa hàng: link đăng nhập https://rc.example/portal/pk/login/abc",
        link="https://rc.example/portal/pk/login/abc",
        tracking_id="adv-1",
        name="",
    )
    results = send_first([ZNSSender(config), sms(apis)], login, http=http)
    assert [(r.channel, r.ok) for r in results] == [("zns", True)]
    (call,) = apis.calls("/message/template")
    assert call.json["template_id"] == "301234"
    assert call.json["template_data"] == {
        "customer_name": "Quý khách",
        "lien_ket": "https://rc.example/portal/pk/login/abc",
    }
    assert apis.violations == []
    # No template for this purpose (nor a review-request one): ZNS is not called, SMS goes.
    apis.reset()
    confirm = PhoneNotice(
        phone="+84912345678", purpose="review_confirmation", text="Xác nhận: https://x.example/c",
        link="https://x.example/c", tracking_id="rc-1",
    )  # fmt: skip
    results = send_first([ZNSSender(config), sms(apis)], confirm, http=http)
    assert [(r.channel, r.ok, r.error_code) for r in results] == [
        ("zns", False, "no_template"),
        ("sms", True, None),
    ]
    assert not apis.calls("/message/template")
    (sent,) = apis.calls("/sms/send")
    assert sent.json["text"] == "Xac nhan: https://x.example/c"  # unaccented by default


def test_a_review_request_sms_ends_with_its_opt_out_link() -> None:
    text = message(opt_out_url="https://rc.example/o/tok").sms_text()
    assert text.endswith(" Từ chối nhận tin: https://rc.example/o/tok")
    assert REVIEW_URL in text
    assert (
        "Opt out: https://rc.example/o/tok"
        in message(opt_out_url="https://rc.example/o/tok", locale="en").sms_text()
    )
    assert "Từ chối" not in message().sms_text()  # none without a link
