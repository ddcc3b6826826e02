"""Storing the trends: only the protected output, one computation at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from klantocratie.parties.models import Party
from klantocratie.registry.models import Organisation
from klantocratie.signals.models import Severity, Signal, SignalRule, Team
from klantocratie.trends.models import TrendCell, TrendRun, TrendSpike
from klantocratie.trends.services import refresh_trends

from .conftest import BINNENSTAD, NOORD, REFERENCE, STARTER, ULK, ZUID, Facts, town, week

pytestmark = pytest.mark.django_db


def counts(run: TrendRun, level: str, area: str, category: str = "Afval") -> list[int | None]:
    return list(
        run.cells.filter(level=level, area_code=area, category=category)
        .order_by("week")
        .values_list("count", flat=True)
    )


def test_only_counts_of_at_least_k_are_stored(town_run: TrendRun) -> None:
    shown = [c for c in TrendCell.objects.values_list("count", flat=True) if c is not None]
    assert shown and min(shown) >= 10
    assert counts(town_run, "buurt", NOORD) == [15] * 16
    assert counts(town_run, "wijk", BINNENSTAD) == [30] * 16


def test_series_with_every_week_hidden_are_left_out(town_run: TrendRun) -> None:
    # Ulk (3 a week) is small; Zuid (12) is hidden beside it so Ulk cannot be worked out.
    assert counts(town_run, "buurt", ULK) == []
    assert counts(town_run, "buurt", ZUID) == []
    assert not town_run.cells.filter(level="buurt", category=STARTER).exists()


def test_the_rise_in_starters_is_explained_at_buurt_and_wijk(town_run: TrendRun) -> None:
    found = {(s.level, s.area_code): s for s in TrendSpike.objects.filter(category=STARTER)}
    assert set(found) == {("buurt", ZUID), ("wijk", BINNENSTAD)}
    assert found[("buurt", ZUID)].explanation == (
        "Vragen over 'Starten als ondernemer' in buurt Binnenstad-Zuid zijn in 8 weken "
        "ruim verdrievoudigd (van 12 naar 37)."
    )
    assert (found[("wijk", BINNENSTAD)].recent, found[("wijk", BINNENSTAD)].previous) == (37, 12)
    # Steady series are no spikes.
    assert not TrendSpike.objects.filter(category="Afval").exists()


def test_a_spike_from_a_small_count_hides_the_count_before(db: None, tmp_path: Path) -> None:
    facts = Facts()
    facts.weekly(NOORD, [1] * 8 + [4] * 8, STARTER)
    run = refresh_trends(facts.write(tmp_path / "f.parquet"), REFERENCE, requested_by="t")
    spike = run.spikes.get(level="buurt")
    assert (spike.recent, spike.previous) == (32, None)
    assert spike.explanation.endswith("gestegen van een afgeschermd aantal naar 32.")


def test_a_new_computation_replaces_the_last(town_run: TrendRun, tmp_path: Path) -> None:
    facts = Facts()
    facts.weekly(NOORD, [20] * 16)
    newer = refresh_trends(facts.write(tmp_path / "new.parquet"), REFERENCE, requested_by="t")
    assert list(TrendRun.objects.all()) == [newer]
    assert set(TrendCell.objects.values_list("run", flat=True)) == {newer.pk}
    assert not TrendSpike.objects.exists()
    assert (newer.first_week, newer.last_week, newer.min_cell) == (week(0), week(15), 10)


def test_k_comes_from_the_settings(db: None, tmp_path: Path, settings: Any) -> None:
    settings.TRENDS_MIN_CELL = 13
    run = refresh_trends(town().write(tmp_path / "f.parquet"), REFERENCE, requested_by="t")
    assert run.min_cell == 13
    assert counts(run, "buurt", NOORD) == [15] * 16
    assert all(c is None or c >= 13 for c in run.cells.values_list("count", flat=True))
    settings.TRENDS_MIN_CELL = 1
    with pytest.raises(ImproperlyConfigured):
        refresh_trends(town().write(tmp_path / "g.parquet"), REFERENCE, requested_by="t")


def test_signals_are_counted_per_buurt_under_their_rules_name(db: None, tmp_path: Path) -> None:
    municipality = Organisation.objects.create(
        code="gemeente-almelo", name="Gemeente Almelo", kind="municipality"
    )
    team = Team.objects.create(
        code="wijkteam", name="Wijkteam", organisation=municipality, role="social_worker",
        activity="sociaal-domein",
    )  # fmt: skip
    rule = SignalRule.objects.create(
        code="lege-nest", version=1, name="Zorgen na vertrek kinderen", description="-",
        activity="proactieve-hulp", spec={}, explanation="-", resident_explanation="-",
        action="taak", team=team, severity=Severity.LOW, retention_days=30,
        valid_from=dt.date(2024, 1, 1), content_sha256="0" * 64, source_file="-",
    )  # fmt: skip
    # 12 signals in the last week, 3 in each of the seven before it.
    days = [week(15)] * 12 + [week(n) for n in range(8, 15) for _ in range(3)]
    for n, day in enumerate(days):
        Signal.objects.create(
            rule=rule, party=Party.objects.create(party_type="person"), subject=f"s{n}",
            fingerprint=f"f{n}", reference_date=REFERENCE, explanation="-",
            resident_explanation="-", buurt_code=ZUID, team=team,
            created_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10))),
            delete_after=dt.date(2026, 1, 1),
        )  # fmt: skip
    run = refresh_trends(Facts().write(tmp_path / "f.parquet"), REFERENCE, requested_by="t")
    assert counts(run, "buurt", ZUID, "Zorgen na vertrek kinderen")[-2:] == [None, 12]
    assert run.spikes.get(level="buurt").explanation == (
        "Signalen van de regel 'Zorgen na vertrek kinderen' in buurt Binnenstad-Zuid zijn in "
        "8 weken gestegen van een afgeschermd aantal naar 33."
    )
