"""The engine links partner records to register persons and says what decided it.

One model is trained for the module on the Dutch test set with a few hand-made cases
added: a partner writing "Van der Berg, J." for the register's Jan Willem van den
Berg, a day and month swapped, a person who moved since the partner's file, twins at
one address that only an initial tells apart, and someone the register does not hold.

The Spark test starts one local session with Splink's similarity functions. It fails,
not skips, when pyspark is missing, so CI cannot lose it unnoticed;
KLANTOCRATIE_SKIP_SPARK=1 turns it off on purpose.
"""

import dataclasses
import os
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pytest

from klantocratie.linkage import dutch_testset
from klantocratie.linkage.engine import (
    Candidate,
    TrainedModel,
    best_candidates,
    predict,
    settings_for,
    train,
)

PERSONS = [
    {
        "unique_id": "hand-berg",
        "surname": "Berg",
        "surname_prefix": "van den",
        "given_names": "Jan Willem",
        "birth_date": "1970-03-14",
        "postcode": "7607AB",
        "house_number": "12",
        "house_number_addition": "A",
        "street": "Wierdensestraat",
        "city": "Almelo",
    },
    {
        "unique_id": "hand-amrani",
        "surname": "Amrani",
        "surname_prefix": "el",
        "given_names": "Fatima Zahra",
        "birth_date": "1985-04-07",
        "postcode": "7604KL",
        "house_number": "3",
        "street": "Grotestraat",
    },
    {
        "unique_id": "hand-hoekstra",
        "surname": "Hoekstra",
        "given_names": "Pieter",
        "birth_date": "1958-11-23",
        "postcode": "7609RT",
        "house_number": "88",
        "street": "Bornsestraat",
        "previous_postcodes": ["9901AB"],
    },
    {
        "unique_id": "hand-anna",
        "surname": "Wit",
        "surname_prefix": "de",
        "given_names": "Anna Maria",
        "birth_date": "2001-06-15",
        "postcode": "7606BC",
        "house_number": "40",
        "street": "Ootmarsumsestraat",
    },
    {
        "unique_id": "hand-annemiek",
        "surname": "Wit",
        "surname_prefix": "de",
        "given_names": "Annemiek",
        "birth_date": "2001-06-15",
        "postcode": "7606BC",
        "house_number": "40",
        "street": "Ootmarsumsestraat",
    },
]
PARTNER = [
    {
        "unique_id": "corp-1",
        "surname": "Van der Berg",
        "given_names": "J.",
        "birth_date": "14-03-1970",
        "postcode": "7607 ab",
        "house_number": "12a",
    },
    {
        "unique_id": "corp-2",
        "surname": "El Amrani",
        "given_names": "Fatima",
        "birth_date": "1985-07-04",
        "postcode": "7604 KL",
        "house_number": "3",
    },
    {
        "unique_id": "corp-3",
        "surname": "HOEKSTRA",
        "given_names": "P",
        "birth_date": "19581123",
        "postcode": "9901 AB",
        "house_number": "5",
    },
    {
        "unique_id": "corp-4",
        "surname": "Wit, de",
        "given_names": "A.",
        "birth_date": "15-06-2001",
        "postcode": "7606BC",
        "house_number": "40",
    },
    {
        "unique_id": "corp-5",
        "surname": "Kowalczyk",
        "given_names": "Marek",
        "birth_date": "1990-02-02",
        "postcode": "7600 AA",
        "house_number": "1",
    },
]


def _with(table: pa.Table, records: list[dict[str, Any]]) -> pa.Table:
    added = pa.Table.from_pylist(
        [{name: record.get(name) for name in table.column_names} for record in records],
        schema=table.schema,
    )
    return pa.concat_tables([table, added])


@pytest.fixture(scope="module")
def world() -> dutch_testset.LinkageTestSet:
    built = dutch_testset.build()
    return dutch_testset.LinkageTestSet(
        _with(built.partner, PARTNER), _with(built.persons, PERSONS), built.true_pairs
    )


