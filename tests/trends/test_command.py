"""`klantocratie refresh-trends` on the demo municipality, through the gate."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from klantocratie.analytics.models import Snapshot
from klantocratie.parties.models import Party
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.trends.models import TrendCell, TrendRun
from tests.frontoffice.conftest import demo  # noqa: F401  (re-exported fixture)


@pytest.fixture
def analytics_dir(settings: Any, tmp_path: Path) -> Path:
    settings.ANALYTICS_DIR = tmp_path
    return tmp_path


def test_refresh_builds_a_snapshot_and_publishes_its_trends(
    demo: Party,  # noqa: F811
    analytics_dir: Path,
    settings: Any,
) -> None:
    settings.TRENDS_MIN_CELL = 2  # the demo town of 60 is small
    out = io.StringIO()
    call_command("refresh_trends", "--no-progress", "--requested-by", "bram", stdout=out)
    run = TrendRun.objects.get()
    assert run.snapshot_uuid is not None
    snapshot = Snapshot.objects.get(uuid=run.snapshot_uuid)
    assert (snapshot.activity_id.split("@")[0], snapshot.requested_by) == ("beleidsanalyse", "bram")
    assert run.reference_date == snapshot.reference_date
    assert ProcessingLogRecord.objects.filter(trace_id=snapshot.trace_id).exists()
    # beleidsanalyse keeps aggregated outcomes only: the facts are gone.
    assert list(analytics_dir.glob("*.parquet")) == []
    assert all(c is None or c >= 2 for c in TrendCell.objects.values_list("count", flat=True))
    assert "Buurttrends per" in out.getvalue()


def test_refresh_without_grants_fails_clearly(db: None, analytics_dir: Path) -> None:
    with pytest.raises(CommandError, match="konden niet worden opgehaald"):
        call_command("refresh_trends", "--no-progress")
    assert not TrendRun.objects.exists()
