from celery import shared_task

from klantocratie.registry.models import Source

from .services import run_linkage


@shared_task
def link_source_task(source_id: int) -> dict[str, object]:
    """Link a source's new partner records; eager in the embedded default."""
    run = run_linkage(Source.objects.get(pk=source_id))
    return {"automatic": run.automatic, "review": run.review, "unlinked": run.unlinked}
