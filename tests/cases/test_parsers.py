"""The decision-table parser and the value checks take anything and answer with a clear
error or a value — never a crash."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klantocratie.cases import decisions, services

TABLE = json.loads(
    (Path(__file__).resolve().parents[2] / "packs/almelo/cases/wmo-maatwerk.jdm.json").read_text(
        encoding="utf-8"
    )
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_table_or_a_clear_refusal(text: str) -> None:
    try:
        decisions.parse(text)
    except decisions.DecisionTableInvalid as error:
        assert str(error)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_is_a_table_or_a_clear_refusal(value: object) -> None:
    try:
        decisions.parse(json.dumps(value))
    except decisions.DecisionTableInvalid as error:
        assert str(error)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_any_cell_in_a_valid_table_is_accepted_or_named(cell: str) -> None:
    table = json.loads(json.dumps(TABLE))
    table["nodes"][1]["content"]["rules"][1]["in0"] = cell
    try:
        decisions.parse(json.dumps(table))
    except decisions.DecisionTableInvalid as error:
        assert "regel 2" in str(error) and "Zelfredzaamheid" in str(error)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["tekst", "getal", "datum", "ja_nee", "punten"]),
    json_values,
)
def test_a_value_is_typed_or_refused_with_a_reason(fmt: str, value: object) -> None:
    try:
        typed = services.check_value(fmt, value, ["kleur", "dakvorm"])
    except ValueError as error:
        assert str(error)
        return
    if fmt == "getal":
        assert isinstance(typed, int | float)
    elif fmt == "ja_nee":
        assert isinstance(typed, bool)
    elif fmt == "punten":
        assert set(typed) <= {"kleur", "dakvorm"}


@pytest.mark.parametrize("text", ["12", "12,5", " 7 ", "-3"])
def test_dutch_decimal_commas_are_numbers(text: str) -> None:
    assert services.check_value("getal", text) == float(text.replace(",", "."))


@pytest.mark.parametrize("text", ["1e400", "NaN", "Infinity", "-1e15", "twaalf"])
def test_numbers_that_cannot_be_stored_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        services.check_value("getal", text)
