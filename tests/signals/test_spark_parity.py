"""The pack's rules on a synthetic snapshot: each fires on its planted cases and not on
the near misses, and Spark finds exactly what DuckDB finds, evidence and buurt included.

The Spark tests start one local session for this module. They fail, not skip, when
pyspark is missing, so CI cannot lose them unnoticed; KLANTOCRATIE_SKIP_SPARK=1 turns
them off on purpose.
"""

import os
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from klantocratie.analytics.vocabulary import FACT_SCHEMA
from klantocratie.signals.conditions import parse_condition
from klantocratie.signals.engine import Firing, RuleToRun, duckdb_facts, evaluate
from tests.signals.synthetic import (
    REFERENCE_DATE,
    SCENARIOS,
    Planted,
    pack_rules,
    snapshot_table,
)

PERSONS = 400
FACTS = 8_000


@pytest.fixture(scope="module")
def spark_session() -> Iterator[Any]:
    if os.environ.get("KLANTOCRATIE_SKIP_SPARK") == "1":
        pytest.skip("KLANTOCRATIE_SKIP_SPARK=1: the Spark parity tests are switched off")
    try:
        from klantocratie.signals import spark
    except ImportError as error:
        problem = error
    else:
        yield spark.local_session(cores=2, memory="1g")
        spark.stop_session()
        return
    pytest.fail(
        f"pyspark cannot be imported ({problem}). Install pyspark (and Java 17+) to run "
        "the Spark parity tests, or set KLANTOCRATIE_SKIP_SPARK=1 to skip them.",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pa.Table, Planted]:
    table, planted = snapshot_table(PERSONS, FACTS, seed=11, plant_every=4)
    path = tmp_path_factory.mktemp("snapshot") / "facts.parquet"
    pq.write_table(table, path)
    return path, table, planted


@pytest.fixture(scope="module")
def duckdb_firings(snapshot: tuple[Path, pa.Table, Planted]) -> list[Firing]:
    return evaluate(duckdb_facts(str(snapshot[0])), pack_rules(), REFERENCE_DATE)


def _code(firing: Firing) -> str:
    return firing.rule.split("@")[0]


def test_each_pack_rule_fires_on_its_planted_cases_and_not_on_near_misses(
    snapshot: tuple[Path, pa.Table, Planted], duckdb_firings: list[Firing]
) -> None:
    _path, _table, planted = snapshot
    codes = {rule.identifier.split("@")[0] for rule in pack_rules()}
    # A new rule in the pack needs its own planted cases and near misses here.
    assert codes == {scenario.rule for scenario in SCENARIOS}
    fired = {(_code(firing), firing.subject): firing for firing in duckdb_firings}
    wrong = []
    for code in sorted(codes):
        assert planted.fires[code], code
        assert planted.misses[code], code
        for subject in planted.fires[code]:
            scenario = planted.scenario[subject]
            firing = fired.get((code, subject))
            if firing is None:
                wrong.append(f"{code} did not fire on {scenario.name!r}")
            elif firing.facts | scenario.expect != firing.facts:
                wrong.append(f"{code} on {scenario.name!r}: {firing.facts} not {scenario.expect}")
        wrong.extend(
            f"{code} fired on the near miss {planted.scenario[subject].name!r}"
            for subject in planted.misses[code]
            if (code, subject) in fired
        )
    assert wrong == []


def test_a_firing_shows_the_facts_it_rests_on_and_the_current_buurt(
    snapshot: tuple[Path, pa.Table, Planted], duckdb_firings: list[Firing]
) -> None:
    _path, table, planted = snapshot
    subject = next(
        s
        for s in planted.fires["klachten-na-vertrek-kinderen"]
        if planted.scenario[s].name == "drie klachten bij twee organisaties"
    )
    firing = next(
        f
        for f in duckdb_firings
        if _code(f) == "klachten-na-vertrek-kinderen" and f.subject == subject
    )
    assert [(e["kind"], e["organisation"]) for e in firing.evidence] == [
        ("huishouden.kind-vertrokken", "gemeente-almelo"),
        ("klacht.verhuurder", "woonstichting-twente"),
        ("klacht.verhuurder", "woonstichting-twente"),
        ("melding.politie", "politie-twente"),
    ]
    # The buurt is that of the newest home (some people have two: a move not closed);
    # a home without a start date counts only when there is no dated one.
    homes: dict[str, list[tuple[date, str]]] = {}
    for row in table.filter(pc.equal(table["kind"], "persoon.woont")).to_pylist():
        homes.setdefault(row["subject"], []).append((row["at"] or date.min, row["category"]))
    assert any(len(h) > 1 for h in homes.values())
    for each in duckdb_firings:
        assert each.buurt_code == max(homes[each.subject])[1]


