"""Reads of the published trends, for the dashboard, the exports and the API.

Everything here reads the stored, suppressed output of the newest computation; there
is nothing else to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from .areas import area_name, area_names, wijk_of
from .choices import Level, Measure
from .models import TrendCell, TrendRun, TrendSpike

PERIODS = (8, 13, 26, 52)  # weeks the dashboard offers, ending at the last week counted
REGISTRATION_LABELS = {"thuisgevestigd": "Thuisgevestigd", "bedrijfspand": "In een bedrijfspand"}


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def category_label(measure: str, category: str) -> str:
    if measure == Measure.REGISTRATIONS:
        return REGISTRATION_LABELS.get(category, category)
    return category or "(zonder onderwerp)"


def current_run() -> TrendRun | None:
    return TrendRun.objects.first()


@dataclass(frozen=True)
class TrendFilter:
    measure: str = Measure.CONTACTS
    level: str = Level.WIJK
    # A wijk or buurt code: at buurt level a wijk means its buurten, at wijk level a
    # buurt means its wijk.
    area: str = ""
    category: str = ""
    weeks: int = 13


@dataclass(frozen=True)
class Series:
    level: str
    area_code: str
    measure: str
    category: str
    weeks: list[date]
    counts: list[int | None]  # None: suppressed

    @property
    def area_name(self) -> str:
        return area_name(self.area_code)

    @property
    def category_label(self) -> str:
        return category_label(self.measure, self.category)

    @property
    def visible_total(self) -> int:
        """The sum of the shown counts only, for ordering; not a published total."""
        return sum(c for c in self.counts if c is not None)


def _area_q(level: str, area: str) -> Q:
    if not area:
        return Q()
    if level == Level.WIJK:
        return Q(area_code=area if area.startswith("WK") else wijk_of(area))
    if area.startswith("WK"):
        return Q(area_code__startswith="BU" + area[2:])
    return Q(area_code=area)


def period(run: TrendRun, weeks: int) -> list[date]:
    return run.calendar.weeks[-weeks:]


def cells(run: TrendRun, filters: TrendFilter) -> QuerySet[TrendCell]:
    weeks = period(run, filters.weeks)
    found = run.cells.filter(
        _area_q(filters.level, filters.area),
        measure=filters.measure,
        level=filters.level,
        week__gte=weeks[0],
    )
    if filters.category:
        found = found.filter(category=filters.category)
    return found.order_by("area_code", "category", "week")


def series(run: TrendRun, filters: TrendFilter) -> list[Series]:
    """The filtered series, most shown events first; weeks of the chosen period."""
    weeks = period(run, filters.weeks)
    grouped: dict[tuple[str, str], dict[date, int | None]] = {}
    for cell in cells(run, filters).only("area_code", "category", "week", "count"):
        grouped.setdefault((cell.area_code, cell.category), {})[cell.week] = cell.count
    found = [
        Series(
            level=filters.level,
            area_code=area,
            measure=filters.measure,
            category=category,
            weeks=weeks,
            counts=[counts.get(week) for week in weeks],
        )
        for (area, category), counts in grouped.items()
    ]
    # A series whose shown weeks all fall before the period has nothing to show in it.
    found = [s for s in found if s.visible_total]
    return sorted(found, key=lambda s: (-s.visible_total, s.area_name, s.category))


def spikes(run: TrendRun, filters: TrendFilter) -> QuerySet[TrendSpike]:
    found = run.spikes.filter(
        _area_q(filters.level, filters.area), measure=filters.measure, level=filters.level
    )
    if filters.category:
        found = found.filter(category=filters.category)
    return found


def categories(run: TrendRun, measure: str) -> list[str]:
    return list(
        run.cells.filter(measure=measure)
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")
    )


def areas(run: TrendRun) -> list[tuple[str, list[tuple[str, str]]]]:
    """Wijken with their buurten: (wijk name, [(code, name)]), those the pack names and
    any other the run has counts for."""
    codes = set(area_names()) | set(run.cells.values_list("area_code", flat=True).distinct())
    wijken = sorted({c if c.startswith("WK") else wijk_of(c) for c in codes})
    groups = []
    for wijk in wijken:
        buurten = sorted(
            ((c, area_name(c)) for c in codes if c.startswith("BU") and wijk_of(c) == wijk),
            key=lambda pair: pair[1],
        )
        groups.append((area_name(wijk), [(wijk, f"{area_name(wijk)} (hele wijk)"), *buurten]))
    return groups
