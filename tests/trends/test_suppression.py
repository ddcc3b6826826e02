"""Small-cell suppression: primary, secondary per relation, and the audit over them all."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from klantocratie.trends import spikes
from klantocratie.trends.aggregate import Calendar, Tally
from klantocratie.trends.suppression import Cell, Table, build_table, is_small, protect

K = 10
CALENDAR = Calendar(first_week=dt.date(2024, 1, 1), last_week=dt.date(2024, 1, 22), window=2)
WEEKS = CALENDAR.weeks
BUURTEN = ["BU01411000", "BU01411001", "BU01411002"]


def weekly(buurt: str, counts: list[int], persons: list[int] | None = None) -> list[Tally]:
    """Tallies of one buurt per week, and of the two windows they add up to."""
    persons = persons or counts
    rows = [
        Tally(buurt, "contacten", "Afval", start, 1, n, p)
        for start, n, p in zip(WEEKS, counts, persons, strict=True)
        if n
    ]
    for first, start in ((0, CALENDAR.previous_start), (2, CALENDAR.recent_start)):
        n, p = sum(counts[first : first + 2]), sum(persons[first : first + 2])
        if n:
            rows.append(Tally(buurt, "contacten", "Afval", start, CALENDAR.window, n, p))
    return rows


def cell(level: str, area: str, start: dt.date, weeks: int = 1) -> Cell:
    return Cell(level, area, "contacten", "Afval", start, weeks)


def determined(table: Table, published: set[Cell]) -> set[Cell]:
    """Hidden cells the published ones pin down, by exact elimination (not the code's SVD).

    A hidden cell is determined exactly when its unit vector is in the row space of the
    relations over the hidden cells; in reduced row echelon form that vector is a row.
    """
    found: set[Cell] = set()
    for block in table.blocks.values():
        hidden = [c for c in block.cells if c not in published]
        column = {c: i for i, c in enumerate(hidden)}
        rows = []
        for total, parts in block.relations:
            row = [Fraction(0)] * len(hidden)
            for c, sign in ((total, 1), *((p, -1) for p in parts)):
                if c in column:
                    row[column[c]] += sign
            if any(row):
                rows.append(row)
        pivot_row = 0
        for col in range(len(hidden)):
            pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col]), None)
            if pivot is None:
                continue
            rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
            lead = rows[pivot_row][col]
            rows[pivot_row] = [v / lead for v in rows[pivot_row]]
            for r in range(len(rows)):
                if r != pivot_row and rows[r][col]:
                    factor = rows[r][col]
                    rows[r] = [
                        a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)
                    ]
            pivot_row += 1
        for row in rows[:pivot_row]:
            nonzero = [i for i, v in enumerate(row) if v]
            if len(nonzero) == 1:
                found.add(hidden[nonzero[0]])
    return found


def assert_protected(table: Table, published: set[Cell]) -> None:
    values = table.values
    assert not [c for c in published if is_small(values[c], K)], "a small cell is published"
    for block in table.blocks.values():
        for total, parts in block.relations:
            hidden = [p for p in parts if p not in published]
            if total in published and any(is_small(values[p], K) for p in hidden):
                assert len(hidden) >= 2, (total, hidden)
                assert sum(values[p].events for p in hidden) >= K, (total, hidden)
    leaks = {c for c in determined(table, published) if is_small(values[c], K)}
    assert leaks == set()


def test_cells_below_k_or_of_fewer_than_k_persons_are_hidden() -> None:
    table = build_table(
        [
            *weekly(BUURTEN[0], [9, 10, 40, 12], persons=[9, 10, 40, 2]),
            *weekly(BUURTEN[1], [30, 30, 30, 30]),
        ],
        CALENDAR,
    )
    published = protect(table, K)
    shown = {c.start: c for c in published if c.area == BUURTEN[0]}
    # 9 events is below k; 12 events by two persons could still point at them.
    assert WEEKS[0] not in shown
    assert WEEKS[3] not in shown
    assert_protected(table, published)


def test_one_hidden_buurt_in_a_shown_wijk_takes_a_second_buurt_with_it() -> None:
    table = build_table(
        [
            *weekly(BUURTEN[0], [15] * 4),
            *weekly(BUURTEN[1], [12] * 4),
            *weekly(BUURTEN[2], [3] * 4),
        ],
        CALENDAR,
    )
    published = protect(table, K)
    for start in WEEKS:
        assert cell("wijk", "WK014110", start) in published
        assert cell("buurt", BUURTEN[0], start) in published
        assert cell("buurt", BUURTEN[2], start) not in published
        # Not small itself, but shown it would give the small one away: 30 - 15 - 12 = 3.
        assert cell("buurt", BUURTEN[1], start) not in published
    assert_protected(table, published)


def test_without_a_small_buurt_nothing_more_is_hidden() -> None:
    table = build_table([*weekly(BUURTEN[0], [15] * 4), *weekly(BUURTEN[1], [12] * 4)], CALENDAR)
    published = protect(table, K)
    weekly_cells = {c for c in table.values if c.weeks == 1}
    assert weekly_cells <= published


def test_two_hidden_buurten_that_add_up_to_less_than_k_take_a_third() -> None:
    table = build_table(
        [
            *weekly(BUURTEN[0], [40] * 4),
            *weekly(BUURTEN[1], [4] * 4),
            *weekly(BUURTEN[2], [3] * 4),
        ],
        CALENDAR,
    )
    published = protect(table, K)
    # Two hidden buurten of 4 and 3 would still reveal a group of 7; the 40 goes too,
    # and the wijk total stays.
    assert cell("buurt", BUURTEN[0], WEEKS[0]) not in published
    assert cell("wijk", "WK014110", WEEKS[0]) in published
    assert_protected(table, published)


def test_a_shown_spike_window_hides_a_second_week_beside_a_small_one() -> None:
    table = build_table(weekly(BUURTEN[0], [5, 5, 30, 4]), CALENDAR)
    recent = cell("buurt", BUURTEN[0], CALENDAR.recent_start, CALENDAR.window)
    published = protect(table, K, [recent])
    assert recent in published
    # Week 4 (4) is small; with the window (34) shown, week 3 (30) would give it away.
    assert cell("buurt", BUURTEN[0], WEEKS[2]) not in published
    assert_protected(table, published)


def test_a_large_part_left_unpublished_does_not_hide_more() -> None:
    # The wijk's window is asked for, one buurt's is not: it follows by subtraction,
    # but it is large, so the other buurt's window stays.
    table = build_table(
        [*weekly(BUURTEN[0], [20, 20, 30, 30]), *weekly(BUURTEN[1], [15, 15, 40, 40])], CALENDAR
    )
    wanted = [
        cell("wijk", "WK014110", CALENDAR.recent_start, 2),
        cell("buurt", BUURTEN[0], CALENDAR.recent_start, 2),
    ]
    assert set(wanted) <= protect(table, K, wanted)


def test_a_spike_window_not_asked_for_is_not_published() -> None:
    table = build_table(weekly(BUURTEN[0], [30, 30, 30, 30]), CALENDAR)
    published = protect(table, K)
    assert all(c.weeks == 1 for c in published)


def test_progress_is_reported_per_block() -> None:
    table = build_table([*weekly(BUURTEN[0], [15] * 4), *weekly("BU01411101", [15] * 4)], CALENDAR)
    calls: list[tuple[int, int]] = []
    protect(table, K, on_progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


counts = st.lists(st.integers(min_value=0, max_value=40), min_size=4, max_size=4)


@settings(max_examples=150, derandomize=True, deadline=None, database=None)
@given(st.lists(st.tuples(counts, st.integers(min_value=1, max_value=3)), min_size=1, max_size=3))
def test_no_small_cell_is_published_or_derivable(buurten: list[tuple[list[int], int]]) -> None:
    """Whatever the counts: nothing small is shown, and nothing small can be worked out
    from what is shown — with the spike windows the detector asks for."""
    tallies = []
    for buurt, (events, spread) in zip(BUURTEN, buurten, strict=False):
        # Some cells are filled by fewer persons than events.
        tallies += weekly(buurt, events, persons=[max(n // spread, 1) if n else 0 for n in events])
    if not tallies:
        return
    table = build_table(tallies, CALENDAR)
    found = spikes.detect(table, K, 2.0)
    published = protect(table, K, [c for s in found for c in (s.recent, s.previous)])
    assert_protected(table, published)
