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
    assert "vi/foody_train.tsv (Apache-2.0)" in payload["trained_on"]
    script = (REPO / "scripts" / "train_sentiment.py").read_text(encoding="utf-8")
    assert "MODEL_FORMAT" in script
    assert MODEL_PATH.stat().st_size < 3_000_000
    model = load_model()
    assert len(model.weights) > 1000
    assert model.weights["tot"] > 0
    assert model.weights["that vong"] < 0


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
