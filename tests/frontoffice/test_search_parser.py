"""The desk's search box: every identifier type recognised, clear Dutch refusals."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klantocratie.frontoffice.search import QueryError, QueryKind, parse_query
from klantocratie.parties.validators import passes_eleven_test


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("900000004", QueryKind.BSN, "900000004"),
        ("9000.00.004", QueryKind.BSN, "900000004"),
        ("90000012", QueryKind.KVK, "90000012"),
        ("0687654321", QueryKind.PHONE, "0687654321"),
        ("06-87 65 43 21", QueryKind.PHONE, "0687654321"),
        ("+31 6 87654321", QueryKind.PHONE, "0687654321"),
        ("0031687654321", QueryKind.PHONE, "0687654321"),
        ("Riky.TerHorst@Example.com", QueryKind.EMAIL, "riky.terhorst@example.com"),
        ("kc-2026-000001", QueryKind.CONTACT, "KC-2026-000001"),
        ("uwv-2026-000001", QueryKind.CASE, "UWV-2026-000001"),
        ("7607 ab 12", QueryKind.ADDRESS, "7607 AB 12"),
        ("7607AB12a", QueryKind.ADDRESS, "7607 AB 12A"),
        ("7607 AB, 12-3", QueryKind.ADDRESS, "7607 AB 12-3"),
        ("ter Horst 19-05-1971", QueryKind.NAME_BIRTH, "ter Horst, geboren 19-05-1971"),
        ("1971-05-19 Hendrika ter Horst", QueryKind.NAME_BIRTH, None),
        ("Öztürk 1/2/1980", QueryKind.NAME_BIRTH, None),
    ],
)
def test_recognises_each_identifier(text: str, kind: QueryKind, value: str | None) -> None:
    query = parse_query(text)
    assert query.kind == kind
    if value is not None:
        assert query.value == value


def test_criteria_are_keyed_by_the_elements_that_hold_them() -> None:
    assert parse_query("7607AB 12A-2").criteria == {
        "person.address": {
            "postcode": "7607AB",
            "huisnummer": 12,
            "huisletter": "A",
            "toevoeging": "2",
        }
    }
    assert parse_query("ter Horst 19-05-1971").criteria == {
        "person.name": "ter horst",
        "person.birth": "1971-05-19",
    }
    assert parse_query("+31687654321").criteria == {"person.phone": "0687654321"}


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "Vul een zoekgegeven in"),
        ("123456789", "elfproef"),
        ("12345", "5 cijfers herken ik niet"),
        ("1234567890", "10 cijfers herken ik niet"),
        ("0012 AB 1", "postcode"),
        ("7607 SA 1", "SA bestaan niet"),
        ("7607 AB", "ook het huisnummer"),
        ("7607 AB 19-05-1971", "niet eenduidig"),
        ("ter Horst", "ook de geboortedatum"),
        ("19-05-1971", "ook (een deel van) de naam"),
        ("ter Horst 31-02-1971", "geen bestaande datum"),
        ("ter Horst 01-01-2999", "kan geen geboortedatum"),
        ("ter Horst 19-05-1971 20-05-1971", "twee datums"),
        ("ter Horst 12 19-05-1971", "niet eenduidig"),
        ("riky@", "e-mailadres is niet geldig"),
        ("riky@example.com 0687654321", "niet eenduidig"),
        ("+44 20 7946 0958", "Nederlandse telefoonnummers"),
        ("0087654321", "geen geldig Nederlands telefoonnummer"),
    ],
)
def test_refuses_with_a_clear_dutch_reason(text: str, fragment: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert fragment in raised.value.message


@given(st.text(max_size=80))
def test_any_text_gives_a_query_or_a_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert error.message
    else:
        assert query.value


@given(st.integers(min_value=0, max_value=999_999_999))
def test_nine_digits_are_a_bsn_exactly_when_the_eleven_test_passes(number: int) -> None:
    digits = f"{number:09d}"
    if passes_eleven_test(digits):
        assert parse_query(digits).kind == QueryKind.BSN
    else:
        with pytest.raises(QueryError, match="BSN"):
            parse_query(digits)


@given(
    st.integers(min_value=1000, max_value=9999),
    st.sampled_from(["AB", "XZ", "KL", "ab"]),
    st.integers(min_value=1, max_value=99999),
    st.sampled_from(["", " ", ", "]),
)
def test_postcode_and_house_number_in_any_spacing(
    digits: int, letters: str, number: int, separator: str
) -> None:
    query = parse_query(f"{digits}{letters}{separator or ' '}{number}")
    assert query.kind == QueryKind.ADDRESS
    assert query.criteria["person.address"]["postcode"] == f"{digits}{letters.upper()}"
    assert query.criteria["person.address"]["huisnummer"] == number


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    st.sampled_from(["Jansen", "de Vries", "ter Horst", "Yılmaz", "van der Berg-Smit"]),  # noqa: RUF001
    st.sampled_from(["{name} {d:%d-%m-%Y}", "{d:%Y-%m-%d} {name}", "{name} {d:%d/%m/%Y}"]),
)
def test_name_with_birth_date_in_common_notations(day: date, name: str, pattern: str) -> None:
    query = parse_query(pattern.format(name=name, d=day))
    assert query.kind == QueryKind.NAME_BIRTH
    assert query.criteria["person.birth"] == day.isoformat()
    assert query.criteria["person.name"] == name.lower()
