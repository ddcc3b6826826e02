"""Delivery of queued source changes. Only the gate queues them; only this delivers them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from klantocratie.events.services import emit

from .base import ChangeRejected, PartyRef, SourceUnavailable, connector_for
from .models import ChangeStatus, SourceChange

logger = logging.getLogger(__name__)


def _backoff(attempts: int) -> timedelta:
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def deliver(change: SourceChange, now: datetime | None = None) -> SourceChange:
    """Apply one change at its source, after any older change to the same element.

    Changes to one element of one party reach the source in the order they were made,
    so a retried older value can never overwrite a newer one.
    """
    now = now or timezone.now()
    waiting = _deliver_older(change, now)
    if waiting is not None:
        change.attempts += 1
        change.last_error = "Wacht op een eerdere wijziging van hetzelfde gegeven."
        change.next_attempt_at = max(change.next_attempt_at, waiting.next_attempt_at)
        change.save(update_fields=["last_error", "next_attempt_at", "attempts"])
        return change
    return _attempt(change, now)


def _deliver_older(change: SourceChange, now: datetime) -> SourceChange | None:
    """Deliver the older pending changes of the same element; the first still waiting."""
    older = (
        SourceChange.objects.filter(
            party_id=change.party_id,
            element_id=change.element_id,
            status=ChangeStatus.PENDING,
            pk__lt=change.pk,
        )
        .select_related("source", "element", "party")
        .order_by("pk")
    )
    for earlier in older:
        if _attempt(earlier, now).status == ChangeStatus.PENDING:
            return earlier
    return None


def _attempt(change: SourceChange, now: datetime) -> SourceChange:
    """Try to apply one change at its source and record what happened."""
    change.attempts += 1
    ref = PartyRef(change.identifier_type, change.identifier_value)
    try:
        with transaction.atomic():
            connector_for(change.source).change(ref, change.element.code, change.value)
            change.status, change.delivered_at, change.last_error = ChangeStatus.DELIVERED, now, ""
            change.save(update_fields=["status", "delivered_at", "last_error", "attempts"])
            emit(
                "nl.klantocratie.element.changed",
                source=f"/sources/{change.source.code}",
                subject=str(change.party.uuid),
                data={"element": change.element.code, "change": change.pk},
                trace_id=change.trace_id,
            )
    except ChangeRejected as error:
        change.status, change.last_error = ChangeStatus.REJECTED, str(error)
        change.save(update_fields=["status", "last_error", "attempts"])
    except Exception as error:
        if not isinstance(error, SourceUnavailable):
            logger.exception("Delivering change %s to %s failed", change.pk, change.source.code)
        change.last_error = str(error) or error.__class__.__name__
        change.next_attempt_at = now + _backoff(change.attempts)
        change.save(update_fields=["last_error", "next_attempt_at", "attempts"])
    return change


def deliver_pending(now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Retry every pending change that is due; returns counts per resulting status.

    Each change is locked while it is delivered, so parallel workers never deliver the
    same change twice; one delivered earlier in this round as an older change is skipped.
    """
    now = now or timezone.now()
    due = list(
        SourceChange.objects.filter(status=ChangeStatus.PENDING, next_attempt_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {status: 0 for status in ChangeStatus.values}
    for pk in due:
        with transaction.atomic():
            change = (
                SourceChange.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("source", "element", "party")
                .filter(pk=pk, status=ChangeStatus.PENDING)
                .first()
            )
            if change is not None:
                counts[deliver(change, now).status] += 1
    return counts
