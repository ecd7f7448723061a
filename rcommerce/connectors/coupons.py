"""Reward and friend coupons created in the store platform's Admin API, so the code works at checkout.

One function, ``create_coupon(credentials, coupon, http=...)``: Shopify (a price rule, then its
discount code), WooCommerce (``wc/v3/coupons``), Haravan (``/com/discounts.json``) and Sapo Web
(Shopify-like price rules). The caller passes the ``httpx.Client`` (``make_http_client``: the
outbound-address guard of rcommerce.net and timeouts, unless a test gives its own transport);
every call is retry-safe: a code that already exists
(a retry after a lost answer) is reported as ``already_existed``, not as a failure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

import httpx

from rcommerce import net
from rcommerce.urls import without_secrets

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
SHOPIFY_API_VERSION = "2025-01"
_RETRYABLE_STATUS = {408, 409, 423, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Coupon:
    """What to create. ``value`` is an amount in the store's currency (``fixed_amount``) or a
    percentage in (0, 100] (``percentage``)."""

    code: str
    kind: Literal["fixed_amount", "percentage"]
    value: Decimal
    starts_at: datetime
    ends_at: datetime | None = None
    usage_limit: int | None = 1  # None: any number of buyers (a friend's welcome code)
    once_per_customer: bool = True
    minimum_subtotal: Decimal | None = None
    email: str | None = None  # restrict to this buyer where the platform can (WooCommerce)
    title: str = ""  # the name merchants see in their admin; the code when empty

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ValueError("a coupon needs a code")
        if self.value <= 0 or (self.kind == "percentage" and self.value > 100):
            raise ValueError(f"{self.value} is not a valid {self.kind} discount")


@dataclass(frozen=True)
class StoreCredentials:
    """A connected store's Admin API access (per store, stored encrypted by the caller).

    ``base_url``: Shopify ``https://{shop}.myshopify.com``; WooCommerce the WordPress site
    (``https://shop.example.com``); Haravan ``https://apis.haravan.com``; Sapo Web
    ``https://{store}.mysapo.net``. ``access_token`` is Shopify's, Haravan's or Sapo's app token;
    ``api_key``/``api_secret`` are WooCommerce's consumer key and secret (or a Sapo private app's).
    """

    platform: str
    base_url: str
    access_token: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    api_secret: str | None = field(default=None, repr=False)
    api_version: str = SHOPIFY_API_VERSION  # Shopify only


@dataclass(frozen=True)
class CouponCreated:
    platform: str
    code: str
    remote_id: str | None  # the platform's id of the code (None when only its existence is known)
    parent_id: str | None = None  # Shopify's / Sapo's price rule id
    already_existed: bool = False


class CouponError(Exception):
    """The platform did not create the coupon. ``retryable``: try again later (timeouts, 429,
    5xx); otherwise the request itself is wrong (credentials, validation) and a retry won't help."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.status = status


class CouponUnsupported(CouponError):
    def __init__(self, platform: str) -> None:
        super().__init__(f"{platform} has no coupon API rcommerce can use", retryable=False)


