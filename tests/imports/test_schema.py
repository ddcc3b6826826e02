"""The identity columns: house numbers, postcodes, BSNs and amounts as partners write them."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klantocratie.imports.schema import (
    FieldError,
    amount,
    bsn,
    house_number,
    identity_fields,
    identity_problems,
    one_of,
    postcode,
)
from tests.conftest import BSN_ANNA


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (12, "")),
        ("12a", (12, "A")),
        ("12 A", (12, "A")),
        ("12-2", (12, "2")),
        ("12 - 2", (12, "2")),
        ("12/2", (12, "2")),
        ("12 bis", (12, "BIS")),
        ("12A-3", (12, "A-3")),
        ("12 a 3", (12, "A-3")),
        ("99999", (99999, "")),
    ],
)
def test_house_numbers_split_into_number_and_addition(text: str, expected: tuple[int, str]) -> None:
    assert house_number(text) == expected


@pytest.mark.parametrize("text", ["0", "a12", "123456", "12 a b c", "twaalf", "12²"])
def test_house_numbers_that_are_none(text: str) -> None:
    with pytest.raises(FieldError):
        house_number(text)


@given(st.text(max_size=20))
def test_the_house_number_parser_raises_nothing_but_its_own_error(text: str) -> None:
    try:
        number, addition = house_number(text)
    except FieldError:
        return
    assert number >= 1 and len(addition) <= 10


@pytest.mark.parametrize("text", ["7607 ab", "7607AB", "7607  AB", " 7607ab "])
def test_postcodes_are_normalised(text: str) -> None:
    assert postcode(text) == "7607AB"


@pytest.mark.parametrize("text", ["0607 AB", "7607 SS", "76O7 AB", "7607"])
def test_impossible_postcodes_are_refused(text: str) -> None:
    with pytest.raises(FieldError):
        postcode(text)


def test_a_bsn_is_checked_and_a_lost_leading_zero_restored() -> None:
    assert bsn(f"{BSN_ANNA[:4]} {BSN_ANNA[4:]}") == BSN_ANNA
    assert bsn("12345672") == "012345672"
    with pytest.raises(FieldError, match="elfproef"):
        bsn("123456789")


def test_amounts_take_a_decimal_comma_or_point() -> None:
    euros = amount(max_digits=9, decimal_places=2)
    assert euros("€ 1234,50") == Decimal("1234.50")
    assert euros("1234.5") == Decimal("1234.5")
    for bad in ["1.234,50", "12,345", "-3", "0,00", "1e3", "12345678,00"]:
        with pytest.raises(FieldError):
            euros(bad)


def test_choices_ignore_case_and_extra_spaces() -> None:
    status = one_of({"in behandeling": "in behandeling", "open": "open"})
    assert status("In  Behandeling") == "in behandeling"
    with pytest.raises(FieldError, match="kies uit: in behandeling, open"):
        status("dicht")


def test_a_record_must_be_linkable_to_someone() -> None:
    base = {"achternaam": "Horst", "bsn": None, "geboortedatum": None, "postcode": None}
    assert identity_problems({**base, "huisnummer": None})[0][0] == "geboortedatum"
    assert identity_problems({**base, "geboortedatum": "1971-05-19"}) == []
    assert identity_problems({**base, "postcode": "7607AB", "huisnummer": (12, "")}) == []
    assert identity_problems({**base, "bsn": BSN_ANNA}) == []


def test_an_addition_in_two_places_must_agree() -> None:
    values = {"achternaam": "Horst", "geboortedatum": "1971-05-19", "huisnummer": (12, "A")}
    assert identity_problems({**values, "toevoeging": "A"}) == []
    assert identity_problems({**values, "toevoeging": "B"})[0][0] == "toevoeging"
    assert (
        identity_fields({**values, "huisnummer": (12, ""), "toevoeging": "B"})[
            "house_number_addition"
        ]
        == "B"
    )
