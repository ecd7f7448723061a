"""The fixed held-back fifth of vi/foody_train.tsv.

A review belongs to the held-back fifth when the first four bytes of the SHA-256 of its text
(UTF-8, as stored in the file) read as a big-endian integer are 0 modulo 5. The split depends on
the text only, so it is the same on every machine and in every run, identical texts always fall
on the same side (no review is both trained on and measured), and it does not move when rows are
added or reordered. Nothing in the held-back fifth trains a shipped model or guides a choice
(`scripts/train_sentiment.py` drops it before anything else); `benchmarks/sentiment.py` reports
it as the in-domain figure.
"""

from __future__ import annotations

import hashlib

HELD_BACK_FOLDS = 5  # one fifth held back


def held_back(text: str) -> bool:
    """Whether this Foody review is in the held-back fifth."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % HELD_BACK_FOLDS == 0


def cv_fold(text: str, folds: int = 5) -> int:
    """The cross-validation fold (0 .. folds-1) of a review outside the held-back fifth; taken
    from other bytes of the same digest, so folds are independent of the held-back split."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[4:8], "big") % folds
