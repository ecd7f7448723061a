"""Import cost, the shipped model file and the English fast path's equivalence with NLTK."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from rcommerce.sentiment.model import MODEL_FORMAT, MODEL_PATH, load_model

REPO = Path(__file__).resolve().parents[2]


def test_import_does_no_heavy_loading() -> None:
    code = (
        "import sys, rcommerce.sentiment as s\n"
        "heavy = [m for m in ('nltk', 'rcommerce.sentiment.model', 'rcommerce.sentiment.english',"
        " 'rcommerce.sentiment.vietnamese', 'sklearn', 'numpy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert s._SCORERS._english is None and s._SCORERS._vietnamese is None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_model_file_matches_training_script_format() -> None:
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    assert payload["format"] == MODEL_FORMAT
    assert payload["trained_on"][0].startswith("vi/foody_train.tsv (Apache-2.0) outside the")
    assert set(payload["weights"]) <= set(payload["idf"])
    script = (REPO / "scripts" / "train_sentiment.py").read_text(encoding="utf-8")
    assert "MODEL_FORMAT" in script
    assert MODEL_PATH.stat().st_size < 3_000_000
    model = load_model()
    assert len(model.weights) > 1000
    assert model.weights["tot"] > 0
    assert model.weights["that vong"] < 0


def test_model_reads_tfidf_as_training_wrote_it() -> None:
    """The run-time reading: (1 + ln count) x idf per feature, the vector scaled to unit length
    over every known feature, dotted with the weights; shares split a bigram's part."""
    import math

    model = load_model()
    tokens = ["mon", "nay", "rat", "ngon", ",", "rat", "ngon", "xyzzy"]
    grams = {
        "mon": 1,
        "nay": 1,
        "rat": 2,
        "ngon": 2,
        ",": 1,
        "xyzzy": 1,
        "mon nay": 1,
        "nay rat": 1,
        "rat ngon": 2,
        "ngon ,": 1,
        ", rat": 1,
        "ngon xyzzy": 1,
    }
    values = {g: (1.0 + math.log(c)) * model.idf[g] for g, c in grams.items() if g in model.idf}
    norm = math.sqrt(sum(v * v for v in values.values()))
    expected = sum(v / model.idf[g] * model.weights.get(g, 0.0) for g, v in values.items())
    shares = model.contributions(tokens)
    assert len(shares) == len(tokens)
    assert math.isclose(sum(shares), expected / norm, abs_tol=1e-9)
    assert math.isclose(model.decision(tokens), expected / norm + model.bias, abs_tol=1e-9)
    assert shares[-1] == 0.0  # an unknown word has no share
    assert model.decision(["ngon", "tuyet"]) > 0 > model.decision(["that", "vong", "qua"])


def test_warm_loads_everything() -> None:
    from rcommerce.sentiment import _SCORERS, warm

    warm()
    assert _SCORERS._english is not None
    assert _SCORERS._vietnamese is not None


def test_fast_vader_equals_nltk_vader() -> None:
    import nltk.data
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    from rcommerce.sentiment.english import LEXICON_DIR, LEXICON_RESOURCE, FastVader

    fast = FastVader()
    if str(LEXICON_DIR) not in nltk.data.path:
        nltk.data.path.append(str(LEXICON_DIR))
    plain = SentimentIntensityAnalyzer(lexicon_file=LEXICON_RESOURCE)
    for text in [
        "VADER is smart, handsome, and funny!",
        "The book was kind of good.",
        "Not bad at all :) but the ending... ugh!!!",
        "I HATE it, it's the WORST, never again?!?",
        "At least it isn't a horrible book.",
        "'quoted' words, (brackets) and -dashes- here.",
        "",
    ]:
        assert fast.plain_compound(text) == plain.polarity_scores(text)["compound"], text
