"""Connector of the case-status register: a person's open cases at every organisation."""

from __future__ import annotations

from typing import Any

from klantocratie.connectors.base import (
    LocalRegistryConnector,
    PartyRef,
    SearchCriteria,
    register,
)
from klantocratie.sources.common import iso

from .models import CaseStatus


def read_open_cases(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        CaseStatus.objects.filter(bsn=party.value, closed_on__isnull=True)
        .order_by("-status_date", "case_number")
        .values_list(
            "case_number", "organisation", "case_type", "status", "status_date", "expected_end"
        )
    )
    return [
        {
            "zaaknummer": number,
            "organisatie": organisation,
            "zaaktype": case_type,
            "status": status,
            "statusdatum": iso(status_date),
            "verwachte_einddatum": iso(expected_end),
        }
        for number, organisation, case_type, status, status_date, expected_end in rows
    ]


def find_by_case_number(criteria: SearchCriteria) -> list[PartyRef]:
    """The person a case belongs to, open or closed: callers quote old letters too."""
    number = criteria["cases.open"]["zaaknummer"]
    rows = CaseStatus.objects.filter(case_number=number).values_list("bsn", flat=True)[:1]
    return [PartyRef("bsn", bsn) for bsn in rows]


@register("local.casestatus")
class CaseStatusConnector(LocalRegistryConnector):
    health_model = CaseStatus
    readers = {"cases.open": read_open_cases}
    search_elements = frozenset({"cases.open"})
    finder = find_by_case_number
