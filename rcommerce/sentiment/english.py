"""English scorer: NLTK's VADER with its lexicon read from the installed vaderSentiment wheel,
a faster tokeniser that gives the same scores, and phrase rules for shop language.

NLTK's own SentiText rebuilds a dictionary of every word joined to every punctuation mark on
each call; `FastVader` finds the same tokens directly, then reuses NLTK's valence rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import nltk.data
import vaderSentiment
from nltk.sentiment.vader import SentimentIntensityAnalyzer

from rcommerce.sentiment.aspects import EN_ASPECT_KEYWORDS

LEXICON_DIR = Path(vaderSentiment.__file__).resolve().parent
LEXICON_RESOURCE = "vader_lexicon.txt"

# Shop phrases VADER misses or under-scores, with the valence (VADER scale) they add at their
# position. Longer phrases come first so "not as described" wins over "as described".
SHOP_PHRASES: dict[str, float] = {
    "not as described": -2.5,
    "not as advertised": -2.5,
    "not as pictured": -2.2,
    "not what i ordered": -2.2,
    "stopped working": -2.5,
    "quit working": -2.5,
    "stops working": -2.3,
    "doesn't work": -2.0,
    "does not work": -2.0,
    "didn't work": -2.0,
    "did not work": -2.0,
    "not working": -2.0,
    "dead on arrival": -3.0,
    "arrived broken": -2.5,
    "arrived damaged": -2.5,
    "came broken": -2.5,
    "never arrived": -2.5,
    "never received": -2.5,
    "never came": -2.2,
    "still waiting": -1.8,
    "arrived late": -1.5,
    "fell apart": -2.5,
    "falls apart": -2.5,
    "falling apart": -2.5,
    "returned it": -2.0,
    "returning it": -2.0,
    "sent it back": -2.0,
    "send it back": -2.0,
    "waste of money": -1.5,
    "waste of time": -1.2,
    "would not recommend": -1.0,
    "wouldn't recommend": -1.0,
    "do not recommend": -1.0,
    "don't recommend": -1.0,
    "cheaply made": -2.0,
    "piece of junk": -2.5,
    "rip off": -2.2,
    "ripped off": -2.2,
    "wrong item": -1.8,
    "wrong size": -1.5,
    "missing parts": -1.8,
    "one star": -2.0,
    "1 star": -2.0,
    "zero stars": -2.5,
    "junk": -2.0,
    "flimsy": -1.8,
    "is garbage": -2.0,
    "total garbage": -2.2,
    "overpriced": -1.5,
    "bland": -1.2,
    "stale": -1.2,
    "refund": -1.0,
    "won't be back": -2.5,
    "will not be back": -2.5,
    "won't come back": -2.5,
    "will not come back": -2.5,
    "won't go back": -2.5,
    "would not go back": -2.2,
    "never go back": -2.5,
    "will not return": -2.2,
    "won't return": -2.2,
    "never again": -2.0,
    "not worth": -1.2,
    "tasteless": -1.8,
    "undercooked": -1.5,
    "overcooked": -1.5,
    "slow service": -1.8,
    "will be back": 2.0,
    "be back again": 2.0,
    "coming back": 1.5,
    "will come back": 2.0,
    "will return": 1.5,
    "does the job": 1.8,
    "did the job": 1.8,
    "do the job": 1.5,
    "as described": 1.5,
    "as advertised": 1.5,
    "as pictured": 1.2,
    "five stars": 2.5,
    "5 stars": 2.5,
    "worth every penny": 2.0,
    "value for money": 1.5,
    "would buy again": 2.0,
    "will buy again": 2.0,
    "would order again": 2.0,
    "arrived quickly": 1.5,
    "arrived early": 1.5,
    "arrived on time": 1.2,
    "fast shipping": 1.5,
    "fast delivery": 1.5,
    "quick delivery": 1.5,
    "well made": 1.8,
    "well packaged": 1.5,
    "sturdy": 1.5,
    "tasty": 1.8,
}
_PHRASE_RE = re.compile(
    r"(?<![\w'])("
    + "|".join(re.escape(p) for p in sorted(SHOP_PHRASES, key=len, reverse=True))
    + r")(?![\w'])"
)
# A phrase is searched for only when one of these words is present (keeps the common case fast).
_PHRASE_TRIGGERS = frozenset(
    word for phrase in SHOP_PHRASES for word in phrase.split() if len(word) > 3 or word.isdigit()
)
_CLAUSE_END = frozenset(".,;!?")
_CONTRAST = frozenset({"but", "however", "although", "though", "yet", "whereas"})
_ASPECT_OF = {word: aspect for aspect, words in EN_ASPECT_KEYWORDS.items() for word in words}


class _Text:
    """The two attributes of NLTK's SentiText that its valence rules read."""

    __slots__ = ("is_cap_diff", "words_and_emoticons")

    def __init__(self, words: list[str], is_cap_diff: bool) -> None:
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


