"""The parsers read what partners write into one canonical form, take anything without
raising, and read their own output back unchanged."""

import math

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klantocratie.linkage.normalise import (
    NORMALISED_SCHEMA,
    BirthDate,
    GivenNames,
    HouseNumber,
    Surname,
    fold,
    normalise_postcode,
    normalise_records,
    normalise_street,
    parse_birth_date,
    parse_given_names,
    parse_house_number,
    parse_surname,
    postcode_digits,
)

VAN_DER_BERG = Surname("berg", "van der", "vanderberg")


@pytest.mark.parametrize(
    ("surname", "prefix"),
    [
        ("Van der Berg", None),
        ("van der berg", None),
        ("VAN DER BERG", None),
        ("Berg, van der", None),
        ("Berg,van der", None),
        ("Berg", "van der"),
        ("Berg", "Van Der"),
        ("der Berg", "van"),
    ],
)
def test_the_voorvoegsel_is_found_however_it_is_written(surname: str, prefix: str | None) -> None:
    assert parse_surname(surname, prefix) == VAN_DER_BERG


def test_surname_cases() -> None:
    assert parse_surname("Müller") == Surname("muller", None, "muller")
    assert parse_surname("Bronwaßer") == Surname("bronwasser", None, "bronwasser")
    assert parse_surname("'t Hart") == Surname("hart", "'t", "thart")
    assert parse_surname("'s-Gravesande") == Surname("gravesande", "'s", "sgravesande")
    assert parse_surname("d'Ancona") == Surname("ancona", "d'", "dancona")
    assert parse_surname("v.d. Berg") == Surname("berg", "v d", "vdberg")
    # Glued without a space the voorvoegsel cannot be told from the name, but the full
    # form still equals the register's.
    assert parse_surname("Vandenberg").full == parse_surname("Berg", "van den").full
    # A voorvoegsel inside a double surname is dropped with its part's spacing.
    assert parse_surname("Jansen-van der Berg") == Surname("jansen-berg", None, "jansenberg")
    assert parse_surname("Abayomi - Akwasi").surname == "abayomi-akwasi"
    # A surname that is only a voorvoegsel word stays a surname.
    assert parse_surname("Van") == Surname("van", None, "van")
    assert parse_surname("Jansen, J.P.").surname == "jansen"
    for nothing in (None, "", ".", "  ", float("nan"), pd.NA):
        assert parse_surname(nothing) == Surname(None, None, None)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Johannes Petrus", GivenNames("johannes", "jp")),
        ("J.P.", GivenNames(None, "jp")),
        ("J. P.", GivenNames(None, "jp")),
        ("J P", GivenNames(None, "jp")),
        ("JP", GivenNames(None, "jp")),
        ("JAN", GivenNames("jan", "j")),
        ("Chr. Jan", GivenNames(None, "cj")),
        ("Theodoor-Christiaan R. Philip ", GivenNames("theodoor-christiaan", "trp")),
        ("Iñes María Núria", GivenNames("ines", "imn")),
        ("", GivenNames(None, None)),
        (None, GivenNames(None, None)),
    ],
)
def test_given_names_give_the_first_name_and_the_initials(
    written: str | None, expected: GivenNames
) -> None:
    assert parse_given_names(written) == expected


@pytest.mark.parametrize(
    "written",
    ["1970-07-03", "19700703", "3-7-1970", "03/07/1970", "03.07.1970", "1970-7-3", 19700703],
)
def test_birth_dates_in_every_common_form(written: object) -> None:
    assert parse_birth_date(written) == BirthDate("1970-07-03", 1970, 7, 3)


def test_partial_impossible_and_swapped_birth_dates() -> None:
    # The register writes unknown parts as zeros; the year still counts.
    assert parse_birth_date("1970-00-00") == BirthDate(None, 1970, None, None)
    assert parse_birth_date("1970-07-00") == BirthDate(None, 1970, 7, None)
    assert parse_birth_date("00000000") == BirthDate(None, None, None, None)
    # A month of 25 is a day written first.
    assert parse_birth_date("1970-25-03") == BirthDate("1970-03-25", 1970, 3, 25)
    assert parse_birth_date("onbekend") == BirthDate(None, None, None, None)


def test_postcodes_and_streets() -> None:
    assert normalise_postcode(" 7607 ab") == "7607AB"
    assert normalise_postcode("7607-AB") == "7607AB"
    assert normalise_postcode("") is None
    assert postcode_digits("7607AB") == "7607"
    assert postcode_digits("AB") is None
    assert normalise_street("Kerkstr.") == normalise_street("Kerkstraat") == "kerkstraat"
    assert normalise_street("Boulevard 1945") == "boulevard1945"


