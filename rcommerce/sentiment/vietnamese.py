"""Vietnamese scorer: hand-written lexicon with negation, intensifiers and contrast, on top of
the logistic-regression model trained on Foody reviews and the hand-written verdicts of
reviews_vi.tsv (model.py).

Each canonical token gets a share of the score (its lexicon valence after modifiers plus its
share of the model's decision value), so a clause or an aspect is scored by summing its tokens.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TypeAlias

from rcommerce.sentiment.aspects import (
    NOT_PRICE_AFTER,
    NOT_PRICE_BEFORE,
    PREDICATE_NOT_AFTER,
    PREDICATE_NOT_BEFORE,
    PRICE_DEALS,
    PRICE_DEMONSTRATIVES,
    PRICE_FRAME_MENTIONS,
    PRICE_FRAMES,
    PRICE_NOUNS,
    PRICE_PREDICATE_GAP,
    PRICE_PREDICATES,
    PRICE_WORDS,
    VI_ASPECT_KEYWORDS,
)
from rcommerce.sentiment.confidence import (
    CONFIDENT_COMPOUND,
    SAYS_SOMETHING,
    Scored,
    aspect_confidence,
    review_confidence,
)
from rcommerce.sentiment.irony import BOUNDARIES, Hit, Reading, read_sarcasm
from rcommerce.sentiment.lexicon_vi import (
    ADDRESS_CUES,
    CONCESSIVE,
    CONTRAST,
    EXCEPTIONS,
    INTENSIFIERS,
    LEXICON,
    MEDIOCRE,
    NEGATIONS,
    PRAISE_BOOST,
    PRAISE_BOOSTERS,
)
from rcommerce.sentiment.model import Model
from rcommerce.sentiment.model import features as ngrams
from rcommerce.sentiment.normalize import Tokens, read_tokens
from rcommerce.sentiment.opinion import FEATURE_NAMES, OpinionModel, opinion_features
from rcommerce.sentiment.ratings import ratings

SENTENCE_ENDS = frozenset({".", "?"})
EXCEPTION_WEIGHT = 0.5
SUPERLATIVE_SCALE = 1.5  # the strongest intensifier ("cực kỳ", "vô cùng")
# "No clear opinion": text that asks or addresses someone and whose compound is weaker than
# this is neutral. 0.3 separates the hand-written sentences in sentences_vi.py (|compound|:
# neutral median 0.15, opinionated median 0.77, 2 of 70 opinionated below 0.3); it was not
# fitted to any evaluation set. Such a compound is scaled into VADER's neutral band, keeping
# its sign.
NO_OPINION = 0.3
NEUTRAL_BAND = 0.05
# The opinion model (opinion.py): a text with weak evidence (|compound| < NO_OPINION) that the
# model gives less than even odds of stating an opinion is neutral too. 0.5 is the model's own
# decision boundary (its classes are weighted to balance in training); not searched on any
# evaluation set.
OPINION_THRESHOLD = 0.5
OPINION_ASKS = FEATURE_NAMES.index("ends_with_question")
OPINION_CUES = FEATURE_NAMES.index("address_cues")
# Words that are sentiment words of their own, but right after one intensify it, as "lắm"
# does: "ngon ghê", "thất vọng ghê" (Foody: 28 of 32 "ngon ghê" positive, 17 of 17 "thất vọng
# ghê" negative; "thấy ghê", "rất ghê" are "gross"), and "chán" after praise only ("tốt chán",
# "ngon chán": quite good). word -> (scale, after praise only).
AFTER_INTENSIFIERS: dict[str, tuple[float, bool]] = {
    "ghe": (1.3, False),
    "chanx": (1.3, True),
    "chan": (1.3, True),
}
NEGATION_SCALAR = -0.74  # VADER's empirically derived value for a negated sentiment word
NEGATION_WINDOW = 3
# Words that extend a negation without counting towards its window: "chưa bao giờ" (never),
# "không hề" (not at all).
NEGATION_FILLERS = frozenset({"bao", "gio", "he"})
# Last words of two-word negations ("đâu có").
NEGATION_PAIR_ENDS = frozenset(key.split()[-1] for key in NEGATIONS if " " in key)
# Words that start with a negation but are nouns: "không khí" (air), "không gian" (space).
NOT_NEGATIONS = frozenset({"khong khi", "khong gian"})
# Model decision value -> valence points in the review's compound (its polarity), from
# `train_sentiment.py --choose-weight` (5 folds over the trainable data only: held-out Foody
# and hand-written verdict accuracy by the sign of the compound): with LENGTH_HALF and
# RULES_HALF, the best mean of the two among the settings under which every test of the
# project's scorer holds (docs/sentiment.md, "How scorer 2026.12-2 was chosen").
MODEL_WEIGHT = 16.0
# Whether a text states an opinion at all is decided on its evidence read with the model at
# this weight (the "no clear opinion" threshold, the opinion model's cues and the mediocre
# verdicts), whatever MODEL_WEIGHT is: a stronger model may then decide which way a review
# leans without pushing weak questions and forum statements over NO_OPINION. From
# `--choose-opinion-weight` (5-fold 3-class macro F1 on the hand-written rows, with the
# polarity at MODEL_WEIGHT).
OPINION_MODEL_WEIGHT = 1.0
# How much the rules (contrast, exceptions, questions) weigh the model's shares in the
# polarity: fully in a short text, fading with length, RULES_HALF / (n + RULES_HALF) of them
# for n canonical tokens (math.inf: always fully, 0: never; negated words' shares are dropped
# either way). A long review's bag of words already carries its verdict; in a short one the
# rules read what the bag cannot ("đẹp nhưng pin yếu"). The evidence (the no-opinion
# decision) always takes them fully. From `--choose-weight`.
RULES_HALF = 60.0
# The model's weight grows with the text's length, n / (n + LENGTH_HALF) of MODEL_WEIGHT (n
# canonical tokens): its unit-length TF-IDF vector makes a five-word text's decision as large
# as a review's, on far less evidence. From `--choose-weight` with MODEL_WEIGHT.
LENGTH_HALF = 60.0
# The model's weight in aspect scores: its former weight in the whole score (2026.11-7), with
# which the aspects were built; see VietnameseScorer.aspects.
ASPECT_MODEL_WEIGHT = 0.5
# A clause naming the price without a price word ("mua giá 5 triệu, ...") judges the price by
# its other words, the model's shares at this weight; and whether naming a deal ("mua hồi
# sale", "dùng voucher") judges the price. Both from `--choose-price` (the hand-written
# price rows of aspects_vi.tsv).
PRICE_MODEL_WEIGHT = 0.0
DEALS_JUDGE = False
# How a clause naming the price without a price word judges it (aspects.PRICE_PREDICATES,
# PRICE_FRAMES): whether a predicate after the word naming the price judges it ("giá bán
# cao", "giá hơi chát"); how far a value frame ("với giá này", "trong tầm giá", "giá 5 triệu mà
# ...") that judges nothing itself reaches for the judgment ("off", "next": the clauses after
# it up to the end of its sentence, "sentence": the rest of its sentence); and whether an
# amount ("350k", "2tr4", "800 nghìn") names the price. From `--choose-price`.
PRICE_PREDICATES_ON = True
PRICE_FRAME_REACH = "next"
PRICE_AMOUNTS = True
# Whether words that only hold a price keyword ("đánh giá", "gia đình", "đầu tiên":
# aspects.NOT_PRICE) are kept from naming the price. From `--choose-price`.
NOT_PRICE = True
# Whether a deal the buyer says they got ("được giảm giá", "được khuyến mãi", "được ưu đãi")
# judges the price (as its lexicon valence), when deals named otherwise do not (DEALS_JUDGE
# off). From `--choose-price`.
DEALS_GAINED = True
# Which way a weak text that addresses someone without asking ("mọi người nên thử") leans
# once it is judged to state no clear opinion: as its evidence does ("evidence", as a
# question does) or as its polarity does ("polarity", as a statement does). From
# `--choose-lean`.
ADDRESS_LEAN = "polarity"
ALPHA = 15.0  # VADER's normalisation constant: compound = s / sqrt(s*s + ALPHA)
BEFORE_CONTRAST = 0.5
AFTER_CONTRAST = 1.5
QUESTION_DAMPING = 0.5
# What may follow the particle "không" at the end of a yes/no question: "ạ" (canonical "a"),
# "vậy", "nhỉ", the people asked ("ae" -> anh em, "mn" -> mọi người, bác, bạn, shop ...) and
# an emoji.
QUESTION_TAILS = frozenset(
    {"a", "vay", "nhi", "ta", "anh", "em", "ae", "moi", "nguoi", "bac", "ban", "shop", "oi", "chi"}
    | {"emo_pos", "emo_neg"}
)
# "Which one" asks: a classifier before "nào" (con nào, cái nào, loại nào, hãng nào ...).
# An amount of money as one token ("350k", "2tr4", "15tr", "3trieu"); "800 nghìn" is two.
AMOUNT_RE = re.compile(r"[0-9]+(?:k|tr|trieu)[0-9]*")
THOUSANDS = frozenset({"nghin", "ngan"})
WHICH_CLASSIFIERS = frozenset(
    {"con", "cai", "loai", "hang", "ben", "cho", "dong", "mau", "chiec", "may", "ban", "goi"}
)


def normalize_score(score: float) -> float:
    """Map an unbounded score to [-1, 1] the way VADER does."""
    return max(-1.0, min(1.0, score / math.sqrt(score * score + ALPHA)))


# A table of one- and several-word keys as a word trie: token -> node; the node of a key's
# last word holds END. Matching walks one dict per word instead of joining candidate spans.
Trie: TypeAlias = dict[str, "Trie"]
END = ""  # never a token


def _trie(keys: Iterable[str]) -> Trie:
    root: Trie = {}
    for key in keys:
        node = root
        for part in key.split():
            node = node.setdefault(part, {})
        node[END] = {}
    return root


class VietnameseScorer:
    """Scores canonical Vietnamese tokens; one instance is cached per process."""

    def __init__(
        self,
        model: Model,
        opinion: OpinionModel | None = None,
        model_weight: float = MODEL_WEIGHT,
        opinion_weight: float = OPINION_MODEL_WEIGHT,
        length_half: float = LENGTH_HALF,
        price_model_weight: float = PRICE_MODEL_WEIGHT,
        deals_judge: bool = DEALS_JUDGE,
        rules_half: float = RULES_HALF,
        address_lean: str = ADDRESS_LEAN,
        price_predicates: bool = PRICE_PREDICATES_ON,
        price_frame_reach: str = PRICE_FRAME_REACH,
        price_amounts: bool = PRICE_AMOUNTS,
        not_price: bool = NOT_PRICE,
        deals_gained: bool = DEALS_GAINED,
    ) -> None:
        self.model = model
        # The training script's cross-validation varies these three.
        self.model_weight = model_weight
        self.opinion_weight = opinion_weight
        self.length_half = length_half
        self.price_model_weight = price_model_weight
        self.deals_judge = deals_judge
        self.rules_half = rules_half
        self.address_lean = address_lean
        self.price_predicates = price_predicates
        self.price_frame_reach = price_frame_reach
        self.price_amounts = price_amounts
        self.opinion = opinion
        self.lexicon = LEXICON
        self.lex_trie = _trie(LEXICON)
        self.cue_trie = _trie(ADDRESS_CUES)
        self.exc_trie = _trie(EXCEPTIONS)
        # One- and two-word markers ("nhưng", "tuy nhiên", "có điều", "mặc dù").
        self.contrast_trie = _trie(CONTRAST)
        self.clause_trie = _trie(CONTRAST | CONCESSIVE)  # where an aspect's clause ends
        self.aspect_of: dict[str, str] = {}
        for aspect, words in VI_ASPECT_KEYWORDS.items():
            for word in words:
                self.aspect_of.setdefault(word, aspect)
        # "p/p" and "phân khúc" name the price too (the other frames hold a price keyword);
        # kept out of VI_ASPECT_KEYWORDS, which language detection also reads.
        for frame in PRICE_FRAME_MENTIONS:
            self.aspect_of.setdefault(frame, "price")
        self.frame_trie = _trie(PRICE_FRAMES)
        self.not_price = not_price
        self.deals_gained = deals_gained
        self.aspect_trie = _trie(self.aspect_of)
        self.predicate_trie = _trie(PRICE_PREDICATES)
        # Tokens at which a lexicon key or a contrast marker may start.
        self.lexicon_marks = frozenset(self.lex_trie.keys() | self.contrast_trie.keys())
        # Tokens at which an aspect's clause may end or an aspect be named.
        self.clause_marks = frozenset(
            BOUNDARIES | self.clause_trie.keys() | self.aspect_trie.keys()
        )

    @staticmethod
    def _match(tokens: list[str], i: int, trie: Trie) -> int:
        """Length in tokens of the longest key of `trie` starting at token i (0 if none).
        Callers test `tokens[i] in trie` first: most tokens start no key, and the test is
        cheaper than the call."""
        node = trie[tokens[i]]
        span = 1 if END in node else 0
        n = len(tokens)
        j = i + 1
        while j < n and tokens[j] in node:
            node = node[tokens[j]]
            j += 1
            if END in node:
                span = j - i
        return span

    def _token_scores(self, read: Tokens) -> Reading:
        """Per-token valence points and what they are made of (see Reading)."""
        tokens = read.words
        n = len(tokens)
        model_part = self.model.contributions(tokens)
        bias = self.model.bias
        lexicon_part = [0.0] * n
        lexicon = self.lexicon
        lex_trie = self.lex_trie
        contrast_at = -1
        hits: list[Hit] = []
        # Only tokens that start a lexicon key or a contrast marker are read; a key's span
        # (and the intensifier after it) passes over the tokens it covers.
        marks = self.lexicon_marks
        i = 0
        for at in [k for k, tok in enumerate(tokens) if tok in marks]:
            if at < i:
                continue
            i = at
            tok = tokens[i]
            span = self._match(tokens, i, lex_trie) if tok in lex_trie else 0
            if span == 1 and i in read.not_lexicon:
                span = 0  # another word than the key's ("tục" is not "tức")
            if span == 0:
                if (
                    contrast_at < 0
                    and i > 0
                    and tok in self.contrast_trie
                    and self._match(tokens, i, self.contrast_trie)
                ):
                    contrast_at = i
                i += 1
                continue
            key = tok if span == 1 else " ".join(tokens[i : i + span])
            valence = lexicon[key]
            if valence:
                modified, pair_at = self._modify(read, i, span, valence)
                if modified * valence < 0:
                    # Negated ("chưa bao giờ làm mình thất vọng"): the rule knows what the bag
                    # of words cannot; the model does not read the word itself, nor anything
                    # from a two-word negation to it ("không phải là hàng tệ", "đâu có tệ"),
                    # which the model reads as a complaint of its own. A one-word negation
                    # keeps its share: "không ngon" is the model's own reading of it.
                    for k in range(i if pair_at < 0 else pair_at, i + span):
                        model_part[k] = 0.0
                valence = modified
                end = i + span
                if valence > 0 and tuple(tokens[end : end + 2]) in PRAISE_BOOSTERS:
                    # "đẹp kinh khủng": terribly beautiful. The booster is no complaint, for
                    # the lexicon or the model.
                    valence *= PRAISE_BOOST
                    model_part[end] = model_part[end + 1] = 0.0
                    span += 2
                lexicon_part[i] = valence
                hits.append((i, span, key, valence))
                if self._after_intensifier(read, i + span, valence):
                    span += 1  # "ngon ghê", "tốt chán": that word intensified it (_modify)
            i += span
        # The rules that weigh whole stretches of text, as multipliers per token.
        unweighed_value = sum(model_part) + bias
        weights = [1.0] * n
        if contrast_at > 0:
            for j in range(n):
                weights[j] = BEFORE_CONTRAST if j < contrast_at else AFTER_CONTRAST
        self._damp_exceptions(tokens, weights)
        self._damp_questions(tokens, weights)
        if weights.count(1.0) == n:  # no rule weighed anything (most reviews)
            scores = lexicon_part[:]
            model_value = unweighed_value
        else:
            # The rules weigh the model's shares as they weigh the lexicon's points.
            model_part = [m * k for m, k in zip(model_part, weights, strict=True)]
            scores = [lex * k for lex, k in zip(lexicon_part, weights, strict=True)]
            model_value = sum(model_part) + bias
        flipped = self._prefer_alternative(read, scores)
        return Reading(
            scores,
            lexicon_part,
            model_part,
            weights,
            model_value,
            hits,
            flipped,
            unweighed_value,
        )

    @staticmethod
    def _damp_questions(tokens: list[str], scores: list[float]) -> None:
        """'pin có trâu không ae', 'máy này ổn không ạ', 'con nào pin trâu hơn': a clause
        ending in the question particle "không" (before a closing "ạ", "vậy" or the people
        asked) or asking "which one" (con nào, loại nào ..., but not "con nào cũng", every
        one) asserts nothing; it is damped as a text ending in "?" is."""
        n = len(tokens)
        clauses: set[tuple[int, int]] = set()
        for word in ("khong", "nao"):
            if word not in tokens:
                continue  # most texts: no search to end in an exception
            k = -1
            while True:
                try:
                    k = tokens.index(word, k + 1)
                except ValueError:
                    break
                if word == "khong":
                    after = k + 1
                    while after < n and tokens[after] in QUESTION_TAILS:
                        after += 1
                    asks = (after == n or tokens[after] in BOUNDARIES) and (
                        k > 0 and tokens[k - 1] not in BOUNDARIES
                    )
                else:
                    asks = (
                        k > 0
                        and tokens[k - 1] in WHICH_CLASSIFIERS
                        and (k + 1 == n or tokens[k + 1] != "cung")
                    )
                if asks:
                    start, end = k, k
                    while start > 0 and tokens[start - 1] not in BOUNDARIES:
                        start -= 1
                    while end < n and tokens[end] not in BOUNDARIES:
                        end += 1
                    clauses.add((start, end))
        for start, end in clauses:
            for m in range(start, end):
                scores[m] *= QUESTION_DAMPING

    @staticmethod
    def _after_intensifier(read: Tokens, i: int, valence: float) -> bool:
        """Whether token i is an AFTER_INTENSIFIERS word acting on the valence before it."""
        if i >= len(read.words) or read.words[i] not in AFTER_INTENSIFIERS:
            return False
        return i not in read.not_modifier and (
            valence > 0 or not AFTER_INTENSIFIERS[read.words[i]][1]
        )

    @staticmethod
    def _prefer_alternative(read: Tokens, scores: list[float]) -> set[int]:
        """'thà mua máy khác còn hơn': praise after "thà" (rather), up to the end of its clause,
        is praise of the alternative the writer prefers, so it counts against the product, as
        a negated word does."""
        tokens = read.words
        flipped: set[int] = set()
        if "tha" not in tokens:
            return flipped
        n = len(tokens)
        for i, tok in enumerate(tokens):
            if tok != "tha" or i in read.not_modifier:
                continue
            j = i + 1
            while j < n and tokens[j] not in BOUNDARIES:
                if scores[j] > 0:
                    scores[j] *= NEGATION_SCALAR
                flipped.add(j)
                j += 1
        return flipped

    def _damp_exceptions(self, tokens: list[str], scores: list[float]) -> None:
        """'mọi thứ đều ổn ngoại trừ pin hơi yếu': the exception, up to the end of its
        sentence, counts half (the weight VADER gives the clause before "but")."""
        trie = self.exc_trie
        if trie.keys().isdisjoint(tokens):
            return  # no exception word (most reviews)
        n = len(tokens)
        i = 0
        while i < n:
            if tokens[i] not in trie or not self._match(tokens, i, trie):
                i += 1
                continue
            j = i
            while j < n and tokens[j] not in SENTENCE_ENDS:
                scores[j] *= EXCEPTION_WEIGHT
                j += 1
            i = j

    def _modify(self, read: Tokens, i: int, span: int, valence: float) -> tuple[float, int]:
        """Apply intensifiers before/after and negation before a sentiment phrase at i
        (emoji and emoticons are not negated: "... không 🙏" ends a question); also where a
        two-word negation that negated it starts (-1 if none did)."""
        tokens, not_modifier = read.words, read.not_modifier
        if tokens[i].startswith("emo_"):
            return valence, -1
        scale = 1.0
        negated = False
        negation_at = -1
        back = 0
        j = i
        while back < NEGATION_WINDOW:
            j -= 1
            if j < 0 or tokens[j] in BOUNDARIES:
                break
            prev = tokens[j]
            if prev in NEGATION_FILLERS:
                continue  # "chưa bao giờ làm mình thất vọng": "bao giờ" belongs to the negation
            back += 1
            if (
                j not in not_modifier
                and (
                    prev in NEGATIONS
                    or (
                        j > 0
                        and prev in NEGATION_PAIR_ENDS
                        and f"{tokens[j - 1]} {prev}" in NEGATIONS
                    )
                )
                and f"{prev} {tokens[j + 1]}" not in NOT_NEGATIONS
            ):
                negated = True
                negation_at = j
            elif back <= 2 and prev in INTENSIFIERS and j not in not_modifier:
                scale = (
                    max(scale, INTENSIFIERS[prev])
                    if INTENSIFIERS[prev] > 1
                    else min(scale, INTENSIFIERS[prev])
                )
            elif prev in self.lexicon and self.lexicon[prev] != 0.0 and j not in read.not_lexicon:
                break
        after = i + span
        if (
            negated
            and tokens[negation_at + 1] == "the"
            and after < len(tokens)
            and tokens[after] == "hon"
        ):
            # "không thể tốt hơn" (could not be better) praises; "không thể xấu hơn" damns.
            negated = False
            scale = max(scale, SUPERLATIVE_SCALE)
        if (
            after < len(tokens)
            and tokens[after] in INTENSIFIERS
            and INTENSIFIERS[tokens[after]] > 1
            and after not in not_modifier
        ):
            scale = max(scale, INTENSIFIERS[tokens[after]])
        elif self._after_intensifier(read, after, valence):
            scale = max(scale, AFTER_INTENSIFIERS[tokens[after]][0])
        valence *= scale
        if negated:
            valence *= NEGATION_SCALAR
            if (
                negation_at > 0
                and tokens[negation_at] in NEGATION_PAIR_ENDS
                and f"{tokens[negation_at - 1]} {tokens[negation_at]}" in NEGATIONS
            ):
                return valence, negation_at - 1
        return valence, -1

    def score(self, text: str) -> Scored:
        """Compound in [-1, 1], per-aspect compounds and confidences, the review's confidence
        and whether it reads as sarcasm, for a Vietnamese review."""
        read = read_tokens(text)
        tokens = read.words
        if not tokens:
            return Scored(0.0, {}, {}, 1.0, False)
        reading = self._token_scores(read)
        return self.finish(text, read, reading, read_sarcasm(tokens, reading))

    def finish(self, text: str, read: Tokens, reading: Reading, sarcasm: bool) -> Scored:
        """score() once the text is read (the training script's cross-validation reads each
        text once and finishes it under several weights)."""
        tokens = read.words
        compound, evidence = self._totals(text, read, reading)
        lexicon_part, model_value, hits = reading.lexicon_part, reading.model_value, reading.hits
        mediocre = False
        if abs(evidence) < NO_OPINION:
            # Weak evidence (read at opinion_weight, not at the polarity's model_weight):
            # features are computed only here, which keeps scoring fast.
            cues = self.features(read, lexicon_part, model_value, evidence)
            asks = bool(cues[OPINION_ASKS] or cues[OPINION_CUES])
            # Which way it leans (below): a text addressing someone without asking leans as a
            # question does (address_lean "evidence") or as a statement does ("polarity").
            leans_as_evidence = bool(
                cues[OPINION_ASKS] or (cues[OPINION_CUES] and self.address_lean == "evidence")
            )
            if asks or (
                self.opinion is not None
                and self.opinion.probability(cues, ngrams(tokens)) < OPINION_THRESHOLD
            ):
                # Scaled into the neutral band, not zeroed: the sign still says which way the
                # text leans. A question leans as its evidence does (what it names: "Shop ơi
                # hàng tốt không ạ?"), a statement and a text addressing someone without
                # asking as its polarity does (the reading with the better 2-class figures).
                lean = evidence if leans_as_evidence else compound
                compound = math.copysign(abs(evidence), lean) * NEUTRAL_BAND / NO_OPINION
                compound *= 0.98
        if (
            hits
            and abs(evidence) < CONFIDENT_COMPOUND
            and all(key in MEDIOCRE for _, _, key, _ in hits)
        ):
            # "Sản phẩm bình thường": a mediocre verdict and nothing stronger is neutral, and
            # so are the aspects it names.
            if abs(compound) >= NEUTRAL_BAND:
                compound = evidence * NEUTRAL_BAND / CONFIDENT_COMPOUND * 0.98
            mediocre = True
        lexicon_total = sum(lexicon_part)
        model_total = model_value * self.model_weight
        disagree = (
            abs(lexicon_total) >= SAYS_SOMETHING
            and abs(model_total) >= SAYS_SOMETHING
            and (lexicon_total > 0) != (model_total > 0)
        )
        aspects, lexical = self.aspects(tokens, reading, read.numbers)
        if mediocre:
            aspects = {a: round(v * NEUTRAL_BAND, 4) for a, v in aspects.items()}
        return Scored(
            round(compound, 4),
            aspects,
            {
                a: aspect_confidence(v, lexical=a in lexical, sarcasm=sarcasm)
                for a, v in aspects.items()
            },
            review_confidence(compound, disagree=disagree, sarcasm=sarcasm),
            sarcasm,
        )

    def _totals(self, text: str, read: Tokens, reading: Reading) -> tuple[float, float]:
        """The compound and the evidence compound: the lexicon's points after the rules, plus
        the model's decision value (its shares weighed by the same rules, bias included) x
        model_weight (opinion_weight for the evidence) x n / (n + length_half), plus ratings; a
        final "?" halves both. Praise read as irony or as praise of the alternative ("thà")
        counts negated in the model's shares too."""
        flip = 0.0
        for k in reading.flipped:
            share = reading.model_part[k]
            if share > 0:
                flip += share * (NEGATION_SCALAR - 1.0)
        model_value = reading.model_value + flip
        n = len(read.words)
        rest = sum(reading.scores)
        found = ratings(text)
        if found:
            rest += sum(valence for _, valence in found)
        length = n / (n + self.length_half)
        polarity = model_value
        if self.rules_half != math.inf:
            ruled = self.rules_half / (n + self.rules_half)
            polarity = ruled * model_value + (1.0 - ruled) * (reading.unweighed_value + flip)
        total = rest + self.model_weight * length * polarity
        evidence = rest + self.opinion_weight * length * model_value
        if read.words and read.words[-1] == "?":
            total *= QUESTION_DAMPING
            evidence *= QUESTION_DAMPING
        return normalize_score(total), normalize_score(evidence)

    def features(
        self, read: Tokens, lexicon_part: list[float], model_value: float, compound: float
    ) -> list[float]:
        """The opinion model's features (opinion.FEATURE_NAMES) for this text."""
        tokens, not_modifier = read.words, read.not_modifier
        return opinion_features(
            tokens,
            lexicon_part,
            model_value * self.opinion_weight,
            compound,
            address_cues=self._count(tokens, self.cue_trie),
            intensifiers=0
            if INTENSIFIERS.keys().isdisjoint(tokens)
            else len(
                [i for i, tok in enumerate(tokens) if tok in INTENSIFIERS and i not in not_modifier]
            ),
            negations=0
            if NEGATIONS.isdisjoint(tokens)
            else len(
                [i for i, tok in enumerate(tokens) if tok in NEGATIONS and i not in not_modifier]
            ),
        )

    def evidence(self, text: str, read: Tokens) -> tuple[float, list[float]]:
        """The evidence compound (the model at opinion_weight) and the opinion features of a
        text and its ``read_tokens`` (used in training)."""
        reading = self._token_scores(read)
        evidence = self._totals(text, read, reading)[1]
        return evidence, self.features(read, reading.lexicon_part, reading.model_value, evidence)

    def _count(self, tokens: list[str], trie: Trie) -> int:
        """How many keys of `trie` occur in tokens ("cho mình hỏi", "các bác")."""
        if trie.keys().isdisjoint(tokens):
            return 0  # no word that starts a key (most texts)
        return len(
            [i for i, tok in enumerate(tokens) if tok in trie and self._match(tokens, i, trie)]
        )

    @staticmethod
    def _aspect_points(
        reading: Reading, start: int, end: int, model_weight: float = ASPECT_MODEL_WEIGHT
    ) -> float:
        """Points of tokens[start:end] for aspects: the lexicon's (after the rules) plus the
        model's shares at model_weight, praise read as irony or "thà" negated."""
        if not model_weight:
            return sum(reading.scores[start:end])
        model = sum(reading.model_part[start:end])
        for k in reading.flipped:
            if start <= k < end and reading.model_part[k] > 0:
                model += reading.model_part[k] * (NEGATION_SCALAR - 1.0)
        return sum(reading.scores[start:end]) + model_weight * model

    def _price_points(
        self,
        reading: Reading,
        tokens: list[str],
        price_at: list[int],
        deals: list[int],
        start: int,
        end: int,
        framed: bool,
    ) -> float:
        """The price's points in the clause tokens[start:end] that names it: its price words
        alone when it has some ("máy chạy mượt giá hơi cao"), else what follows the word
        naming it ("giá bán cao", when price_predicates), else the clause's other words (the
        model at price_model_weight); a deal named ("mua hồi sale") judges nothing unless
        deals_judge. A value frame that judges nothing itself ("Với giá này, máy quá ngon")
        takes the judgment of the rest of its sentence (price_frame_reach)."""
        priced = [k for k in price_at if start <= k < end]
        if priced:
            return sum(self._aspect_points(reading, k, k + 1) for k in priced)
        if self.price_predicates:
            judged = self._price_predicate(tokens, reading.weights, start, end)
            if judged:
                return judged
        value = self._aspect_points(reading, start, end, self.price_model_weight)
        for k in deals:
            if start <= k < end and not (self.deals_gained and k > 0 and tokens[k - 1] == "duoc"):
                value -= reading.scores[k]  # "được giảm giá": a deal gained judges the price
        if (
            value
            or self.price_frame_reach == "off"
            or not (framed or self._framed(tokens, start, end))
        ):
            return value
        n = len(tokens)
        after = end
        while after < n and tokens[after] not in SENTENCE_ENDS:
            after += 1
        before = start
        if self.price_frame_reach == "sentence":
            while before > 0 and tokens[before - 1] not in SENTENCE_ENDS:
                before -= 1
        rest = self._aspect_points(reading, before, start, self.price_model_weight)
        rest += self._aspect_points(reading, end, after, self.price_model_weight)
        for k in deals:
            if before <= k < start or end <= k < after:
                rest -= reading.scores[k]
        return rest

    def _price_predicate(
        self, tokens: list[str], weights: list[float], start: int, end: int
    ) -> float:
        """Valence of the first aspects.PRICE_PREDICATES word after a word naming the price in
        tokens[start:end] (at most PRICE_PREDICATE_GAP tokens between, negations and
        intensifiers among them applied, weighed by the rules as the lexicon's points are:
        contrast, exceptions, questions), 0.0 if none."""
        trie = self.predicate_trie
        for noun in range(start, end):
            if tokens[noun] not in PRICE_NOUNS:
                continue
            scale = 1.0
            negated = False
            j = noun + 1
            while j < end and j - noun - 1 <= PRICE_PREDICATE_GAP:
                tok = tokens[j]
                span = self._match(tokens, j, trie) if tok in trie else 0
                if span and j + span < end + 1:
                    key = tok if span == 1 else " ".join(tokens[j : j + span])
                    nxt = tokens[j + span] if j + span < len(tokens) else ""
                    if nxt not in PREDICATE_NOT_BEFORE.get(key, ()) and tokens[
                        j - 1
                    ] not in PREDICATE_NOT_AFTER.get(key, ()):
                        valence = PRICE_PREDICATES[key] * scale * weights[j]
                        return valence * NEGATION_SCALAR if negated else valence
                if tok in NEGATIONS:
                    negated = True
                elif tok in INTENSIFIERS:
                    factor = INTENSIFIERS[tok]
                    scale = max(scale, factor) if factor > 1 else min(scale, factor)
                j += 1
        return 0.0

    def _framed(self, tokens: list[str], start: int, end: int) -> bool:
        """Whether tokens[start:end] name the price as a value frame: "trong tầm giá", "so
        với giá tiền", "p/p" (aspects.PRICE_FRAMES) or "this price": "giá này", "giá vậy",
        "giá tiền này", "giá như vậy" (aspects.PRICE_DEMONSTRATIVES)."""
        trie = self.frame_trie
        for i in range(start, end):
            tok = tokens[i]
            if tok in trie and self._match(tokens, i, trie):
                return True
            if tok in PRICE_NOUNS:
                j = i + 1
                while j < end and tokens[j] in ("tien", "ca", "ban", "thanh"):
                    j += 1
                if j < end and tokens[j] in PRICE_DEMONSTRATIVES:
                    return True
        return False

    def aspects(
        self, tokens: list[str], reading: Reading, numbers: Iterable[int] = ()
    ) -> tuple[dict[str, float], set[str]]:
        """Score each aspect on the clauses that mention it; also which aspects have a lexicon
        word in one of their clauses.

        An aspect is judged by what is said about it, so the model (which learnt whole reviews'
        verdicts) counts at ASPECT_MODEL_WEIGHT here, whatever its weight in the review's
        compound. A clause naming the price that holds price words ("giá rẻ", "đắt", "hợp
        lý", "đáng tiền") scores the price by those words alone: "máy đẹp giá hơi cao" praises
        the phone and complains of the price."""
        found: dict[str, float] = {}
        lexical: set[str] = set()
        amounts: set[int] = set()
        if self.price_amounts and numbers:
            # Tokens that start with a digit (Tokens.numbers) and are an amount of money.
            amounts = {
                i
                for i in numbers
                if AMOUNT_RE.fullmatch(tokens[i])
                or (i + 1 < len(tokens) and tokens[i + 1] in THOUSANDS)
            }
        if not amounts and self.aspect_trie.keys().isdisjoint(tokens):
            return found, lexical  # no aspect named
        lexicon_part = reading.lexicon_part
        price_at: list[int] | None = None  # found when the price is first named
        deals: list[int] = []
        aspect_of = self.aspect_of
        trie = self.aspect_trie
        clause_trie = self.clause_trie
        clause_start = 0
        mentioned: list[str] = []
        n = len(tokens)
        # Only boundaries, contrast words and aspect keywords end a clause or name an aspect;
        # every other token is passed over, so only these are visited (and the end).
        marks = self.clause_marks
        at = [i for i, tok in enumerate(tokens) if tok in marks]
        if amounts:
            at = sorted(amounts.union(at))
        at.append(n)
        i = 0  # the first token not yet read (a match spans several)
        for i_at in at:
            if i_at < i:
                continue
            i = i_at
            tok = tokens[i] if i < n else "."
            if tok in BOUNDARIES or i == n:
                marker = 1
            elif tok in clause_trie:
                marker = self._match(tokens, i, clause_trie)
            else:
                marker = 0
            if marker:
                if mentioned:
                    clause = self._aspect_points(reading, clause_start, i)
                    said = any(lexicon_part[clause_start:i])
                    for aspect in mentioned:
                        value = clause
                        if aspect == "price":
                            if price_at is None:
                                price_at = [
                                    at
                                    for at, _, key, _ in reading.hits
                                    if key in PRICE_WORDS
                                    and (self.deals_judge or key not in PRICE_DEALS)
                                ]
                                if not self.deals_judge:
                                    deals = [
                                        at for at, _, key, _ in reading.hits if key in PRICE_DEALS
                                    ]
                            value = self._price_points(
                                reading,
                                tokens,
                                price_at,
                                deals,
                                clause_start,
                                i,
                                i < n and tokens[i] == "ma",  # "giá 5 triệu mà ..."
                            )
                        found[aspect] = found.get(aspect, 0.0) + value
                        if said:
                            lexical.add(aspect)
                    mentioned = []
                clause_start = i + marker
                i += marker
                continue
            span = self._match(tokens, i, trie) if tok in trie else 0
            if span:
                key = tok if span == 1 else " ".join(tokens[i : i + span])
                aspect = aspect_of[key]
                if (
                    self.not_price
                    and key in NOT_PRICE_AFTER
                    and (
                        (i > 0 and tokens[i - 1] in NOT_PRICE_BEFORE[key])
                        or (
                            i + 1 < n
                            and tokens[i + 1] in NOT_PRICE_AFTER[key]
                            and tokens[i + 1 : i + 3] != ["bo", "ra"]  # "tiền bỏ ra"
                        )
                    )
                ):
                    aspect = ""  # "đánh giá", "gia đình", "đầu tiên": no price named
                if aspect and aspect not in mentioned:
                    mentioned.append(aspect)
                i += span
            elif i in amounts:
                if "price" not in mentioned:
                    mentioned.append("price")
                i += 1
            else:
                i += 1
        return {
            aspect: round(normalize_score(value), 4) for aspect, value in found.items()
        }, lexical
