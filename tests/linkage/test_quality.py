"""Linkage quality on FEBRL4 (the public benchmark) and on the Dutch test set made from
the BRP test persons: the links proposed for review reach the F1 the platform promises,
and the links made without a person looking are right.

FEBRL3 (a deduplication) is measured by bench/linkage_quality.py, not here: it adds
little beyond FEBRL4 and costs the test suite another training run.
"""

import pytest

from klantocratie.linkage.evaluation import AUTOMATIC, REVIEW, Evaluation, dutch, evaluate, febrl4


@pytest.fixture(scope="module")
def febrl() -> Evaluation:
    return evaluate(febrl4())


@pytest.fixture(scope="module")
def dutch_test() -> Evaluation:
    return evaluate(dutch())


def test_febrl4_best_person_per_record_has_f1_of_at_least_097(febrl: Evaluation) -> None:
    proposed = febrl.best_pairs[REVIEW]
    assert proposed.f1 >= 0.97, proposed


def test_the_dutch_test_best_person_per_record_has_f1_of_at_least_095(
    dutch_test: Evaluation,
) -> None:
    proposed = dutch_test.best_pairs[REVIEW]
    assert proposed.f1 >= 0.95, proposed


@pytest.mark.parametrize("name", ["febrl", "dutch_test"])
def test_automatic_links_are_right(name: str, request: pytest.FixtureRequest) -> None:
    evaluation: Evaluation = request.getfixturevalue(name)
    automatic = evaluation.automatic
    assert automatic.threshold == AUTOMATIC
    assert automatic.precision >= 0.998, automatic
    # Most links need no person: the review queue holds the doubtful few.
    assert automatic.recall >= 0.9, automatic
