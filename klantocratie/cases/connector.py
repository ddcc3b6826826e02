"""Connector of the case system: a party's cases here, open and closed, for the client view.

The gate decides who may see this. The connector hands out what a colleague at
another organisation may know of a case (number, type, organisation, status, dates),
never its file: documents, tasks and notes are read on the case page itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register

from .models import Case

RECENT_CASES = 20


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def read_cases(party: PartyRef) -> list[dict[str, Any]]:
    cases = (
        Case.objects.filter(
            roles__identifier_type=party.identifier_type, roles__identifier=party.value
        )
        .select_related("organisation", "case_type_version", "current_status__status_type")
        .distinct()
        .order_by("end_date", "-start_date", "-id")[:RECENT_CASES]
    )
    return [
        {
            "zaaknummer": case.identification,
            "organisatie": case.organisation.name,
            "zaaktype": case.case_type_version.description,
            "omschrijving": case.description,
            "status": (case.current_status.status_type.description if case.current_status else ""),
            "startdatum": iso(case.start_date),
            "uiterlijke_einddatum": iso(case.deadline),
            "einddatum": iso(case.end_date),
        }
        for case in cases
    ]


@register("local.cases")
class CaseSystemConnector(LocalRegistryConnector):
    health_model = Case
    readers = {"case.files": read_cases, "case.business_files": read_cases}
