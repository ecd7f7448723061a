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
from rcommerce.sentiment.ratings import ratings

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
    "still waiting for my": -1.8,
    "still waiting on my": -1.8,
    "still haven't received": -2.2,
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
    "is garbage": -2.0,
    "total garbage": -2.2,
    "never again": -2.0,
    "not worth": -1.2,
    "slow service": -1.8,
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
}

# Single words of shop and restaurant reviews missing from VADER's lexicon (VADER scale). They go
# through VADER's own rules (negation, boosters, "but"), so "not bland" is read as VADER would.
REVIEW_WORDS: dict[str, float] = {
    "junk": -2.0,
    "flimsy": -1.8,
    "overpriced": -1.5,
    "overrated": -1.5,
    "bland": -1.5,
    "blandest": -2.0,
    "flavorless": -1.8,
    "flavourless": -1.8,
    "tasteless": -1.8,
    "stale": -1.5,
    "soggy": -1.5,
    "rubbery": -1.5,
    "lukewarm": -1.2,
    "tepid": -1.2,
    "undercooked": -1.5,
    "overcooked": -1.5,
    "inedible": -2.5,
    "mediocre": -1.5,
    "subpar": -1.8,
    "sub-par": -1.8,
    "underwhelming": -1.8,
    "uninspired": -1.5,
    "lacking": -1.2,
    "letdown": -2.0,
    "unprofessional": -2.0,
    "refund": -1.0,
    "defective": -2.0,
    "sturdy": 1.5,
    "tasty": 1.8,
    "flavorful": 2.0,
    "flavourful": 2.0,
    "scrumptious": 2.5,
    "attentive": 1.8,
    "knowledgeable": 1.5,
    # informal and British spellings VADER lacks (values of their VADER counterparts)
    "favourite": 2.0,
    "favourites": 1.8,
    "lovin": 2.9,
    "yum": 2.4,
    "yuck": -1.8,
    "rubbish": -2.0,
    "yippee": 2.4,
    "argh": -1.5,
    "grr": -1.5,
}
# Words whose sense depends on the text being about a shop, a meal or an order ("the soup was
# cold" vs "a cold morning", "slow service" vs "a slow song"): used only with a context word.
CONTEXT_WORDS: dict[str, float] = {
    "slow": -1.5,
    "slowest": -2.0,
    "cold": -1.2,
    "dry": -1.0,
    "driest": -1.5,
    "chewy": -1.0,
    "greasy": -1.2,
    "salty": -1.0,
    "burnt": -1.5,
    "waited": -1.0,
    "forever": -1.0,
    "dirty": -1.9,
    "broken": -1.5,
    "hot": 0.5,
    "fresh": 1.3,
    "fast": 1.2,
    "quick": 1.0,
    "friendly": 2.2,
    "killer": 1.5,
}
REVIEW_CONTEXT = frozenset(
    {
        "food",
        "meal",
        "meals",
        "dish",
        "dishes",
        "dinner",
        "lunch",
        "breakfast",
        "brunch",
        "menu",
        "restaurant",
        "place",
        "service",
        "server",
        "servers",
        "waiter",
        "waitress",
        "staff",
        "table",
        "order",
        "ordered",
        "delivery",
        "delivered",
        "shipping",
        "product",
        "item",
        "seller",
        "shop",
        "store",
        "customer",
        "pizza",
        "burger",
        "fries",
        "steak",
        "chicken",
        "meat",
        "soup",
        "salad",
        "sushi",
        "coffee",
        "drinks",
        "sauce",
        "bread",
        "waited",
        "price",
        "prices",
        "quality",
        "package",
        "parcel",
        "arrived",
    }
)
# Phrases whose words mislead VADER ("to die for", "no complaints", "average at best"): the
# phrase's value replaces the valence of its words.
OVERRIDE_PHRASES: dict[str, float] = {
    "to die for": 3.0,
    "no complaints": 2.0,
    "nothing to complain about": 2.0,
    "never had anything to complain": 2.0,
    "could not be happier": 3.0,
    "couldn't be happier": 3.0,
    "can't say enough good": 3.0,
    "cant say enough good": 3.0,
    "can not say enough good": 3.0,
    "at best": -1.5,
    "i've had better": -1.8,
    "i have had better": -1.8,
    "had much better": -1.8,
    "thumbs down": -2.0,
    "thumbs up": 2.0,
    "not up to par": -1.8,
    "below average": -1.8,
    "far from": -1.0,
    "look elsewhere": -2.0,
    "go elsewhere": -2.0,
    "elsewhere": -1.2,
    "some place else": -1.2,
    "somewhere else": -1.2,
    "stay away": -2.2,
    "don't bother": -2.0,
    "do not bother": -2.0,
    "don't waste your": -2.5,
    "do not waste your": -2.5,
    "save your money": -2.2,
    "took forever": -2.0,
    "a joke": -2.0,
    "was a joke": -2.0,
    "gave up": -1.5,
    "first and last": -2.5,
    "(and last)": -2.5,
    "made me sick": -2.8,
    "got sick": -2.5,
    "food poisoning": -3.0,
}
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

    def score(self, text: str) -> tuple[float, dict[str, float]]:
        """Compound with review words and shop phrases, and per-aspect compounds."""
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
        sentiments = self._but_check(words, sentiments)
        if text.rstrip().endswith("?"):
            # A question asks more than it tells (the Vietnamese scorer damps it the same way).
            sentiments = [v * QUESTION_DAMPING for v in sentiments]
        compound = self.compound(sentiments, text)
        aspects: dict[str, float] = {}
        if not lowered_words.isdisjoint(_ASPECT_OF):
            aspects = self._aspects(words, ends, sentiments)
        return compound, aspects

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
