"""Dates as partners write them: Dutch order, several separators, impossible dates named."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klantocratie.imports.dates import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    DateError,
    parse_birth_date,
    parse_date,
)


@pytest.mark.parametrize(
    "text",
    ["2024-03-05", "05-03-2024", "5-3-2024", "05/03/2024", "5/3/2024", "05.03.2024", "20240305"],
)
def test_every_accepted_shape_means_the_fifth_of_march(text: str) -> None:
    assert parse_date(f" {text} ") == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("30-02-2024", "Datum '30-02-2024' bestaat niet: februari 2024 heeft 29 dagen."),
        ("29-02-2023", "Datum '29-02-2023' bestaat niet: februari 2023 heeft 28 dagen."),
        ("31-04-2024", "Datum '31-04-2024' bestaat niet: april 2024 heeft 30 dagen."),
        ("05-13-2024", "Datum '05-13-2024': maand 13 bestaat niet."),
        ("2024-00-10", "Datum '2024-00-10': maand 0 bestaat niet."),
        (
            "05-03-0024",
            "Datum '05-03-0024': jaartal 24 kan niet kloppen (verwacht tussen 1800 en 2999).",
        ),
        (
            "05032024",
            "Datum '05032024': jaartal 503 kan niet kloppen (verwacht tussen 1800 en 2999).",
        ),
        ("05-03/2024", "Datum '05-03/2024' niet herkend"),
        ("5 maart 2024", "Datum '5 maart 2024' niet herkend"),
        ("05-03-24", "Datum '05-03-24' niet herkend"),
        ("", "Geen datum ingevuld."),
    ],
)
def test_impossible_and_unknown_dates_say_why(text: str, reason: str) -> None:
    with pytest.raises(DateError) as refused:
        parse_date(text)
    assert refused.value.message.startswith(reason)


def test_a_birth_date_lies_in_the_past() -> None:
    today = date(2026, 1, 10)
    assert parse_birth_date("10-01-2026", today) == today
    with pytest.raises(DateError, match="Geboortedatum 11-01-2026 ligt in de toekomst"):
        parse_birth_date("11-01-2026", today)


@given(st.text(max_size=40))
def test_the_parser_raises_nothing_but_its_own_error(text: str) -> None:
    try:
        parse_date(text)
    except DateError as error:
        assert error.message


dates = st.dates(min_value=date(EARLIEST_YEAR, 1, 1), max_value=date(LATEST_YEAR, 12, 31))


@given(dates)
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.isoformat()).isoformat() == day.isoformat()


@given(dates, st.sampled_from(["-", "/", "."]), st.booleans())
def test_day_first_dates_round_trip(day: date, separator: str, padded: bool) -> None:
    parts = (f"{day.day:02}", f"{day.month:02}") if padded else (str(day.day), str(day.month))
    assert parse_date(f"{parts[0]}{separator}{parts[1]}{separator}{day.year}") == day
    assert parse_date(f"{day:%Y%m%d}") == day
