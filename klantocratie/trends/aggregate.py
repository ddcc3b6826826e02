"""Raw counts per buurt, week and category, from the facts of an analytic snapshot.

The facts are a Parquet file (or an Ibis table) in the analytics snapshot's schema:
one row per fact with a pseudonymous ``subject``, a ``kind``, a date ``at`` and a
``category``. Nothing here knows where the file came from, and nothing it returns
names a subject: every row is a count, with the number of distinct persons behind it
so the suppression can refuse cells that one or two busy persons fill on their own.

These raw counts are never stored or shown; `suppression.protect` decides which of
them may be published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import ibis

from .areas import BUURT_CODE
from .choices import Measure

# Fact kinds that are counted, and the measure each one counts for.
FACT_MEASURES: dict[str, str] = {
    "contact": Measure.CONTACTS,
    "onderneming.gestart": Measure.REGISTRATIONS,
    "melding.openbare-ruimte": Measure.REPORTS,
}
# A person's address: its category is the CBS buurt code, `at` the date they moved in.
RESIDENCE = "persoon.woont"
CATEGORY_LENGTH = 255


@dataclass(frozen=True, slots=True)
class Calendar:
    """The weeks counted, and the two windows the spike detector compares."""

    first_week: date  # Monday of the first week
    last_week: date  # Monday of the last complete week
    window: int  # weeks per spike window

    @classmethod
    def ending(cls, reference_date: date, weeks: int, window: int) -> Calendar:
        """`weeks` complete ISO weeks up to `reference_date`.

        The week the reference date falls in counts only when it is complete (the
        date is a Sunday): a half week would look like a drop in every series.
        """
        if weeks < 2 * window:
            raise ValueError(f"{weeks} weken is te kort voor twee vensters van {window} weken.")
        monday = reference_date - timedelta(days=reference_date.weekday())
        last = monday if reference_date.weekday() == 6 else monday - timedelta(weeks=1)
        return cls(first_week=last - timedelta(weeks=weeks - 1), last_week=last, window=window)

    @property
    def weeks(self) -> list[date]:
        count = (self.last_week - self.first_week).days // 7 + 1
        return [self.first_week + timedelta(weeks=i) for i in range(count)]

    @property
    def last_day(self) -> date:
        return self.last_week + timedelta(days=6)

    @property
    def recent_start(self) -> date:
        return self.last_week - timedelta(weeks=self.window - 1)

    @property
    def previous_start(self) -> date:
        return self.recent_start - timedelta(weeks=self.window)

    def week_of(self, day: date) -> date | None:
        """Monday of the counted week `day` falls in, or None outside the weeks."""
        if not self.first_week <= day <= self.last_day:
            return None
        return day - timedelta(days=day.weekday())

    def window_of(self, day: date) -> date | None:
        """Start of the spike window `day` falls in, or None outside both windows."""
        if self.recent_start <= day <= self.last_day:
            return self.recent_start
        if self.previous_start <= day < self.recent_start:
            return self.previous_start
        return None


@dataclass(frozen=True, slots=True)
class Tally:
    """A raw count in one buurt: a week (``weeks`` = 1) or a spike window."""

    buurt: str
    measure: str
    category: str
    start: date
    weeks: int
    events: int
    persons: int


def tally_facts(facts: Path | str | ibis.Table, calendar: Calendar) -> list[Tally]:
    """Counts of the counted fact kinds per buurt, week and window.

    Each fact is placed in the buurt its subject lives in at the end of the weeks
    counted (the latest ``persoon.woont`` up to then), as the trends describe today's
    neighbourhoods. Facts of a subject without a known buurt, or without a date, are
    left out.
    """
    table = facts if isinstance(facts, ibis.Table) else ibis.duckdb.connect().read_parquet(facts)
    # Where the subject lived at the end of the last week counted; a later move (or a
    # date in the future) does not count yet.
    homes = table.filter(
        (table.kind == RESIDENCE) & (table.at.isnull() | (table.at <= calendar.last_day))
    )
    homes = homes.mutate(
        rank=ibis.row_number().over(
            group_by=homes.subject,
            order_by=[homes.at.desc(nulls_first=False), homes.category.desc()],
        )
    )
    current = homes.filter(homes.rank == 0)
    buurt_of = current.select(subject=current.subject, buurt=current.category).filter(
        lambda t: t.buurt.re_search(BUURT_CODE.pattern)
    )
    events = table.filter(
        table.kind.isin(list(FACT_MEASURES))
        & table.at.between(calendar.first_week, calendar.last_day)
    )
    events = events.join(buurt_of, "subject")
    events = events.select(
        subject=events.subject,
        buurt=events.buurt,
        measure=events.kind.substitute(FACT_MEASURES),
        category=events.category.fill_null("").substr(0, CATEGORY_LENGTH),
        at=events.at,
    )
    keys = ["buurt", "measure", "category", "start"]
    weekly = (
        events.mutate(start=events.at.truncate("W").cast("date"))
        .group_by(keys)
        .aggregate(events=lambda t: t.count(), persons=lambda t: t.subject.nunique())
    )
    windowed = events.filter(events.at >= calendar.previous_start)
    windowed = windowed.mutate(
        start=ibis.ifelse(
            windowed.at >= calendar.recent_start,
            ibis.literal(calendar.recent_start),
            ibis.literal(calendar.previous_start),
        )
    )
    windows = windowed.group_by(keys).aggregate(
        events=lambda t: t.count(), persons=lambda t: t.subject.nunique()
    )
    tallies = [Tally(weeks=1, **row) for row in weekly.to_pyarrow().to_pylist()] + [
        Tally(weeks=calendar.window, **row) for row in windows.to_pyarrow().to_pylist()
    ]
    return sorted(tallies, key=_order)


def tally_rows(rows: Iterable[tuple[str, str, str, date, str]], calendar: Calendar) -> list[Tally]:
    """Counts of records that carry their own buurt: (buurt, measure, category, day, who).

    ``who`` tells persons apart (any stable key); records outside the weeks counted
    or without a valid buurt code are left out, as in `tally_facts`.
    """
    events: dict[tuple[str, str, str, date, int], int] = defaultdict(int)
    persons: dict[tuple[str, str, str, date, int], set[str]] = defaultdict(set)
    for buurt, measure, category, day, who in rows:
        if not BUURT_CODE.fullmatch(buurt):
            continue
        category = category[:CATEGORY_LENGTH]
        for start, weeks in (
            (calendar.week_of(day), 1),
            (calendar.window_of(day), calendar.window),
        ):
            if start is not None:
                key = (buurt, measure, category, start, weeks)
                events[key] += 1
                persons[key].add(who)
    tallies = [
        Tally(buurt, measure, category, start, weeks, count, len(persons[key]))
        for key, count in events.items()
        for buurt, measure, category, start, weeks in [key]
    ]
    return sorted(tallies, key=_order)


def _order(tally: Tally) -> tuple[str, str, str, int, date]:
    return (tally.buurt, tally.measure, tally.category, tally.weeks, tally.start)
