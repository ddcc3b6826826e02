from typing import Any

from django.utils import timezone

from .dispatch import publish_after_commit
from .models import Event


def emit(
    type: str, *, source: str, subject: str = "", data: dict[str, Any], trace_id: str = ""
) -> Event:
    """Record an event in the outbox; call inside the transaction of the change.

    Subscribers get it once the transaction commits (see dispatch).
    """
    event = Event.objects.create(
        type=type, source=source, subject=subject, time=timezone.now(), data=data, trace_id=trace_id
    )
    publish_after_commit()
    return event
