"""The creditor's answer: picked up or not, and nothing more (art. 3a lid 4 Wgs).

The signal follow-up publishes the outcome as an event; the register keeps only the
yes/no that the creditor may see.
"""

from __future__ import annotations

from datetime import date

from klantocratie.events.dispatch import subscribe
from klantocratie.events.models import Event

from .models import ArrearsReport, Feedback

FEEDBACK_GIVEN = "nl.klantocratie.vroegsignaal.teruggemeld"


@subscribe(FEEDBACK_GIVEN)
def record_feedback(event: Event) -> None:
    data = event.data
    ArrearsReport.objects.filter(
        creditor=data["schuldeiser"], reference=data["kenmerk"], feedback=""
    ).update(
        feedback=Feedback.PICKED_UP if data["opgepakt"] else Feedback.NOT_PICKED_UP,
        feedback_on=date.fromisoformat(data["datum"]),
    )
