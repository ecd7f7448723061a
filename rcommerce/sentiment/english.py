"""English scorer: NLTK's VADER with its lexicon read from the installed vaderSentiment wheel,
a faster tokeniser that gives the same scores, and phrase rules for shop language.

NLTK's own SentiText rebuilds a dictionary of every word joined to every punctuation mark on
each call; `FastVader` finds the same tokens directly, then reuses NLTK's valence rules.
"""

from __future__ import annotations

import copy
import re
import string
from collections.abc import Iterable
from pathlib import Path

import nltk.data
import vaderSentiment
from nltk.sentiment.vader import SentimentIntensityAnalyzer

from rcommerce.sentiment.aspects import EN_ASPECT_KEYWORDS
from rcommerce.sentiment.confidence import Scored, aspect_confidence, review_confidence
from rcommerce.sentiment.lexicon_en import (
    CONTEXT_WORDS,
    OPENER_FILLERS,
    OVERRIDE_PHRASES,
    REVIEW_CONTEXT,
    REVIEW_WORDS,
    SARCASM_COMPLAINT,
    SARCASTIC_OPENERS,
    SHOP_PHRASES,
)
from rcommerce.sentiment.ratings import ratings

LEXICON_DIR = Path(vaderSentiment.__file__).resolve().parent
LEXICON_RESOURCE = "vader_lexicon.txt"

NEGATION_SCALAR = -0.74  # VADER's N_SCALAR

# "won't go back till Monday", "will be back until 5": a date, not a verdict on a shop.
_NOT_A_DATE = r"(?![\w'])(?!\s+(?:till|until|til|tomorrow|today|tonight|next|on|in \d))"


