"""Sentiment scores of reviews and testimonials: scoring a row's text in its store's language,
and rescoring one later with the product's aggregate kept in step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session

from rcommerce.reviews import aggregates
from rcommerce.reviews.models import Review, Testimonial
from rcommerce.stores.models import Store

if TYPE_CHECKING:
    from rcommerce.sentiment import SentimentResult


def score_text(text: str, language: str | None) -> SentimentResult:
    """The sentiment scorer, imported when first needed. If it cannot be imported the job
    fails loudly and is retried; a review never gets an invented score."""
    try:
        from rcommerce.sentiment import analyze
    except ImportError as exc:  # pragma: no cover - the package ships with the scorer
        raise RuntimeError(f"the sentiment scorer is not available: {exc}") from exc
    return analyze(text, language=language)


def apply_score(row: Review | Testimonial, result: SentimentResult) -> None:
    row.sentiment_label = result.label
    row.sentiment_compound = round(float(result.compound), 4)
    row.sentiment_aspects = {k: round(float(v), 4) for k, v in result.aspects.items()}
    if isinstance(row, Review) and row.tag_aspects:
        # The author's own tags (a ZNS rating) say more than any reading of the text.
        row.sentiment_aspects.update(row.tag_aspects)
    row.sentiment_language = result.language
    row.sentiment_confidence = round(float(result.confidence), 4)
    row.sentiment_aspect_confidence = {
        k: round(float(v), 4) for k, v in result.aspect_confidence.items()
    }
    row.sentiment_sarcasm = bool(result.sarcasm)
    row.scorer_version = result.scorer_version
    if isinstance(row, Review) and not row.language:
        row.language = result.language


def score(row: Review | Testimonial, store: Store) -> None:
    """Score a review's title and body, or a testimonial's body, in the store's language. A
    published review's aggregate counts its sentiment: the caller tracks the change."""
    text = f"{row.title}. {row.body}".strip(". ") if isinstance(row, Review) else row.body
    apply_score(row, score_text(text, store.locale))


def rescore(*, session: Session, row: Review | Testimonial, store: Store) -> None:
    """Score a row again (a newer scorer, a missing score); a review's aggregate follows."""
    if isinstance(row, Review):
        with aggregates.tracking(session, row):
            score(row, store)
            session.add(row)
    else:
        score(row, store)
        session.add(row)
