"""The spike detector: the rule with its near misses, and its explanation in Dutch."""

from __future__ import annotations

import datetime as dt

import pytest

from klantocratie.trends import spikes
from klantocratie.trends.aggregate import Calendar, Tally
from klantocratie.trends.suppression import Cell, Value, build_table

from .conftest import BINNENSTAD, STARTER, ZUID

K, RATIO = 10, 2.0


@pytest.mark.parametrize(
    ("recent", "previous", "spike"),
    [
        (Value(37, 37), Value(12, 12), True),
        (Value(20, 20), Value(10, 10), True),  # exactly twice
        (Value(19, 19), Value(10, 10), False),  # just under twice
        (Value(10, 10), Value(0, 0), True),  # from nothing to k
        (Value(9, 9), Value(0, 0), False),  # from nothing, but below k
        (Value(30, 9), Value(3, 3), False),  # ten times, but by fewer than k persons
        (Value(10, 10), Value(5, 5), True),
        (Value(12, 12), Value(12, 12), False),  # steady
        (Value(5, 5), Value(40, 40), False),  # falling
    ],
)
def test_the_rule(recent: Value, previous: Value, spike: bool) -> None:
    # p = 1: the size and growth rules alone; chance is tested below.
    assert spikes.is_spike(recent, previous, K, RATIO, p=1.0) is spike


def test_the_ratio_is_configurable() -> None:
    assert spikes.is_spike(Value(15, 15), Value(10, 10), K, 1.5, p=1.0)
    assert not spikes.is_spike(Value(14, 14), Value(10, 10), K, 1.5, p=1.0)


def test_the_chance_of_a_rise_is_the_binomial_tail() -> None:
    assert spikes.chance_of_rise(2, 0) == 0.25
    assert spikes.chance_of_rise(3, 1) == 5 / 16
    assert spikes.chance_of_rise(0, 4) == 1.0


@pytest.mark.parametrize(
    ("recent", "previous", "spike"),
    [
        (Value(20, 20), Value(10, 10), False),  # twice, but chance does that one time in 20
        (Value(25, 25), Value(10, 10), False),  # 2.5 times, but chance: p ≈ 0.005
        (Value(37, 37), Value(12, 12), True),  # p ≈ 0.0002
        (Value(40, 40), Value(12, 12), True),  # p ≈ 0.00006
        (Value(14, 14), Value(0, 0), True),  # p = 1/16384
    ],
)
def test_a_rise_that_chance_explains_is_no_spike(
    recent: Value, previous: Value, spike: bool
) -> None:
    assert spikes.is_spike(recent, previous, K, RATIO) is spike


def test_detect_finds_the_rising_series_in_buurt_and_wijk_only() -> None:
    calendar = Calendar(dt.date(2024, 1, 1), dt.date(2024, 1, 22), window=2)

    def windows(buurt: str, category: str, previous: int, recent: int) -> list[Tally]:
        return [
            Tally(buurt, "contacten", category, calendar.previous_start, 2, previous, previous),
            Tally(buurt, "contacten", category, calendar.recent_start, 2, recent, recent),
        ]

    table = build_table(
        [
            *windows(ZUID, STARTER, 12, 37),
            *windows(ZUID, "Afval", 30, 31),
            *windows("BU01411101", STARTER, 10, 19),
        ],
        calendar,
    )
    found = [
        (s.recent.level, s.recent.area, s.recent.category) for s in spikes.detect(table, K, RATIO)
    ]
    assert found == [("buurt", ZUID, STARTER), ("wijk", BINNENSTAD, STARTER)]


def cell(level: str, area: str, measure: str = "contacten", category: str = STARTER) -> Cell:
    return Cell(level, area, measure, category, dt.date(2025, 1, 6), 8)


@pytest.mark.parametrize(
    ("recent", "previous", "text"),
    [
        (36, 12, "zijn in 8 weken verdrievoudigd (van 12 naar 36)."),
        (37, 12, "zijn in 8 weken ruim verdrievoudigd (van 12 naar 37)."),
        (20, 10, "zijn in 8 weken verdubbeld (van 10 naar 20)."),
        (16, 10, "zijn in 8 weken met 60% gestegen (van 10 naar 16)."),
        (100, 10, "zijn in 8 weken vertienvoudigd (van 10 naar 100)."),
        (101, 10, "zijn in 8 weken meer dan vertienvoudigd (van 10 naar 101)."),
        (37, None, "zijn in 8 weken gestegen van een afgeschermd aantal naar 37."),
    ],
)
def test_explanation_says_how_much_from_the_published_counts(
    recent: int, previous: int | None, text: str
) -> None:
    assert spikes.explain(cell("buurt", ZUID), recent, previous) == (
        f"Vragen over 'Starten als ondernemer' in buurt Binnenstad-Zuid {text}"
    )


def test_explanation_names_the_area_and_what_was_counted() -> None:
    assert spikes.explain(cell("wijk", BINNENSTAD), 24, 12).startswith(
        "Vragen over 'Starten als ondernemer' in Wijk 10 Binnenstad zijn"
    )
    assert spikes.explain(
        cell("buurt", ZUID, "inschrijvingen", "thuisgevestigd"), 24, 12
    ).startswith("Inschrijvingen van thuisgevestigde ondernemingen in buurt Binnenstad-Zuid zijn")
    assert spikes.explain(cell("buurt", ZUID, "meldingen", "Zwerfafval"), 24, 12).startswith(
        "Meldingen over 'Zwerfafval' in buurt"
    )
    assert spikes.explain(
        cell("buurt", ZUID, "signalen", "Zorgen na vertrek kinderen"), 24, 12
    ).startswith("Signalen van de regel 'Zorgen na vertrek kinderen' in buurt")
    # An area the pack does not name is called by its code.
    assert " in buurt BU09999999 " in spikes.explain(cell("buurt", "BU09999999"), 24, 12)


def test_a_hidden_previous_count_cannot_be_recovered_from_the_explanation() -> None:
    text = spikes.explain(cell("buurt", ZUID), 37, None)
    # No ratio, no factor, no percentage: any of those times 37 would give it back.
    assert not any(word in text for word in ("voudigd", "verdubbeld", "%", "keer"))
