"""The condition language: what policy staff may write, and that nothing else runs."""

import string
import warnings
from datetime import date

import hypothesis.strategies as st
import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings

from klantocratie.analytics.vocabulary import FACT_SCHEMA
from klantocratie.signals.conditions import ConditionError, compile_condition, parse_condition

ARREARS = [
    {"name": "sinds", "label": "Sinds", "earliest": {"kinds": ["achterstand.energie"]}},
    {"name": "bedrag", "label": "Bedrag", "sum": {"kinds": ["achterstand.energie"]}},
    {"name": "aantal", "label": "Aantal", "count": {"kinds": ["achterstand.energie"]}},
]


def _facts(*rows: tuple[str, str, date, float | None]) -> ibis.Table:
    columns = {
        "subject": [r[0] for r in rows],
        "kind": [r[1] for r in rows],
        "at": [r[2] for r in rows],
        "category": ["" for _ in rows],
        "amount": [r[3] for r in rows],
        "organisation": ["energie-twente" for _ in rows],
        "source": ["vroegsignalen" for _ in rows],
        "element": ["arrears.reports" for _ in rows],
        "reference": [f"r{i}" for i, _ in enumerate(rows)],
    }
    return ibis.duckdb.connect().create_table("facts", pa.table(columns, schema=FACT_SCHEMA))


def _fired(when: str, facts: ibis.Table, on: date = date(2026, 11, 1)) -> list[str]:
    condition = parse_condition(ARREARS, when)
    return [
        row["subject"] for row in compile_condition(facts, condition, on).to_pyarrow().to_pylist()
    ]


def test_days_since_and_sums_decide_who_is_found() -> None:
    facts = _facts(
        ("a", "achterstand.energie", date(2026, 9, 1), 300.0),
        ("b", "achterstand.energie", date(2026, 10, 20), 900.0),
        ("c", "achterstand.energie", date(2026, 12, 1), 999.0),  # after the reference date
    )
    assert _fired("aantal >= 1 and days_since(sinds) >= 30", facts) == ["a"]
    assert _fired("bedrag > 500", facts) == ["b"]
    assert _fired("sinds and not bedrag > 500", facts) == ["a"]
    # The reference date, not the clock, decides: the same facts later give more.
    assert _fired("days_since(sinds) >= 30", facts, date(2026, 12, 31)) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("__import__('os').system('x')", "functies"),
        ("aantal", "is een getal"),
        ("sinds > 3", "is geen getal"),
        ("onbekend >= 1", "onbekend feit"),
        ("aantal >= 'veel'", "niet toegestaan"),
        ("aantal >= 1 if sinds else 0", "niet toegestaan"),
        ("days_until_anniversary(sinds, aantal) >= 0", "vast aantal jaren"),
        ("aantal >=", "geen geldige voorwaarde"),
        ("True", "true/false"),
    ],
)
def test_a_condition_outside_the_language_is_refused_with_a_reason(when: str, message: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(ARREARS, when)
    assert caught.value.field == "when"
    assert message in caught.value.message


def test_a_fact_definition_names_its_mistake() -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition([{"name": "x", "label": "X", "count": {"kinds": ["sanctie"]}}], "x >= 1")
    assert "onbekende soort feit: sanctie" in caught.value.message
    with pytest.raises(ConditionError) as caught:
        parse_condition(
            [{"name": "x", "label": "X", "count": {"kinds": ["contact"], "after": "y"}}], "x >= 1"
        )
    assert caught.value.field == "facts[0].count.after"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.text(alphabet=string.printable, max_size=80)))
def test_any_text_is_either_a_valid_condition_or_refused_never_run(text: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            condition = parse_condition(ARREARS, text)
    except ConditionError as error:
        assert error.message
    else:
        assert condition.when == text.strip()
