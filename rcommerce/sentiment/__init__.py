"""Sentiment of reviews and testimonials in Vietnamese and English: label, compound, aspects.

`analyze(text, language=None)` needs no database, server or network. Importing this package is
cheap: lexicons, NLTK and the Vietnamese model load on first use (or at `warm()`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rcommerce.sentiment.confidence import DOUBT, QUOTE_CONFIDENCE, Scored

if TYPE_CHECKING:
    from rcommerce.sentiment.english import FastVader
    from rcommerce.sentiment.vietnamese import VietnameseScorer

__all__ = [
    "FLAG_SARCASM",
    "QUOTE_CONFIDENCE",
    "SCORER_VERSION",
    "SentimentResult",
    "analyze",
    "label_for",
    "warm",
]

# Stored scores record this; bump it whenever lexicons, rules, thresholds or the model change.
SCORER_VERSION = "2026.12-4"
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

Label = Literal["positive", "neutral", "negative"]
Language = Literal["vi", "en", "other"]

# Flags explain how a result was reached.
FLAG_OTHER_LANGUAGE = "other_language"  # not Vietnamese or English: scored neutral, not read
FLAG_LANGUAGE_GUESSED = "language_guessed"  # too little text to tell; the hint or default used
FLAG_EMPTY = "empty"
FLAG_SARCASM = "possible_sarcasm"  # praise that reads as irony around a complaint


@dataclass(frozen=True, slots=True)
class SentimentResult:
    """What a review's text says: label, compound in [-1, 1], language and aspect compounds.

    `confidence` (0..1) says how strongly and consistently the evidence states the label, and
    `aspect_confidence` the same per aspect (confidence.py); `sarcasm` is set when praise in
    the text reads as irony around a complaint (also the flag `possible_sarcasm`): such a
    review is never quoted as praise."""

    label: Label
    compound: float
    language: Language
    aspects: dict[str, float] = field(default_factory=dict)
    flags: tuple[str, ...] = ()
    scorer_version: str = SCORER_VERSION
    confidence: float = 0.0
    aspect_confidence: dict[str, float] = field(default_factory=dict)
    sarcasm: bool = False

    @property
    def is_other_language(self) -> bool:
        return FLAG_OTHER_LANGUAGE in self.flags


def label_for(compound: float) -> Label:
    """VADER's convention: positive at >= 0.05, negative at <= -0.05, else neutral."""
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    if compound <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


class _Scorers:
    """Process-wide scorers, built once on first use (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._english: FastVader | None = None
        self._vietnamese: VietnameseScorer | None = None
        self._english_words: frozenset[str] = frozenset()
        # language.detect_language, imported with the English scorer (not at package import).
        self.detect_language: Callable[[str, frozenset[str], str | None], str | None]

    def english(self) -> FastVader:
        if self._english is None:
            with self._lock:
                if self._english is None:
                    from rcommerce.sentiment.english import FastVader
                    from rcommerce.sentiment.language import detect_language

                    self.detect_language = detect_language
                    analyzer = FastVader()
                    self._english_words = frozenset(
                        w for w in analyzer.lexicon if w.isalpha() and w.isascii()
                    )
                    self._english = analyzer
        return self._english

    def english_words(self) -> frozenset[str]:
        self.english()
        return self._english_words

    def vietnamese(self) -> VietnameseScorer:
        if self._vietnamese is None:
            with self._lock:
                if self._vietnamese is None:
                    from rcommerce.sentiment.model import load_model
                    from rcommerce.sentiment.opinion import load_opinion_model
                    from rcommerce.sentiment.vietnamese import VietnameseScorer

                    self._vietnamese = VietnameseScorer(load_model(), load_opinion_model())
        return self._vietnamese


_SCORERS = _Scorers()


def warm() -> None:
    """Load every lexicon and the model now (workers call this at start)."""
    _SCORERS.english()
    _SCORERS.vietnamese()


def analyze(text: str, language: str | None = None) -> SentimentResult:
    """Score a review or testimonial.

    `language` is the store's language ('vi' or 'en'); it is used when the text is too short
    to tell (emoji, "ok"). Text detected as another language is labelled neutral, compound 0.0,
    and flagged `other_language`.
    """
    if not text or text.isspace():
        empty_language: Language = "en" if language == "en" else "vi"
        return SentimentResult("neutral", 0.0, empty_language, {}, (FLAG_EMPTY,))
    flags: tuple[str, ...] = ()
    hint = language if language in ("vi", "en") else None
    english_words = _SCORERS.english_words()
    detected = _SCORERS.detect_language(text, english_words, hint)
    lang: Language
    if detected is None:
        # Too little text to tell: the store's language; without one, Latin letters go to
        # VADER (it knows English words and emoticons), emoji-only text to Vietnamese.
        has_letters = any("a" <= c <= "z" for c in text.lower())
        detected = hint or ("en" if has_letters else "vi")
        flags = (FLAG_LANGUAGE_GUESSED,)
        if not has_letters:
            # Emoji and emoticons only: the Vietnamese scorer reads emoji, VADER does not.
            lang = "en" if detected == "en" else "vi"
            return _result(_SCORERS.vietnamese().score(text), lang, flags)
    if detected == "other":
        return SentimentResult("neutral", 0.0, "other", {}, (FLAG_OTHER_LANGUAGE,))
    if detected == "en":
        return _result(_SCORERS.english().score(text), "en", flags)
    return _result(_SCORERS.vietnamese().score(text), "vi", flags)


def _result(scored: Scored, lang: Language, flags: tuple[str, ...]) -> SentimentResult:
    compound = max(-1.0, min(1.0, scored.compound))
    confidence = scored.confidence
    if FLAG_LANGUAGE_GUESSED in flags:
        confidence = round(confidence * DOUBT, 4)
    if scored.sarcasm:
        flags = (*flags, FLAG_SARCASM)
    return SentimentResult(
        label_for(compound),
        compound,
        lang,
        scored.aspects,
        flags,
        confidence=confidence,
        aspect_confidence=scored.aspect_confidence,
        sarcasm=scored.sarcasm,
    )