@pytest.fixture(scope="module")
def model(world: dutch_testset.LinkageTestSet) -> TrainedModel:
    return train(world.partner, world.persons, seed=7)


@pytest.fixture(scope="module")
def candidates(world: dutch_testset.LinkageTestSet, model: TrainedModel) -> list[Candidate]:
    return list(predict(model, world.partner, world.persons, threshold_probability=0.01))


def _for(candidates: list[Candidate], partner_id: str) -> dict[str, Candidate]:
    return {c.person_id: c for c in candidates if c.partner_id == partner_id}


def _level(candidate: Candidate, comparison: str) -> str:
    return next(o.level for o in candidate.levels if o.comparison == comparison)


def test_a_glued_voorvoegsel_and_initials_still_find_the_person(
    candidates: list[Candidate],
) -> None:
    found = _for(candidates, "corp-1")
    best = max(found.values(), key=lambda c: c.match_weight)
    assert best.person_id == "hand-berg"
    assert best.match_probability > 0.99
    assert _level(best, "achternaam") == "gelijk na voorvoegsel"
    assert _level(best, "voornamen") == "eerste voorletter gelijk"
    assert _level(best, "geboortedatum") == "gelijk"
    assert _level(best, "adres") == "postcode, huisnummer en toevoeging gelijk"
    # What decided it comes first: the strongest evidence, for or against.
    weights = [abs(outcome.match_weight) for outcome in best.levels]
    assert weights == sorted(weights, reverse=True)
    assert {o.comparison for o in best.levels} == {
        "achternaam",
        "voornamen",
        "geboortedatum",
        "adres",
    }
    assert best.levels[0].comparison in {"geboortedatum", "adres"}
    for outcome in best.levels:
        assert outcome.bayes_factor == pytest.approx(2**outcome.match_weight)


def _prior_weight(candidate: Candidate) -> float:
    """The part of the match weight no comparison explains: the prior."""
    return candidate.match_weight - sum(o.match_weight for o in candidate.levels)


def test_the_prior_is_the_same_for_every_pair(candidates: list[Candidate]) -> None:
    priors = {round(_prior_weight(c), 6) for c in candidates}
    assert len(priors) == 1


def test_day_and_month_swapped_is_its_own_level(candidates: list[Candidate]) -> None:
    best = _for(candidates, "corp-2")["hand-amrani"]
    assert _level(best, "geboortedatum") == "dag en maand verwisseld"
    swapped = next(o for o in best.levels if o.comparison == "geboortedatum")
    assert swapped.match_weight > 0
    assert best.match_probability > 0.99


def test_a_moved_person_is_found_at_an_earlier_postcode(candidates: list[Candidate]) -> None:
    found = _for(candidates, "corp-3")
    best = max(found.values(), key=lambda c: c.match_weight)
    assert best.person_id == "hand-hoekstra"
    assert _level(best, "adres") == "verhuisd: postcode van een eerder adres"
    moved = next(o for o in best.levels if o.comparison == "adres")
    assert moved.match_weight > 0


def test_twins_that_only_an_initial_tells_apart_are_never_automatic(
    candidates: list[Candidate],
) -> None:
    chosen = {c.candidate.partner_id: c for c in best_candidates(candidates)}
    twins = chosen["corp-4"]
    assert twins.ambiguous
    assert {twins.candidate.person_id, twins.runner_up.person_id} == {
        "hand-anna",
        "hand-annemiek",
    }
    assert not chosen["corp-1"].ambiguous
    assert chosen["corp-1"].candidate.person_id == "hand-berg"


def test_someone_the_register_does_not_hold_gets_no_likely_person(
    candidates: list[Candidate],
) -> None:
    assert all(c.match_probability < 0.5 for c in _for(candidates, "corp-5").values())


