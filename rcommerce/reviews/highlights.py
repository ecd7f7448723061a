"""Review highlights ("Khách hàng nói gì" / "What buyers say"): what a product's published
reviews say about each aspect the sentiment scorer found (delivery, quality, price, ...), as
counts of reviews that praise it and reviews that complain about it, each aspect with one
representative quote. No language model: the aspects are those the scorer already stored on
each review (``Review.sentiment_aspects``). Individual reviews are never hidden or reordered by
this; it reads them. Served through the widgets' cache, retired whenever a review of the
product changes (a new score included)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from rcommerce.reviews.models import PUBLISHED, Review
from rcommerce.stores.models import Store

MIN_SCORED_REVIEWS = 5  # below this, a product shows no highlights
MIN_MENTIONS = 3  # an aspect shows once this many reviewers mention it
# An aspect's score on a review counts as praise or complaint from here (the scorer's own
# thresholds for a positive or negative text).
POSITIVE, NEGATIVE = 0.05, -0.05
QUOTE_CHARS = 180


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The text, cut at a word boundary with an ellipsis when it is longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",.;:-–")
    return f"{cut}…"


def product_highlights(session: Session, store: Store, product_id: str) -> dict[str, Any]:
    """{"scored": n, "aspects": [{"aspect", "positive", "negative", "quote": {...}}]}, the
    aspects most mentioned first; an empty list below MIN_SCORED_REVIEWS scored reviews.

    Each quote is from a review on the side most reviewers took (praise when at least as many
    praise it), the most helpful one, then the clearest about that aspect, then the newest."""
    rows = session.exec(
        select(Review).where(
            Review.store_id == store.id,
            Review.product_id == product_id,
            Review.status == PUBLISHED,
            col(Review.sentiment_aspects).is_not(None),
        )
    ).all()
    scored = [r for r in rows if r.scorer_version]
    if len(scored) < MIN_SCORED_REVIEWS:
        return {"scored": len(scored), "aspects": []}
    sides: dict[str, dict[str, list[tuple[float, Review]]]] = defaultdict(
        lambda: {"positive": [], "negative": []}
    )
    mentions: dict[str, int] = defaultdict(int)
    for review in scored:
        for aspect, value in (review.sentiment_aspects or {}).items():
            mentions[aspect] += 1
            if value >= POSITIVE:
                sides[aspect]["positive"].append((value, review))
            elif value <= NEGATIVE:
                sides[aspect]["negative"].append((value, review))
    out = []
    for aspect, count in sorted(mentions.items(), key=lambda item: (-item[1], item[0])):
        if count < MIN_MENTIONS:
            continue
        pos, neg = sides[aspect]["positive"], sides[aspect]["negative"]
        side = pos if len(pos) >= len(neg) else neg
        entry: dict[str, Any] = {
            "aspect": aspect,
            "mentions": count,
            "positive": len(pos),
            "negative": len(neg),
            "quote": None,
        }
        if side:
            _, best = max(
                side,
                key=lambda pair: (pair[1].helpful_count, abs(pair[0]), pair[1].id or 0),
            )
            entry["quote"] = {
                "review_id": best.id,
                "text": quote(best.body or best.title),
                "author": best.author_name,
                "sentiment": "positive" if side is pos else "negative",
            }
        out.append(entry)
    return {"scored": len(scored), "aspects": out}
