"""The region's own case system reports to the case-status index, as partner systems do.

It listens to status events (not to the case tables), so the index stays a separate
source that knows only what every case system tells it: number, organisation, type,
status and dates, keyed on the client's BSN.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from klantocratie.events.dispatch import subscribe
from klantocratie.events.models import Event

from .models import CaseStatus

STATUS_SET = "nl.klantocratie.zaak.status-gezet"


@subscribe(STATUS_SET)
def index_case_status(event: Event) -> None:
    data = event.data
    persons = [c["value"] for c in data.get("betrokkenen", []) if c.get("type") == "bsn"]
    if not persons:
        return
    CaseStatus.objects.update_or_create(
        case_number=data["identificatie"],
        defaults={
            "bsn": persons[0],
            "organisation": data["organisatie"],
            "case_type": data["zaaktype"],
            "status": data["status"],
            "status_date": timezone.localdate(datetime.fromisoformat(data["gezet"])),
            "expected_end": date.fromisoformat(data["uiterlijkeEinddatum"]),
            "closed_on": date.fromisoformat(data["einddatum"]) if data.get("einddatum") else None,
        },
    )
