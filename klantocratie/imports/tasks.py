from __future__ import annotations

from celery import shared_task

from .services import run_queued


@shared_task(name="klantocratie.imports.tasks.run_import_batch")
def run_import_batch(batch_id: int) -> str:
    """Load an uploaded partner file; returns the batch's status."""
    return run_queued(batch_id).status