def test_best_candidates_keeps_one_person_per_partner_record() -> None:
    def candidate(partner: str, person: str, weight: float) -> Candidate:
        return Candidate(partner, person, weight, 1 - 2**-weight, ())

    chosen = best_candidates(
        [
            candidate("a", "p1", 20.0),
            candidate("a", "p2", 30.0),
            candidate("a", "p3", 10.0),
            candidate("b", "p4", 12.0),
            candidate("b", "p5", 10.0),
        ],
        ambiguity_margin=4.0,
    )
    assert [(c.candidate.person_id, c.runner_up and c.runner_up.person_id) for c in chosen] == [
        ("p2", "p1"),
        ("p4", "p5"),
    ]
    assert [c.ambiguous for c in chosen] == [False, True]


def test_the_same_files_and_seed_give_the_same_model(
    world: dutch_testset.LinkageTestSet, model: TrainedModel
) -> None:
    again = train(world.partner, world.persons, seed=7)
    assert again.version == model.version
    assert again.settings == model.settings
    assert again.trained_on == model.trained_on
    assert model.version.startswith("nl-1-") and len(model.version) == len("nl-1-") + 12
    assert model.trained_on["partner_records"] == world.partner.num_rows
    assert model.trained_on["persons"] == world.persons.num_rows
    assert model.trained_on["comparisons"] > world.partner.num_rows


def test_a_model_of_other_comparisons_is_refused(model: TrainedModel) -> None:
    settings = {**model.settings, "comparisons": model.settings["comparisons"][:-1]}
    foreign = dataclasses.replace(model, settings=settings)
    with pytest.raises(ValueError, match="train it again"):
        settings_for(foreign, "duckdb")


def test_predictions_are_a_stream(world: dutch_testset.LinkageTestSet, model: TrainedModel) -> None:
    stream = predict(model, world.partner, world.persons, threshold_probability=0.5, batch_size=7)
    first = [next(stream) for _ in range(20)]
    stream.close()
    assert len({(c.partner_id, c.person_id) for c in first}) == 20


@pytest.fixture(scope="module")
def spark_session() -> Iterator[Any]:
    if os.environ.get("KLANTOCRATIE_SKIP_SPARK") == "1":
        pytest.skip("KLANTOCRATIE_SKIP_SPARK=1: the Spark tests are switched off")
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        pytest.fail(
            f"pyspark cannot be imported ({error}). Install pyspark (and Java 17+) to run "
            "the Spark tests, or set KLANTOCRATIE_SKIP_SPARK=1 to skip them.",
            pytrace=False,
        )
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    # A handful of records: one partition and no adaptive re-planning keep Spark's
    # per-query overhead (most of this test's time) down. The engine adds Splink's
    # jar itself, also to a JVM an earlier test started.
    session = (
        SparkSession.builder.master("local[2]")
        .appName("klantocratie-koppeling-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.mark.spark
def test_spark_finds_what_duckdb_finds(
    world: dutch_testset.LinkageTestSet, model: TrainedModel, spark_session: Any
) -> None:
    partner = world.partner.slice(world.partner.num_rows - 150)

    def run(**backend: Any) -> dict[tuple[str, str], Candidate]:
        found = predict(model, partner, world.persons, threshold_probability=0.01, **backend)
        return {(c.partner_id, c.person_id): c for c in found}

    on_duckdb = run()
    on_spark = run(backend="spark", spark=spark_session)
    assert on_spark.keys() == on_duckdb.keys()
    assert _for(list(on_spark.values()), "corp-3")["hand-hoekstra"].match_probability > 0.5
    for pair, candidate in on_duckdb.items():
        other = on_spark[pair]
        assert other.match_weight == pytest.approx(candidate.match_weight, abs=1e-9)
        assert [(o.comparison, o.level) for o in other.levels] == [
            (o.comparison, o.level) for o in candidate.levels
        ]
    # The run leaves no tables of its own in the session.
    assert not [t.name for t in spark_session.catalog.listTables() if t.isTemporary]
