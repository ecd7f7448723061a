"""Fixtures: the fake platform APIs on loopback (reset per test) and an outbound HTTP client."""

from tests.support.platform_apis import apis, http, platform_apis_server

__all__ = ["apis", "http", "platform_apis_server"]