@pytest.mark.spark
def test_spark_finds_what_duckdb_finds(
    snapshot: tuple[Path, pa.Table, Planted], duckdb_firings: list[Firing], spark_session: Any
) -> None:
    from klantocratie.signals.spark import spark_facts

    path, _table, planted = snapshot
    firings = evaluate(spark_facts(str(path), spark_session), pack_rules(), REFERENCE_DATE)
    # Random facts make more people fire than were planted, for every rule.
    assert len(duckdb_firings) > sum(len(subjects) for subjects in planted.fires.values())
    assert {f.rule for f in duckdb_firings} == {rule.identifier for rule in pack_rules()}
    assert [(f.rule, f.subject) for f in firings] == [(f.rule, f.subject) for f in duckdb_firings]
    for on_spark, on_duckdb in zip(firings, duckdb_firings, strict=True):
        assert on_spark == on_duckdb


BACKENDS = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]
GEBOREN = [{"name": "geboren", "label": "Geboortedatum", "latest": {"kinds": ["persoon.geboren"]}}]


def _facts_on(
    backend: str,
    rows: Sequence[tuple[str, str, date | None, str]],
    request: pytest.FixtureRequest,
) -> Any:
    """A snapshot of (subject, kind, at, category) rows, on DuckDB or on Spark."""
    table = pa.Table.from_pylist(
        [
            dict(
                zip(
                    FACT_SCHEMA.names,
                    (*row, None, "gemeente-almelo", "brp-almelo", "", f"r{n}"),
                    strict=True,
                )
            )
            for n, row in enumerate(rows)
        ],
        FACT_SCHEMA,
    )
    path = request.getfixturevalue("tmp_path") / "facts.parquet"
    pq.write_table(table, path)
    if backend == "duckdb":
        return duckdb_facts(str(path))
    session = request.getfixturevalue("spark_session")
    from klantocratie.signals.spark import spark_facts

    return spark_facts(str(path), session)


# Birth dates where "how many years" is easy to get wrong, on 28 February 2027 (no
# 29 February that year). Whoever was born on 29 February turns a year older on the
# 28th, as days_until_anniversary has it.
BIRTHS = {
    "schrikkeldag": date(1960, 2, 29),
    "oudjaar": date(1960, 12, 31),
    "28-februari": date(1960, 2, 28),
    "1-maart": date(1960, 3, 1),
    "jaar-ouder": date(1959, 2, 28),
    "nieuwjaar": date(1961, 1, 1),
    "onbekend": None,
}
AGE_RULES = {
    "years_since(geboren) == 67": ["28-februari", "schrikkeldag"],
    "years_since(geboren) >= 67": ["28-februari", "jaar-ouder", "schrikkeldag"],
    "days_until_anniversary(geboren, 67) <= 0": ["28-februari", "jaar-ouder", "schrikkeldag"],
    "years_since(geboren) == 66 and days_until_anniversary(geboren, 67) == 1": ["1-maart"],
    "days_since(geboren) == 24470": ["1-maart"],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_ages_and_anniversaries_are_counted_alike(
    backend: str, request: pytest.FixtureRequest
) -> None:
    rows = [(subject, "persoon.geboren", born, "") for subject, born in BIRTHS.items()]
    facts = _facts_on(backend, rows, request)
    rules = [RuleToRun(when, parse_condition(GEBOREN, when)) for when in AGE_RULES]
    found: dict[str, list[str]] = {when: [] for when in AGE_RULES}
    for firing in evaluate(facts, rules, date(2027, 2, 28)):
        found[firing.rule].append(firing.subject)
    assert found == AGE_RULES


# Each person's homes: (since, buurt); whose buurt a signal counts under.
HOMES: dict[str, list[tuple[date | None, str]]] = {
    "verhuisd": [(date(2019, 1, 1), "BU01410101"), (date(2024, 5, 1), "BU01410102")],
    "sinds-onbekend": [(None, "BU01410103")],
    "een-zonder-datum": [(None, "BU01410104"), (date(2020, 1, 1), "BU01410105")],
    "zelfde-dag": [(date(2021, 3, 1), "BU01410107"), (date(2021, 3, 1), "BU01410106")],
    "zonder-adres": [],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_signal_counts_under_the_buurt_of_the_newest_home(
    backend: str, request: pytest.FixtureRequest
) -> None:
    rows: list[tuple[str, str, date | None, str]]
    rows = [(subject, "persoon.geboren", date(1980, 1, 1), "") for subject in HOMES]
    rows += [
        (subject, "persoon.woont", since, buurt)
        for subject, homes in HOMES.items()
        for since, buurt in homes
    ]
    facts = _facts_on(backend, rows, request)
    firings = evaluate(
        facts, [RuleToRun("iedereen@1", parse_condition(GEBOREN, "geboren"))], date(2026, 11, 1)
    )
    assert {f.subject: f.buurt_code for f in firings} == {
        "verhuisd": "BU01410102",
        "sinds-onbekend": "BU01410103",
        "een-zonder-datum": "BU01410105",
        "zelfde-dag": "BU01410107",
        "zonder-adres": "",
    }
