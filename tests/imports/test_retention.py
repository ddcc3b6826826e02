"""Rejects files hold refused rows (personal data): deleted after the retention."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from klantocratie.imports.models import BatchStatus, ImportBatch
from klantocratie.imports.services import purge_rejects
from klantocratie.registry.models import Source
from tests.imports.conftest import Sources

pytestmark = pytest.mark.django_db


def _batch(source: Source, rejects: Path, finished_days_ago: int) -> ImportBatch:
    rejects.write_text("regel;fouten\n2;achternaam ontbreekt\n", encoding="utf-8")
    return ImportBatch.objects.create(
        source=source,
        file_name="meldingen.csv",
        status=BatchStatus.LOADED,
        rejected=1,
        rejects_file=str(rejects),
        requested_by="beheer",
        finished_at=timezone.now() - timedelta(days=finished_days_ago),
    )


def test_old_rejects_files_are_deleted_and_recent_ones_kept(
    tmp_path: Path,
    settings,
    sources: Sources,  # type: ignore[no-untyped-def]
) -> None:
    settings.IMPORT_REJECTS_RETENTION_DAYS = 30
    old = _batch(sources.police, tmp_path / "oud.csv", 31)
    recent = _batch(sources.police, tmp_path / "nieuw.csv", 29)

    assert purge_rejects() == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.rejects_file == "" and not (tmp_path / "oud.csv").exists()
    assert old.rejected == 1  # the counts and problems stay
    assert recent.rejects_file and (tmp_path / "nieuw.csv").exists()
