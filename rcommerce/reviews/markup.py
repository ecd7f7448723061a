"""Search-engine markup: schema.org Product with AggregateRating and Review as JSON-LD.

Follows Google's review-snippet rules: the rating is about a product (never the store rating
itself, which Google treats as self-serving); every Review names its author (a Person, under
100 characters) and carries a reviewRating with ratingValue, bestRating and worstRating; the
AggregateRating has ratingValue and reviewCount and appears only when there is at least one
published review; only reviews shoppers can see on the page are marked up.

A review rewarded by the store's rating-blind incentive says so. schema.org's Review has no
property made for it, so the disclosure uses two valid properties of every CreativeWork that
Google's review-snippet rules neither require nor forbid: ``sponsor``, the
store that gave the reward ("supports a thing through a pledge, promise, or financial
contribution"), and ``disambiguatingDescription``, the same words the widget shows beside the
reviewer's name. The review's own text and rating are never altered.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rcommerce.orders.models import Product
from rcommerce.reviews.models import Review
from rcommerce.stores.models import Store

MAX_MARKED_REVIEWS = 10
INCENTIVISED = {"vi": "Đã nhận ưu đãi", "en": "Incentivised review"}


def product_jsonld(
    *,
    store: Store,
    product: Product,
    summary: dict[str, Any],
    reviews: Sequence[Review],
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name or product.product_id,
        "sku": product.product_id,
    }
    if product.url:
        data["url"] = product.url
    if product.image_url:
        data["image"] = product.image_url
    if product.price is not None:
        offer: dict[str, Any] = {
            "@type": "Offer",
            "price": format(product.price, "f"),
            "priceCurrency": store.currency,
        }
        if product.url:
            offer["url"] = product.url
        data["offers"] = offer
    if summary["count"]:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": summary["average"],
            "reviewCount": summary["count"],
            "bestRating": 5,
            "worstRating": 1,
        }
    marked = []
    for review in reviews[:MAX_MARKED_REVIEWS]:
        item: dict[str, Any] = {
            "@type": "Review",
            "author": {"@type": "Person", "name": review.author_name[:99]},
            "datePublished": (review.published_at or review.created_at).date().isoformat(),
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": review.rating,
                "bestRating": 5,
                "worstRating": 1,
            },
        }
        if review.body:
            item["reviewBody"] = review.body
        if review.title:
            item["name"] = review.title
        if review.language:
            item["inLanguage"] = review.language
        if review.incentivized:
            item["sponsor"] = {"@type": "Organization", "name": store.name[:99] or "—"}
            language = review.language if review.language in INCENTIVISED else store.locale
            item["disambiguatingDescription"] = INCENTIVISED.get(language, INCENTIVISED["vi"])
        marked.append(item)
    if marked:
        data["review"] = marked
    return data


def script_tag(data: dict[str, Any]) -> str:
    """An HTML snippet for server-rendered pages. "<", ">" and "&" are escaped inside the JSON
    so that review text can never close the script element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/ld+json">{text}</script>'