@pytest.mark.parametrize(
    ("number", "addition", "expected"),
    [
        ("12a", None, HouseNumber(12, "a")),
        ("12 A", None, HouseNumber(12, "a")),
        ("12-a", None, HouseNumber(12, "a")),
        ("12-2", None, HouseNumber(12, "2")),
        ("12 bis", None, HouseNumber(12, "bis")),
        (12, "A", HouseNumber(12, "a")),
        ("12a", "b", HouseNumber(12, "b")),
        (12.0, None, HouseNumber(12, None)),
        ("012", None, HouseNumber(12, None)),
        ("nr. 12 hs", None, HouseNumber(12, "hs")),
        ("0", None, HouseNumber(None, None)),
        ("1234567", None, HouseNumber(None, None)),
        (None, "a", HouseNumber(None, None)),
    ],
)
def test_house_numbers_and_additions(
    number: object, addition: str | None, expected: HouseNumber
) -> None:
    assert parse_house_number(number, addition) == expected


anything = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.lists(st.text(max_size=3), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(anything, anything)
def test_the_parsers_take_anything(first: object, second: object) -> None:
    parse_surname(first, second)
    parse_given_names(first)
    parse_birth_date(first)
    parse_house_number(first, second)
    normalise_postcode(first)
    normalise_street(first)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()))
def test_surnames_read_back_unchanged(surname: str, prefix: str | None) -> None:
    parsed = parse_surname(surname, prefix)
    if parsed.surname is not None:
        assert parse_surname(parsed.surname, parsed.prefix) == parsed


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_given_names_read_back_unchanged(text: str) -> None:
    parsed = parse_given_names(text)
    if parsed.initials is None:
        return
    rest = list(parsed.initials[1:])
    written = " ".join([parsed.first, *rest]) if parsed.first else " ".join(parsed.initials)
    assert parse_given_names(written) == parsed


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.dates().map(str), st.dates().map(lambda d: d.strftime("%d-%m-%Y"))))
def test_birth_dates_read_back_unchanged(text: str) -> None:
    parsed = parse_birth_date(text)
    if parsed.year is None:
        return
    written = f"{parsed.year:04d}-{parsed.month or 0:02d}-{parsed.day or 0:02d}"
    assert parse_birth_date(written) == parsed
    if parsed.iso:
        assert parse_birth_date(parsed.iso) == parsed


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()))
def test_addresses_read_back_unchanged(text: str, addition: str | None) -> None:
    assert fold(fold(text)) == fold(text)
    postcode = normalise_postcode(text)
    assert normalise_postcode(postcode) == postcode
    street = normalise_street(text)
    assert normalise_street(street) == street
    house = parse_house_number(text, addition)
    if house.number is not None:
        assert parse_house_number(str(house.number), house.addition) == house


def test_records_are_normalised_row_for_row() -> None:
    frame = pd.DataFrame(
        {
            "unique_id": [1, 2, 3],
            "surname": ["Berg, van der", "Jansen", None],
            "surname_prefix": [None, "", None],
            "given_names": ["J.P.", "Jan", None],
            "birth_date": ["1970-07-03", None, "1970-00-00"],
            "postcode": ["7607 ab", "", None],
            "house_number": ["12a", 5, None],
            "previous_postcodes": [["7607 AC", " "], [], None],
        }
    )
    table = normalise_records(frame)
    assert table.schema == NORMALISED_SCHEMA
    rows = table.to_pylist()
    assert [row["unique_id"] for row in rows] == ["1", "2", "3"]
    first = rows[0]
    assert (first["surname"], first["surname_prefix"], first["surname_full"]) == (
        "berg",
        "van der",
        "vanderberg",
    )
    assert (first["first_name"], first["initials"]) == (None, "jp")
    assert (first["birth_year"], first["birth_month"], first["birth_day"]) == (1970, 7, 3)
    assert (first["postcode"], first["pc4"], first["house_number"]) == ("7607AB", "7607", 12)
    assert first["house_number_addition"] == "a"
    assert first["previous_postcodes"] == ["7607AC"]
    assert first["postcode_history"] == ["7607AB", "7607AC"]
    # Columns the partner did not deliver (street, addition) are simply empty.
    assert rows[1]["street"] is None
    assert rows[1]["house_number"] == 5 and rows[1]["house_number_addition"] is None
    assert rows[2]["birth_date"] is None and rows[2]["birth_year"] == 1970
    assert rows[2]["previous_postcodes"] == [] and rows[2]["postcode_history"] == []


def test_an_arrow_table_gives_the_same_as_pandas() -> None:
    frame = pd.DataFrame(
        {
            "unique_id": ["a", "b"],
            "surname": ["Müller", "de Vries"],
            "given_names": ["Anna", "K."],
            "birth_date": ["1980-01-02", "2-1-1980"],
            "house_number": ["3", "4-2"],
        }
    )
    from_pandas = normalise_records(frame)
    from_arrow = normalise_records(pa.Table.from_pandas(frame))
    assert from_arrow.equals(from_pandas)
    assert not any(
        isinstance(v, float) and math.isnan(v)
        for row in from_arrow.to_pylist()
        for v in row.values()
    )
