"""How many review texts the moderation's text rules reject or hold, over every review text in
``../shared/datasets/`` (all files, the text being each TSV's last column).

    .venv/bin/python benchmarks/moderation_words.py [--datasets DIR] [--caught FILE]

Only the rules that read the text alone are applied (profanity and abuse words, links,
personal data): duplicates and velocity depend on a store's history, and the rating/text
comparison never holds a review any more. Prints, per file and in total, how many texts are
rejected (`abuse`, `spam`) and how many held (`profanity`, `link`, `personal_data`). With
``--caught`` it also writes every caught text, one a line (``file<TAB>outcome<TAB>text``), so
two versions of the rules can be compared line by line (``diff``) and every new catch read.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rcommerce.reviews import rules  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"


def outcome(text: str) -> str:
    signals = rules.Signals(
        links=rules.count_links(text),
        profanity=rules.profanity(text),
        personal_data=rules.has_personal_data(text),
    )
    decided = rules.decide(signals)
    if decided.status == "rejected":
        return f"rejected:{decided.reason_code}"
    if decided.status == "pending":
        return "held:" + ",".join(decided.flags)
    return "published"


def texts(path: Path) -> list[str]:
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)  # the header
        return [row[-1] for row in reader if row]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=DATASETS)
    parser.add_argument("--caught", type=Path, help="write every caught text to this file")
    args = parser.parse_args()
    files = sorted(args.datasets.rglob("*.tsv"))
    if not files:
        print(f"no .tsv files under {args.datasets}")
        return 1
    total: Counter[str] = Counter()
    caught: list[str] = []
    print(f"{'file':32} {'texts':>7} {'rejected':>9} {'held':>6}")
    for path in files:
        name = str(path.relative_to(args.datasets))
        counts: Counter[str] = Counter()
        for text in texts(path):
            result = outcome(text)
            counts["texts"] += 1
            if result != "published":
                counts[result.split(":")[0]] += 1
                counts[result] += 1
                caught.append(f"{name}\t{result}\t{text}")
        total.update(counts)
        print(f"{name:32} {counts['texts']:>7} {counts['rejected']:>9} {counts['held']:>6}")
    print(f"{'all':32} {total['texts']:>7} {total['rejected']:>9} {total['held']:>6}")
    for key in sorted(k for k in total if ":" in k):
        print(f"  {key}: {total[key]}")
    if args.caught:
        args.caught.write_text("\n".join(caught) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
