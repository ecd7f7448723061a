"""Fixtures: the fake platform APIs (Zalo ZNS, an SMS gateway) on loopback, and settings that
send to them as the environment would."""

import pytest

from rcommerce.settings import Settings
from tests.support import platform_apis as fake
from tests.support.platform_apis import PlatformAPIs, apis, http, platform_apis_server

__all__ = ["apis", "http", "platform_apis_server"]

# The templates a Zalo OA registered for the messages other than review requests.
ZNS_TEMPLATES = "login=301234,review_confirmation=301235"


@pytest.fixture
def settings(settings: Settings, platform_apis_server: PlatformAPIs) -> Settings:
    base = platform_apis_server.base_url
    return settings.with_overrides(
        test_private_networks=("127.0.0.0/8",),
        messaging=(
            ("RCOMMERCE_SMS_AUTHORIZATION", fake.SMS_AUTH),
            ("RCOMMERCE_SMS_URL", f"{base}/sms/send"),
            ("RCOMMERCE_SMS_ASCII", "0"),
            ("RCOMMERCE_ZNS_ACCESS_TOKEN", fake.ZNS_TOKEN),
            ("RCOMMERCE_ZNS_TEMPLATE_ID", "492946"),
            ("RCOMMERCE_ZNS_TEMPLATES", ZNS_TEMPLATES),
            ("RCOMMERCE_ZNS_URL", f"{base}/message/template"),
        ),
    )
