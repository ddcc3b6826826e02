import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from klantocratie.registry.models import Source

from .base import connector_for

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceHealth:
    code: str
    name: str
    organisation: str
    ok: bool
    detail: str
    checked_at: datetime


def source_health() -> list[SourceHealth]:
    """Ask every source whether it answers now. A health check never raises."""
    report = []
    for source in Source.objects.select_related("organisation").order_by("code"):
        if not source.active:
            ok, detail = False, "bron staat uit"
        else:
            try:
                health = connector_for(source).health()
                ok, detail = health.ok, health.detail
            except Exception as error:
                logger.warning("Health check of %s failed: %s", source.code, error)
                ok, detail = False, str(error) or error.__class__.__name__
        report.append(
            SourceHealth(
                source.code, source.name, source.organisation.name, ok, detail, timezone.now()
            )
        )
    return report
