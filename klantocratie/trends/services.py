"""Compute and store the neighbourhood trends of one analytic snapshot.

`refresh_trends` is the one writer: raw counts from the snapshot's facts and from the
signal register, the spike detector on them, suppression, and then only the protected
output is stored. The previous computation is deleted in the same transaction, so the
pages, exports and API only ever show one consistent set of published numbers.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import ibis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from klantocratie.analytics.snapshot import build_snapshot
from klantocratie.signals.models import Signal, SignalRule

from . import spikes as spike_rule
from .aggregate import Calendar, Tally, tally_facts, tally_rows
from .choices import Measure
from .models import TrendCell, TrendRun, TrendSpike
from .suppression import Cell, build_table, protect

# What the trends are computed under, and from which granted elements.
ACTIVITY = "beleidsanalyse"
ELEMENTS = ("person.address", "contact.history", "person.businesses", "case.files")


@dataclass(frozen=True)
class TrendSettings:
    min_cell: int  # k
    weeks: int  # weeks counted up to the reference date
    spike_weeks: int  # N: the recent window, compared with the N weeks before
    spike_ratio: float
    spike_p: float  # how unlikely under equal rates a rise must be to count


def trend_settings() -> TrendSettings:
    """The TRENDS_* settings, checked: a k below 2 would publish single persons."""
    values = TrendSettings(
        min_cell=int(getattr(settings, "TRENDS_MIN_CELL", 10)),
        weeks=int(getattr(settings, "TRENDS_WEEKS", 52)),
        spike_weeks=int(getattr(settings, "TRENDS_SPIKE_WEEKS", 8)),
        spike_ratio=float(getattr(settings, "TRENDS_SPIKE_RATIO", 2.0)),
        spike_p=float(getattr(settings, "TRENDS_SPIKE_P", spike_rule.DEFAULT_P)),
    )
    if values.min_cell < 2:
        raise ImproperlyConfigured("TRENDS_MIN_CELL must be at least 2.")
    if values.spike_weeks < 1 or values.weeks < 2 * values.spike_weeks:
        raise ImproperlyConfigured(
            "TRENDS_WEEKS must cover two spike windows (TRENDS_SPIKE_WEEKS)."
        )
    if values.spike_ratio <= 1:
        raise ImproperlyConfigured("TRENDS_SPIKE_RATIO must be above 1.")
    return values


def signal_tallies(calendar: Calendar) -> list[Tally]:
    """Signals raised per buurt, week and rule, counted under the rule's current name."""
    names: dict[str, str] = {}
    for code, name in SignalRule.objects.order_by("code", "-version").values_list("code", "name"):
        names.setdefault(code, name)
    rows = Signal.objects.filter(
        created_at__date__gte=calendar.first_week, created_at__date__lte=calendar.last_day
    ).values_list("buurt_code", "created_at", "rule__code", "party_id")
    return tally_rows(
        (
            (buurt, Measure.SIGNALS, names[code], timezone.localdate(created), str(party))
            for buurt, created, code, party in rows.iterator()
        ),
        calendar,
    )


def refresh_trends(
    facts: Path | str | ibis.Table,
    reference_date: date,
    *,
    requested_by: str,
    snapshot_uuid: uuid.UUID | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> TrendRun:
    """Aggregate `facts` (a snapshot's Parquet file) and the signals; store the result.

    `on_progress(done, total)` follows the suppression, block by block.
    """
    config = trend_settings()
    calendar = Calendar.ending(reference_date, config.weeks, config.spike_weeks)
    table = build_table(tally_facts(facts, calendar) + signal_tallies(calendar), calendar)
    found = spike_rule.detect(table, config.min_cell, config.spike_ratio, config.spike_p)
    windows = [cell for spike in found for cell in (spike.recent, spike.previous)]
    published = protect(table, config.min_cell, windows, on_progress=on_progress)

    def shown(cell: Cell) -> int | None:
        return table.value(cell).events if cell in published else None

    cells: list[TrendCell] = []
    for level, area, measure, category in table.series():
        counts = [
            (week, shown(Cell(level, area, measure, category, week, 1))) for week in calendar.weeks
        ]
        # A series with every week hidden says nothing, and is left out.
        if any(count is not None for _, count in counts):
            cells.extend(
                TrendCell(
                    level=level,
                    area_code=area,
                    measure=measure,
                    category=category,
                    week=week,
                    count=count,
                )
                for week, count in counts
            )
    spike_rows: list[TrendSpike] = []
    for spike in found:
        recent = shown(spike.recent)
        if recent is None:
            continue
        previous = shown(spike.previous)
        spike_rows.append(
            TrendSpike(
                level=spike.recent.level,
                area_code=spike.recent.area,
                measure=spike.recent.measure,
                category=spike.recent.category,
                recent=recent,
                previous=previous,
                explanation=spike_rule.explain(spike.recent, recent, previous),
            )
        )
    with transaction.atomic():
        run = TrendRun.objects.create(
            requested_by=requested_by,
            snapshot_uuid=snapshot_uuid,
            reference_date=reference_date,
            first_week=calendar.first_week,
            last_week=calendar.last_week,
            min_cell=config.min_cell,
            spike_weeks=config.spike_weeks,
            spike_ratio=config.spike_ratio,
        )
        for cell in cells:
            cell.run = run
        for spike_row in spike_rows:
            spike_row.run = run
        TrendCell.objects.bulk_create(cells, batch_size=2000)
        TrendSpike.objects.bulk_create(spike_rows, batch_size=500)
        TrendRun.objects.exclude(pk=run.pk).delete()
    return run


def refresh_from_sources(
    requested_by: str,
    *,
    on_extracted: Callable[[int], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> TrendRun:
    """Extract a beleidsanalyse snapshot through the gate and publish its trends.

    The activity keeps aggregated outcomes only: the snapshot's pseudonymised facts are
    deleted as soon as the trends are computed (or failed to be); its record stays.
    """
    snapshot = build_snapshot(ACTIVITY, ELEMENTS, requested_by, progress=on_extracted)
    path = Path(snapshot.path)
    try:
        return refresh_trends(
            path,
            snapshot.reference_date,
            requested_by=requested_by,
            snapshot_uuid=snapshot.uuid,
            on_progress=on_progress,
        )
    finally:
        path.unlink(missing_ok=True)
