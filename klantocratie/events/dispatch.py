"""Deliver outbox events to the subscribers in this process, at least once.

Apps subscribe a handler to an event type in their `ready()`. After each commit that
emitted events, `publish_pending` runs (inline in the embedded default, as a Celery
task in production): it takes unpublished events in order, hands each to every
subscriber of its type and marks it published. A handler that fails leaves its event
unpublished so the next run delivers it again, and holds back the later events of the
same subject so they never overtake it; handlers are therefore idempotent.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .models import Event

logger = logging.getLogger(__name__)

Handler = Callable[[Event], None]
_subscribers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(event_type: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if handler not in _subscribers[event_type]:
            _subscribers[event_type].append(handler)
        return handler

    return register


def subscribers(event_type: str) -> list[Handler]:
    return list(_subscribers.get(event_type, []))


def publish_pending(batch: int = 200) -> int:
    """Deliver unpublished events, oldest first; return how many were published."""
    published = 0
    while True:
        with transaction.atomic():
            events = list(
                Event.objects.select_for_update(skip_locked=True)
                .filter(published_at__isnull=True)
                .order_by("time", "id")[:batch]
            )
            if not events:
                return published
            done = []
            # Events about one subject (e.g. one case) stay in order: after a failure,
            # later events of that subject wait for the next run too.
            held_back: set[str] = set()
            for event in events:
                if event.subject and event.subject in held_back:
                    continue
                try:
                    with transaction.atomic():
                        for handler in subscribers(event.type):
                            handler(event)
                except Exception:
                    # Left unpublished: the next run tries again.
                    logger.exception("Event %s (%s) not delivered", event.id, event.type)
                    held_back.add(event.subject)
                    continue
                done.append(event.pk)
            Event.objects.filter(pk__in=done).update(published_at=timezone.now())
            published += len(done)
            if len(done) < len(events) or len(events) < batch:
                return published


def publish_after_commit() -> None:
    """Schedule delivery once the current transaction commits.

    Robust: the change is committed either way, so a broker that cannot take the task
    must not turn a saved change into an error page; the beat job delivers it later.
    """
    from .tasks import publish_events

    transaction.on_commit(publish_events.delay, robust=True)
