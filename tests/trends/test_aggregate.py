"""Raw counts from a snapshot's facts: who lives where, which weeks, how many persons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import pytest

from klantocratie.trends.aggregate import Calendar, tally_facts, tally_rows

from .conftest import JAVA, NOORD, ULK, ZUID, Facts

CALENDAR = Calendar(dt.date(2024, 1, 1), dt.date(2024, 1, 22), window=2)
WEDNESDAY = dt.date(2024, 1, 3)


def test_calendar_counts_complete_weeks_only() -> None:
    sunday = Calendar.ending(dt.date(2025, 3, 2), weeks=16, window=8)
    assert sunday.last_week == dt.date(2025, 2, 24)
    saturday = Calendar.ending(dt.date(2025, 3, 1), weeks=16, window=8)
    assert saturday.last_week == dt.date(2025, 2, 17)
    assert len(sunday.weeks) == 16
    assert sunday.recent_start == dt.date(2025, 1, 6)
    assert sunday.previous_start == dt.date(2024, 11, 11) == sunday.first_week
    with pytest.raises(ValueError, match="te kort"):
        Calendar.ending(dt.date(2025, 3, 2), weeks=15, window=8)


def tallies(
    facts: Facts, tmp_path: Path
) -> dict[tuple[str, str, str, dt.date, int], tuple[int, int]]:
    found = tally_facts(facts.write(tmp_path / "facts.parquet"), CALENDAR)
    return {
        (t.buurt, t.measure, t.category, t.start, t.weeks): (t.events, t.persons) for t in found
    }


def test_a_fact_counts_in_the_buurt_its_subject_lives_in_now(tmp_path: Path) -> None:
    facts = Facts()
    mover = facts.person(NOORD, since=dt.date(2015, 1, 1))
    facts.add(mover, "persoon.woont", dt.date(2023, 6, 1), ZUID)
    facts.add(mover, "contact", WEDNESDAY, "Afval")
    counted = tallies(facts, tmp_path)
    assert counted == {
        (ZUID, "contacten", "Afval", dt.date(2024, 1, 1), 1): (1, 1),
        (ZUID, "contacten", "Afval", CALENDAR.previous_start, 2): (1, 1),
    }


def test_events_and_distinct_persons_are_both_counted(tmp_path: Path) -> None:
    facts = Facts()
    busy = facts.person(ULK)
    for _ in range(12):
        facts.add(busy, "contact", WEDNESDAY, "Parkeren")
    facts.contacts(ULK, WEDNESDAY, 3, "Parkeren")
    counted = tallies(facts, tmp_path)
    assert counted[(ULK, "contacten", "Parkeren", dt.date(2024, 1, 1), 1)] == (15, 4)


def test_each_kind_counts_for_its_measure_and_windows_add_up(tmp_path: Path) -> None:
    facts = Facts()
    someone = facts.person(JAVA)
    facts.add(someone, "onderneming.gestart", dt.date(2024, 1, 16), "thuisgevestigd")
    facts.add(someone, "melding.openbare-ruimte", dt.date(2024, 1, 23), "Zwerfafval")
    facts.add(someone, "melding.openbare-ruimte", dt.date(2024, 1, 28), "Zwerfafval")
    facts.add(someone, "zaak.aangevraagd", dt.date(2024, 1, 23), "Bijstand")  # not a trend
    counted = tallies(facts, tmp_path)
    recent = CALENDAR.recent_start
    assert counted == {
        (JAVA, "inschrijvingen", "thuisgevestigd", dt.date(2024, 1, 15), 1): (1, 1),
        (JAVA, "inschrijvingen", "thuisgevestigd", recent, 2): (1, 1),
        (JAVA, "meldingen", "Zwerfafval", dt.date(2024, 1, 22), 1): (2, 1),
        (JAVA, "meldingen", "Zwerfafval", recent, 2): (2, 1),
    }


def test_facts_outside_the_weeks_or_without_date_or_buurt_are_left_out(tmp_path: Path) -> None:
    facts = Facts()
    resident = facts.person(NOORD)
    facts.add(resident, "contact", dt.date(2023, 12, 31), "Afval")  # the Sunday before
    facts.add(resident, "contact", dt.date(2024, 1, 29), "Afval")  # after the last week
    facts.add(resident, "contact", None, "Afval")
    homeless = facts.person(None)
    facts.add(homeless, "contact", WEDNESDAY, "Afval")
    unknown = facts.person("onbekend")
    facts.add(unknown, "contact", WEDNESDAY, "Afval")
    assert tallies(facts, tmp_path) == {}


def test_an_ibis_table_is_read_as_well_as_a_file() -> None:
    facts = Facts()
    facts.contacts(NOORD, WEDNESDAY, 2)
    found = tally_facts(ibis.memtable(facts.table()), CALENDAR)
    assert {(t.weeks, t.events, t.persons) for t in found} == {(1, 2, 2), (2, 2, 2)}


def test_rows_with_their_own_buurt_are_counted_alike() -> None:
    rows = [
        (ZUID, "signalen", "Regel", WEDNESDAY, "a"),
        (ZUID, "signalen", "Regel", WEDNESDAY, "a"),
        (ZUID, "signalen", "Regel", dt.date(2024, 1, 24), "b"),
        ("", "signalen", "Regel", WEDNESDAY, "c"),  # no buurt known
        (ZUID, "signalen", "Regel", dt.date(2024, 2, 5), "d"),  # after the last week
    ]
    counted = {(t.start, t.weeks): (t.events, t.persons) for t in tally_rows(rows, CALENDAR)}
    assert counted == {
        (dt.date(2024, 1, 1), 1): (2, 1),
        (dt.date(2024, 1, 22), 1): (1, 1),
        (CALENDAR.previous_start, 2): (2, 1),
        (CALENDAR.recent_start, 2): (1, 1),
    }


def test_a_move_after_the_last_week_does_not_count_yet(tmp_path: Path) -> None:
    facts = Facts()
    mover = facts.person(NOORD)
    facts.add(mover, "persoon.woont", dt.date(2024, 2, 1), ZUID)
    facts.add(mover, "contact", WEDNESDAY, "Afval")
    assert {key[0] for key in tallies(facts, tmp_path)} == {NOORD}
