import logging

from celery import shared_task
from django.core.exceptions import ValidationError

from klantocratie.privacy.errors import GateError
from klantocratie.registry.models import Source

from .services import run_linkage

logger = logging.getLogger(__name__)


@shared_task
def link_source_task(source_id: int) -> dict[str, object]:
    """Link a source's new partner records; eager in the embedded default."""
    source = Source.objects.get(pk=source_id)
    try:
        run = run_linkage(source)
    except (GateError, ValidationError) as error:
        # The records stay unlinked until the register allows linking; nothing is lost.
        logger.warning("Linking %s refused: %s", source.code, error)
        return {"error": str(error)}
    return {"automatic": run.automatic, "review": run.review, "unlinked": run.unlinked}