def make_http_client(
    *,
    guard: net.Guard | None = None,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A client for Admin API calls: over the guarded transport (no private address is
    reached, rcommerce.net; ``guard`` is ``net.Guard.of(settings)``, the default allows
    public addresses only); ``transport`` replaces it (tests' fake APIs)."""
    return httpx.Client(
        timeout=timeout,
        transport=transport or net.GuardedTransport(guard or net.Guard()),
        follow_redirects=False,
        trust_env=False,
    )


def create_coupon(
    credentials: StoreCredentials, coupon: Coupon, *, http: httpx.Client
) -> CouponCreated:
    creators = {
        "shopify": _create_shopify,
        "sapo": _create_sapo,
        "woocommerce": _create_woocommerce,
        "haravan": _create_haravan,
    }
    creator = creators.get(credentials.platform)
    if creator is None:
        raise CouponUnsupported(credentials.platform)
    return creator(credentials, coupon, http)


# ---- HTTP plumbing ----


def _send(http: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response:
    shown = without_secrets(url)
    try:
        return http.request(method, url, **kwargs)
    except httpx.TimeoutException as exc:
        raise CouponError(f"{method} {shown} timed out: {exc}", retryable=True) from exc
    except httpx.TransportError as exc:
        if net.refused(exc):  # the store's API address is private: no retry makes it public
            raise CouponError(f"{method} {shown}: {net.REFUSED}", retryable=False) from exc
        raise CouponError(f"{method} {shown} failed: {exc}", retryable=True) from exc


def _fail(response: httpx.Response, what: str) -> CouponError:
    status = response.status_code
    if status in (401, 403):
        reason = "the store's API credentials were refused"
    else:
        reason = response.text[:300].strip() or response.reason_phrase
    return CouponError(
        f"{what}: HTTP {status}: {reason}", retryable=status in _RETRYABLE_STATUS, status=status
    )


def _json(response: httpx.Response, what: str) -> Mapping[str, Any]:
    try:
        data = response.json()
    except ValueError:
        raise CouponError(f"{what}: the answer is not JSON", retryable=True) from None
    if not isinstance(data, Mapping):
        raise CouponError(f"{what}: unexpected answer {data!r:.200}", retryable=False)
    return data


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def _amount(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _says_taken(response: httpx.Response) -> bool:
    return response.status_code in (400, 409, 422) and bool(
        re.search(r"already (exists|been taken)|must be unique|đã tồn tại", response.text, re.I)
    )


# ---- Shopify and Sapo Web: a price rule, then its discount code ----


def _price_rule(coupon: Coupon) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "title": coupon.title or coupon.code,
        "target_type": "line_item",
        "target_selection": "all",
        "allocation_method": "across",
        "value_type": coupon.kind,
        "value": "-" + _amount(coupon.value),
        "customer_selection": "all",
        "once_per_customer": coupon.once_per_customer,
        "usage_limit": coupon.usage_limit,
        "starts_at": _iso(coupon.starts_at),
    }
    if coupon.ends_at is not None:
        rule["ends_at"] = _iso(coupon.ends_at)
    if coupon.minimum_subtotal is not None:
        rule["prerequisite_subtotal_range"] = {
            "greater_than_or_equal_to": _amount(coupon.minimum_subtotal)
        }
    return rule


def _price_rule_coupon(
    platform: str,
    admin: str,
    headers: Mapping[str, str],
    coupon: Coupon,
    http: httpx.Client,
    auth: httpx.BasicAuth | None = None,
) -> CouponCreated:
    what = f"{platform} price rule for {coupon.code}"
    created = _send(
        http,
        "POST",
        f"{admin}/price_rules.json",
        json={"price_rule": _price_rule(coupon)},
        headers=headers,
        auth=auth,
    )
    if created.status_code not in (200, 201):
        raise _fail(created, what)
    rule_id = str(_json(created, what).get("price_rule", {}).get("id", ""))
    if not rule_id:
        raise CouponError(f"{what}: the answer names no price rule id", retryable=False)
    what = f"{platform} discount code {coupon.code}"
    code = _send(
        http,
        "POST",
        f"{admin}/price_rules/{rule_id}/discount_codes.json",
        json={"discount_code": {"code": coupon.code}},
        headers=headers,
        auth=auth,
    )
    if code.status_code in (200, 201):
        discount = _json(code, what).get("discount_code", {})
        return CouponCreated(platform, coupon.code, str(discount.get("id") or "") or None, rule_id)
    # The rule is useless without its code: remove it, whatever happened.
    _send(http, "DELETE", f"{admin}/price_rules/{rule_id}.json", headers=headers, auth=auth)
    if _says_taken(code):
        return _existing_discount_code(platform, admin, headers, coupon, http, auth)
    raise _fail(code, what)


def _existing_discount_code(
    platform: str,
    admin: str,
    headers: Mapping[str, str],
    coupon: Coupon,
    http: httpx.Client,
    auth: httpx.BasicAuth | None,
) -> CouponCreated:
    """Shopify's lookup answers 303 with the code's URL: ``.../price_rules/{rule}/discount_codes/{id}``."""
    found = _send(
        http,
        "GET",
        f"{admin}/discount_codes/lookup.json",
        params={"code": coupon.code},
        headers=headers,
        auth=auth,
    )
    ids = re.search(r"/price_rules/(\d+)/discount_codes/(\d+)", found.headers.get("location", ""))
    if ids:
        return CouponCreated(
            platform, coupon.code, ids.group(2), ids.group(1), already_existed=True
        )
    return CouponCreated(platform, coupon.code, None, None, already_existed=True)


def _create_shopify(
    credentials: StoreCredentials, coupon: Coupon, http: httpx.Client
) -> CouponCreated:
    if not credentials.access_token:
        raise CouponError("the Shopify store has no Admin API access token", retryable=False)
    admin = f"{credentials.base_url.rstrip('/')}/admin/api/{credentials.api_version}"
    headers = {"X-Shopify-Access-Token": credentials.access_token, "Accept": "application/json"}
    return _price_rule_coupon("shopify", admin, headers, coupon, http)


def _create_sapo(
    credentials: StoreCredentials, coupon: Coupon, http: httpx.Client
) -> CouponCreated:
    admin = f"{credentials.base_url.rstrip('/')}/admin"
    headers = {"Accept": "application/json"}
    auth = None
    if credentials.access_token:
        headers["X-Sapo-Access-Token"] = credentials.access_token
    elif credentials.api_key and credentials.api_secret:
        auth = httpx.BasicAuth(credentials.api_key, credentials.api_secret)  # private app
    else:
        raise CouponError("the Sapo store has no API credentials", retryable=False)
    return _price_rule_coupon("sapo", admin, headers, coupon, http, auth)


# ---- WooCommerce ----


def _create_woocommerce(
    credentials: StoreCredentials, coupon: Coupon, http: httpx.Client
) -> CouponCreated:
    if not (credentials.api_key and credentials.api_secret):
        raise CouponError("the WooCommerce store has no REST API key", retryable=False)
    url = f"{credentials.base_url.rstrip('/')}/wp-json/wc/v3/coupons"
    auth = httpx.BasicAuth(credentials.api_key, credentials.api_secret)
    body: dict[str, Any] = {
        "code": coupon.code,
        "discount_type": "percent" if coupon.kind == "percentage" else "fixed_cart",
        "amount": _amount(coupon.value),
        "individual_use": True,
        "description": coupon.title or "rcommerce reward",
    }
    if coupon.usage_limit is not None:
        body["usage_limit"] = coupon.usage_limit
    if coupon.once_per_customer:
        body["usage_limit_per_user"] = 1
    if coupon.ends_at is not None:
        body["date_expires_gmt"] = (
            coupon.ends_at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
        )
    if coupon.minimum_subtotal is not None:
        body["minimum_amount"] = _amount(coupon.minimum_subtotal)
    if coupon.email:
        body["email_restrictions"] = [coupon.email]
    what = f"woocommerce coupon {coupon.code}"
    created = _send(http, "POST", url, json=body, auth=auth, headers={"Accept": "application/json"})
    if created.status_code in (200, 201):
        return CouponCreated(
            "woocommerce", coupon.code, str(_json(created, what).get("id") or "") or None
        )
    if created.status_code == 400 and "coupon_code_already_exists" in created.text:
        found = _send(http, "GET", url, params={"code": coupon.code}, auth=auth)
        try:
            matches = found.json() if found.status_code == 200 else []
        except ValueError:
            matches = []
        remote = str(matches[0].get("id")) if isinstance(matches, list) and matches else None
        return CouponCreated("woocommerce", coupon.code, remote, already_existed=True)
    raise _fail(created, what)


# ---- Haravan ----


def _create_haravan(
    credentials: StoreCredentials, coupon: Coupon, http: httpx.Client
) -> CouponCreated:
    if not credentials.access_token:
        raise CouponError("the Haravan store has no API access token", retryable=False)
    discount: dict[str, Any] = {
        "code": coupon.code,
        "is_promotion": True,
        "applies_once": True,
        "once_per_customer": coupon.once_per_customer,
        "take_type": coupon.kind,
        "value": float(coupon.value) if coupon.value % 1 else int(coupon.value),
        "discount_type": "order_amount",
        "starts_at": _iso(coupon.starts_at),
        "customers_selection": "all",
        "provinces_selection": "all",
        "channels_selection": "all",
        "locations_selection": "all",
        "location_ids": [],
    }
    if coupon.usage_limit is not None:
        discount["usage_limit"] = coupon.usage_limit
    if coupon.ends_at is not None:
        discount["ends_at"] = _iso(coupon.ends_at)
    if coupon.minimum_subtotal is not None:
        discount["minimum_order_amount"] = int(coupon.minimum_subtotal)
    what = f"haravan discount {coupon.code}"
    created = _send(
        http,
        "POST",
        f"{credentials.base_url.rstrip('/')}/com/discounts.json",
        json={"discount": discount},
        headers={
            "Authorization": f"Bearer {credentials.access_token}",
            "Accept": "application/json",
        },
    )
    if created.status_code in (200, 201):
        remote = _json(created, what).get("discount", {}).get("id")
        return CouponCreated("haravan", coupon.code, str(remote) if remote else None)
    if _says_taken(created):
        return CouponCreated("haravan", coupon.code, None, already_existed=True)
    raise _fail(created, what)
