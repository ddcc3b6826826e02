"""Reads about import batches and what they loaded."""

from __future__ import annotations

from django.db.models import QuerySet

from klantocratie.linkage.models import PartnerRecord
from klantocratie.registry.models import Source

from .models import BatchStatus, ImportBatch
from .registry import importers


def importable_sources() -> QuerySet[Source]:
    """Sources whose connector has a registered import format."""
    connectors = [importer.connector for importer in importers()]
    return Source.objects.filter(connector__in=connectors).order_by("name")


def earlier_import(source: Source, sha256: str) -> ImportBatch | None:
    """The first batch that loaded this very file into this source, if any."""
    return (
        ImportBatch.objects.filter(source=source, sha256=sha256, status=BatchStatus.LOADED)
        .order_by("created_at", "pk")
        .first()
    )


def records_of(batch: ImportBatch) -> QuerySet[PartnerRecord]:
    """The partner records a batch created or changed and no later batch changed again.

    Unchanged rows are not written, so they are not among them. Found by time: a batch
    writes its records between its start and its finish, and only imports write partner
    records. Two imports into one source at the same time would share their window.
    """
    if batch.status != BatchStatus.LOADED or batch.started_at is None or batch.finished_at is None:
        return PartnerRecord.objects.none()
    return PartnerRecord.objects.filter(
        source=batch.source,
        updated_at__gte=batch.started_at,
        updated_at__lte=batch.finished_at,
    )
