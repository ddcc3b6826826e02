from __future__ import annotations

from celery import shared_task

from . import services
from .services import run_queued


@shared_task(name="klantocratie.imports.tasks.run_import_batch")
def run_import_batch(batch_id: int) -> str:
    """Load an uploaded partner file, then link what it brought; returns its status."""
    from klantocratie.linkage.tasks import link_source_task

    batch = run_queued(batch_id)
    if batch.created + batch.updated:
        link_source_task.delay(batch.source_id)
    return batch.status


@shared_task(name="klantocratie.imports.tasks.purge_rejects")
def purge_rejects() -> int:
    return services.purge_rejects()
