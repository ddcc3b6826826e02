"""Linkage quality: precision, recall and F1 on FEBRL3, FEBRL4 and the Dutch test set.

    .venv/bin/python bench/linkage_quality.py

For each set: train on its files, predict at the review threshold, and measure every
pair at or above each threshold, the best person per partner record (how a partner
record is linked), and the links made automatically (best person at or above the
automatic threshold with no runner-up within the ambiguity margin). FEBRL3 is a
deduplication, run as a link of the file against itself without self-pairs; for it
every pair counts, as a record may have several duplicates. The sets and their
mapping onto the standard shape are described in klantocratie/linkage/evaluation.py.
"""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from klantocratie.linkage.evaluation import (  # noqa: E402
    AUTOMATIC,
    REVIEW,
    Quality,
    dutch,
    evaluate,
    febrl3,
    febrl4,
)

THRESHOLDS = (REVIEW, 0.9, AUTOMATIC)


def _row(name: str, what: str, q: Quality) -> str:
    return (
        f"| {name} | {what} | {q.threshold} | {q.precision:.4f} | {q.recall:.4f} | {q.f1:.4f} "
        f"| {q.true_positives:,} | {q.false_positives:,} | {q.false_negatives:,} |"
    )


def main() -> None:
    print("| set | pairs | threshold | precision | recall | F1 | right | wrong | missed |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    notes = []
    for load in (febrl3, febrl4, dutch):
        started = time.perf_counter()
        task = load()
        evaluation = evaluate(task, THRESHOLDS)
        seconds = time.perf_counter() - started
        for threshold in THRESHOLDS:
            print(_row(task.name, "all", evaluation.all_pairs[threshold]))
        if not task.dedupe:
            for threshold in THRESHOLDS:
                print(_row(task.name, "best per record", evaluation.best_pairs[threshold]))
            print(_row(task.name, "automatic", evaluation.automatic))
        ambiguous = "" if task.dedupe else f", {evaluation.ambiguous:,} ambiguous records"
        notes.append(
            f"{task.name}: {task.partner.num_rows:,} against {task.persons.num_rows:,} records, "
            f"{len(task.true_pairs):,} true pairs, model {evaluation.version}{ambiguous}, "
            f"train and predict {seconds:.1f} s"
        )
    print()
    print("\n".join(notes))


if __name__ == "__main__":
    main()