class FastVader(SentimentIntensityAnalyzer):  # type: ignore[misc]
    """NLTK's analyser with the same token rules, computed without per-call dictionaries."""

    def __init__(self) -> None:
        # nltk only opens files under its data roots: make the wheel's folder one of them.
        if str(LEXICON_DIR) not in nltk.data.path:
            nltk.data.path.append(str(LEXICON_DIR))
        super().__init__(lexicon_file=LEXICON_RESOURCE)
        consts = self.constants
        self._punc = sorted(consts.PUNC_LIST, key=len, reverse=True)
        self._punc_chars = frozenset("".join(consts.PUNC_LIST))
        self._remove_punc = consts.REGEX_REMOVE_PUNCTUATION
        self._boosters = consts.BOOSTER_DICT

    def tokens(self, text: str) -> tuple[list[str], list[bool]]:
        """VADER's words_and_emoticons, plus whether each token ended a clause."""
        words_only = {w for w in self._remove_punc.sub("", text).split() if len(w) > 1}
        punc_chars = self._punc_chars
        out: list[str] = []
        ends: list[bool] = []
        for we in text.split():
            if len(we) <= 1:
                if out and we in _CLAUSE_END:
                    ends[-1] = True
                continue
            ended = we[-1] in _CLAUSE_END
            if we[0] in punc_chars or we[-1] in punc_chars:
                we = self._strip(we, words_only)
            out.append(we)
            ends.append(ended)
        return out, ends

    def _strip(self, we: str, words_only: set[str]) -> str:
        # Same result as NLTK's lookup in {punct+word, word+punct} for one PUNC_LIST mark.
        for p in self._punc:
            if we.endswith(p) and we[: -len(p)] in words_only:
                return we[: -len(p)]
        for p in self._punc:
            if we.startswith(p) and we[len(p) :] in words_only:
                return we[len(p) :]
        return we

    def sentiments(self, words: list[str]) -> list[float]:
        """Per-token valence exactly as NLTK's polarity_scores computes it."""
        lexicon = self.lexicon
        boosters = self._boosters
        allcaps = sum(1 for w in words if w.isupper())
        text = _Text(words, 0 < len(words) - allcaps < len(words))
        sentiments: list[float] = []
        first_index: dict[str, int] = {}
        for idx, token in enumerate(words):
            first_index.setdefault(token, idx)
        last = len(words) - 1
        for item in words:
            lower = item.lower()
            # NLTK looks tokens up by their first occurrence; kept so scores stay identical.
            i = first_index[item]
            if lower in boosters or (lower == "kind" and i < last and words[i + 1].lower() == "of"):
                sentiments.append(0.0)
            elif lower in lexicon:
                sentiments = self.sentiment_valence(0, text, item, i, sentiments)
            else:
                sentiments.append(0.0)
        return sentiments

    def compound(self, sentiments: list[float], text: str) -> float:
        """NLTK's compound from token valences (punctuation emphasis included)."""
        if not sentiments:
            return 0.0
        sum_s = float(sum(sentiments))
        amplifier = self._punctuation_emphasis(sum_s, text)
        if sum_s > 0:
            sum_s += amplifier
        elif sum_s < 0:
            sum_s -= amplifier
        return float(round(self.constants.normalize(sum_s), 4))

    def plain_compound(self, text: str) -> float:
        """NLTK VADER's compound, computed the fast way (for checking equivalence)."""
        words, _ = self.tokens(text)
        return self.compound(self._but_check(words, self.sentiments(words)), text)

    def score(self, text: str) -> tuple[float, dict[str, float]]:
        """Compound with shop phrases, and per-aspect compounds, for an English review."""
        words, ends = self.tokens(text)
        sentiments = self.sentiments(words)
        lowered = text.lower()
        lowered_words = {w.strip(".,;:!?\"'()") for w in lowered.split()}
        if not _PHRASE_TRIGGERS.isdisjoint(lowered_words):
            self._add_phrases(lowered, sentiments)
        sentiments = self._but_check(words, sentiments)
        compound = self.compound(sentiments, text)
        aspects: dict[str, float] = {}
        if not lowered_words.isdisjoint(_ASPECT_OF):
            aspects = self._aspects(words, ends, sentiments)
        return compound, aspects

    def _add_phrases(self, lowered: str, sentiments: list[float]) -> None:
        for match in _PHRASE_RE.finditer(lowered):
            # Token index of the phrase: tokens before it (one-letter tokens are dropped by VADER).
            index = sum(1 for w in lowered[: match.start()].split() if len(w) > 1)
            value = SHOP_PHRASES[match.group(1)]
            if sentiments:
                sentiments[min(index, len(sentiments) - 1)] += value
            else:
                sentiments.append(value)

    def _aspects(
        self, words: list[str], ends: list[bool], sentiments: list[float]
    ) -> dict[str, float]:
        found: dict[str, float] = {}
        mentioned: set[str] = set()
        clause = 0.0
        for word, ended, value in zip(words, ends, sentiments, strict=True):
            lower = word.lower()
            if lower in _CONTRAST:
                self._close(found, mentioned, clause)
                mentioned, clause = set(), 0.0
            aspect = _ASPECT_OF.get(lower.strip(".,;:!?\"'()"))
            if aspect is not None:
                mentioned.add(aspect)
            clause += value
            if ended:
                self._close(found, mentioned, clause)
                mentioned, clause = set(), 0.0
        self._close(found, mentioned, clause)
        return {a: round(self.constants.normalize(v), 4) for a, v in found.items()}

    @staticmethod
    def _close(found: dict[str, float], mentioned: set[str], clause: float) -> None:
        for aspect in mentioned:
            found[aspect] = found.get(aspect, 0.0) + clause


def make_analyzer() -> FastVader:
    return FastVader()
