"""The spike detector: a series whose recent weeks rose sharply, explained in Dutch.

Per area, measure and category the last N weeks (the recent window) are compared with
the N weeks before. A spike is a recent count of at least k (from at least k persons)
that is at least `ratio` times the count before, and unlikely to be chance: with
hundreds of series, small counts double now and then by themselves. If the two
windows had the same rate, each event would fall in either with even odds; the rise
must be rarer than `p` under those odds (a one-sided binomial test). The rule runs on
the raw counts; what
it says is written from the published counts only, so an explanation never shows a
number the suppression hid — not even as a ratio, which would give the hidden number
back by division.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .areas import area_name
from .choices import Level, Measure
from .suppression import Cell, Table, Value, is_small

# A rise this unlikely under equal rates is reported: about one false alarm per
# thousand series that did not change, while 12 to 37 in eight weeks (p ≈ 0.0002)
# still counts.
DEFAULT_P = 0.001

GROWTH_WORDS = {
    2: "verdubbeld",
    3: "verdrievoudigd",
    4: "verviervoudigd",
    5: "vervijfvoudigd",
    6: "verzesvoudigd",
    7: "verzevenvoudigd",
    8: "verachtvoudigd",
    9: "vernegenvoudigd",
    10: "vertienvoudigd",
}
REGISTRATION_KINDS = {
    "thuisgevestigd": "Inschrijvingen van thuisgevestigde ondernemingen",
    "bedrijfspand": "Inschrijvingen van ondernemingen met een bedrijfspand",
}


@dataclass(frozen=True, slots=True)
class Spike:
    recent: Cell
    previous: Cell


def chance_of_rise(recent: int, previous: int) -> float:
    """P(at least `recent` of the recent + previous events fall in the recent window),
    when each falls in either window with probability one half."""
    total = recent + previous
    return sum(math.comb(total, n) for n in range(recent, total + 1)) / 2**total


def is_spike(recent: Value, previous: Value, k: int, ratio: float, p: float = DEFAULT_P) -> bool:
    return (
        not is_small(recent, k)
        and recent.events >= ratio * previous.events
        and chance_of_rise(recent.events, previous.events) < p
    )


def detect(table: Table, k: int, ratio: float, p: float = DEFAULT_P) -> list[Spike]:
    """Every series of `table` whose recent window is a spike, in the table's order."""
    calendar = table.calendar
    found = []
    for level, area, measure, category in table.series():
        recent, previous = (
            Cell(level, area, measure, category, start, calendar.window)
            for start in (calendar.recent_start, calendar.previous_start)
        )
        if is_spike(table.value(recent), table.value(previous), k, ratio, p):
            found.append(Spike(recent=recent, previous=previous))
    return found


def subject_phrase(measure: str, category: str) -> str:
    """What was counted, as the plural subject of a Dutch sentence."""
    if measure == Measure.CONTACTS:
        return f"Vragen over '{category}'" if category else "Vragen zonder onderwerp"
    if measure == Measure.REGISTRATIONS:
        return REGISTRATION_KINDS.get(category, f"Inschrijvingen van ondernemingen ({category})")
    if measure == Measure.REPORTS:
        return f"Meldingen over '{category}'" if category else "Meldingen zonder categorie"
    return f"Signalen van de regel '{category}'"


def area_phrase(level: str, code: str) -> str:
    name = area_name(code)
    word = Level(level).label.lower()
    # CBS names wijken "Wijk 10 Binnenstad"; do not say "wijk Wijk 10 Binnenstad".
    return f"in {name}" if name.lower().startswith(word) else f"in {word} {name}"


def growth(recent: int, previous: int | None) -> str:
    """How the count grew, from the published counts: `previous` None is hidden."""
    if previous is None:
        return f"gestegen van een afgeschermd aantal naar {recent}"
    numbers = f"(van {previous} naar {recent})"
    times, rest = divmod(recent, previous)
    if times < 2:
        return f"met {(recent - previous) * 100 // previous}% gestegen {numbers}"
    if times > 10 or (times == 10 and rest):
        return f"meer dan vertienvoudigd {numbers}"
    return f"{'ruim ' if rest else ''}{GROWTH_WORDS[times]} {numbers}"


def explain(cell: Cell, recent: int, previous: int | None) -> str:
    """E.g. "Vragen over 'Starten als ondernemer' in buurt Binnenstad-Zuid zijn in 8
    weken ruim verdrievoudigd (van 12 naar 37)." """
    return (
        f"{subject_phrase(cell.measure, cell.category)} {area_phrase(cell.level, cell.area)} "
        f"zijn in {cell.weeks} weken {growth(recent, previous)}."
    )