def _alternation(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


_PHRASE_RE = re.compile(r"(?<![\w'])(" + _alternation(SHOP_PHRASES) + ")" + _NOT_A_DATE)
_OVERRIDE_RE = re.compile(r"(?<![\w'])(" + _alternation(OVERRIDE_PHRASES) + ")" + _NOT_A_DATE)
# Mentions, retweets, hashtags and links mark a social-media post, not a review: the shop
# phrases ("coming back", "will be back", "didn't work") mean something else there.
_SOCIAL_RE = re.compile(r"(?:^|\s)(?:@\w|#\w|rt\s)|https?://")
# Whether the reviewer means to come back: "will be back", "we won't be returning", "I don't
# think we'll go back", "would never eat here again".
_RETURN_RE = re.compile(
    r"(?<![\w'])(?:(?:be|been|go|going|come|coming|get|getting|head|heading|run|running)\s+back"
    r"|return|returning"
    r"|(?:go|going|come|coming|eat|eating|dine|dining|order|ordering|visit|visiting|step"
    r"|stepping)\s+(?:(?:here|there|in|at|from|this|that|place|foot)\s+){0,2}again"
    r"|(?:step|stepping|set|setting)\s+foot)" + _NOT_A_DATE
)
# Words that may stand between a negation or an intent and the return phrase.
_RETURN_FILLER = frozenset(
    {
        "be",
        "been",
        "going",
        "to",
        "ever",
        "probably",
        "definitely",
        "certainly",
        "surely",
        "i",
        "we",
        "i'll",
        "we'll",
        "i'd",
        "we'd",
        "will",
        "would",
        "think",
        "just",
        "really",
        "likely",
        "want",
        "wanna",
        "gonna",
        "ill",
        "well",
        "id",
        "again",
        "anytime",
        "soon",
    }
)
_RETURN_NEGATIONS = frozenset(
    {
        "never",
        "not",
        "no",
        "won't",
        "wont",
        "wouldn't",
        "wouldnt",
        "don't",
        "dont",
        "doubt",
        "can't",
        "cant",
        "cannot",
        "didn't",
        "didnt",
        "nor",
    }
)
_RETURN_INTENT = frozenset(
    {
        "will",
        "i'll",
        "we'll",
        "ill",
        "would",
        "i'd",
        "we'd",
        "definitely",
        "certainly",
        "surely",
        "gonna",
        "wait",
        "keep",
        "keeps",
        "back",
    }
)
RETURN_NEGATED = -2.5  # "won't be back": the strongest verdict a diner gives
RETURN_INTENDED = 2.0  # "will definitely be back"
_RETURN_TRIGGERS = frozenset({"back", "return", "returning", "again", "foot"})
# A phrase is searched for only when one of these words is present (keeps the common case fast).
_COMMON = frozenset(
    {
        "from",
        "with",
        "have",
        "your",
        "that",
        "this",
        "what",
        "about",
        "much",
        "good",
        "time",
        "been",
        "will",
        "would",
        "could",
        "there",
        "here",
        "not",
        "was",
        "the",
        "and",
        "for",
    }
)


def _trigger(phrase: str) -> str:
    """The word a phrase is looked for by: its longest word that is not a common one."""
    words = [w.strip("()") for w in phrase.split()]
    rare = [w for w in words if w not in _COMMON] or words
    return max(rare, key=len)


_PHRASE_TRIGGERS = frozenset(_trigger(p) for p in list(SHOP_PHRASES) + list(OVERRIDE_PHRASES))
QUESTION_DAMPING = 0.5
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
        # What NLTK's REGEX_REMOVE_PUNCTUATION ("[" + re.escape(string.punctuation) + "]")
        # removes; its nltk.redos pattern runs every sub under a timeout, translate does not.
        self._remove_punc = str.maketrans("", "", string.punctuation)
        self._boosters = consts.BOOSTER_DICT
        # Views sharing everything but the lexicon: VADER's plus review words, and plus the
        # words that need a shop context. `self` keeps VADER's lexicon (plain_compound).
        self._review = copy.copy(self)
        self._review.lexicon = {**self.lexicon, **REVIEW_WORDS}
        self._in_context = copy.copy(self)
        self._in_context.lexicon = {**self.lexicon, **REVIEW_WORDS, **CONTEXT_WORDS}

    def tokens(self, text: str) -> tuple[list[str], list[bool]]:
        """VADER's words_and_emoticons, plus whether each token ended a clause."""
        words_only = {w for w in text.translate(self._remove_punc).split() if len(w) > 1}
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

    def score(self, text: str) -> Scored:
        """Compound with review words and shop phrases, per-aspect compounds and confidences,
        the confidence and whether the text reads as sarcasm."""
        words, ends = self.tokens(text)
        lowered = text.lower()
        lowered_words = {w.strip(".,;:!?\"'()") for w in lowered.split()}
        social = _SOCIAL_RE.search(lowered) is not None
        view = (
            self._in_context
            if not social and not lowered_words.isdisjoint(REVIEW_CONTEXT)
            else self._review
        )
        sentiments = view.sentiments(words)
        if not social:
            if not _PHRASE_TRIGGERS.isdisjoint(lowered_words):
                self._add_phrases(lowered, sentiments)
            if not _RETURN_TRIGGERS.isdisjoint(lowered_words):
                self._add_return_intent(lowered, sentiments)
        for position, valence in ratings(text):
            if not sentiments:
                sentiments.append(0.0)
            sentiments[min(self._index(lowered, position), len(sentiments) - 1)] += valence
        sarcasm = self._sarcasm(words, ends, sentiments)
        sentiments = self._but_check(words, sentiments)
        if text.rstrip().endswith("?"):
            # A question asks more than it tells (the Vietnamese scorer damps it the same way).
            sentiments = [v * QUESTION_DAMPING for v in sentiments]
        compound = self.compound(sentiments, text)
        aspects: dict[str, float] = {}
        if not lowered_words.isdisjoint(_ASPECT_OF):
            aspects = self._aspects(words, ends, sentiments)
        return Scored(
            compound,
            aspects,
            {a: aspect_confidence(v, lexical=True, sarcasm=sarcasm) for a, v in aspects.items()},
            review_confidence(compound, sarcasm=sarcasm),
            sarcasm,
        )

    @staticmethod
    def _sarcasm(words: list[str], ends: list[bool], sentiments: list[float]) -> bool:
        """'Great, another broken zipper': an opening clause of nothing but praise
        (SARCASTIC_OPENERS and OPENER_FILLERS) before a rest that states a complaint and
        praises nothing is irony; its praise counts negated (VADER's negation scalar).
        Returns whether that happened."""
        first = next((k for k, ended in enumerate(ends) if ended), -1)
        if first < 0 or first == len(words) - 1:
            return False
        opener = [w.lower().strip(".,;:!?\"'()") for w in words[: first + 1]]
        if not any(w in SARCASTIC_OPENERS for w in opener) or not all(
            w in SARCASTIC_OPENERS or w in OPENER_FILLERS for w in opener
        ):
            return False
        rest = sentiments[first + 1 :]
        if any(v > 0 for v in rest) or not any(v <= SARCASM_COMPLAINT for v in rest):
            return False
        for k in range(first + 1):
            if sentiments[k] > 0:
                sentiments[k] *= NEGATION_SCALAR
        return True

    @staticmethod
    def _index(lowered: str, position: int) -> int:
        """Token index at a character position (VADER drops one-letter tokens)."""
        return sum(1 for w in lowered[:position].split() if len(w) > 1)

    def _add_phrases(self, lowered: str, sentiments: list[float]) -> None:
        if not sentiments:
            sentiments.append(0.0)
        last = len(sentiments) - 1
        for match in _OVERRIDE_RE.finditer(lowered):
            index = min(self._index(lowered, match.start()), last)
            width = sum(1 for w in match.group(1).split() if len(w) > 1)
            for j in range(index, min(index + width, last + 1)):
                sentiments[j] = 0.0
            sentiments[index] = OVERRIDE_PHRASES[match.group(1)]
        for match in _PHRASE_RE.finditer(lowered):
            index = min(self._index(lowered, match.start()), last)
            sentiments[index] += SHOP_PHRASES[match.group(1)]

    def _add_return_intent(self, lowered: str, sentiments: list[float]) -> None:
        if not sentiments:
            sentiments.append(0.0)
        last = len(sentiments) - 1
        for match in _RETURN_RE.finditer(lowered):
            before = lowered[: match.start()].split()
            negated = intended = False
            for word in reversed(before[-6:]):
                word = word.strip('.,;:!?"()')
                if word in _RETURN_NEGATIONS or word.endswith("n't"):
                    negated = not (word in ("can't", "cant", "cannot") and intended)
                    break
                if word in _RETURN_INTENT:
                    intended = True
                elif word not in _RETURN_FILLER:
                    break
            if negated or intended:
                index = min(self._index(lowered, match.start()), last)
                sentiments[index] += RETURN_NEGATED if negated else RETURN_INTENDED

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
