"""Connector of the case system: a party's cases here, open and closed, for the client view.

The gate decides who may see this. The connector hands out what a colleague at
another organisation may know of a case (number, type, organisation, status, dates),
never its file: documents, tasks and notes are read on the case page itself.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import Any

from klantocratie.connectors.base import (
    STREAM_CHUNK,
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)

from .models import Case, CaseRole

# Reports in the public space are the municipality's own share of the region's reports.
PUBLIC_SPACE_REPORT = "melding-openbare-ruimte"

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


def case_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Each case a person is a party to: applied for on its start date, by case type.

    A public-space report also counts as a report in its Signalen category, the way
    the other organisations' reports do.
    """
    rows = CaseRole.objects.filter(identifier_type="bsn", party__isnull=False)
    if keys is not None:
        rows = rows.filter(identifier__in=keys)
    for pk, bsn, started, case_type, organisation, properties in (
        rows.order_by("pk")
        .values_list(
            "pk",
            "identifier",
            "case__start_date",
            "case__case_type_version__case_type__identification",
            "case__organisation__code",
            "case__properties",
        )
        .iterator(chunk_size=STREAM_CHUNK)
    ):
        ref, reference = PartyRef("bsn", bsn), f"zaakrol-{pk}"
        yield Fact(
            ref,
            "zaak.aangevraagd",
            started,
            case_type,
            organisation=organisation,
            reference=reference,
        )
        category = (properties or {}).get("categorie")
        if case_type == PUBLIC_SPACE_REPORT and category:
            yield Fact(
                ref,
                "melding.openbare-ruimte",
                started,
                str(category),
                organisation=organisation,
                reference=reference,
            )


@register("local.cases")
class CaseSystemConnector(LocalRegistryConnector):
    health_model = Case
    readers = {"case.files": read_cases, "case.business_files": read_cases}
    fact_readers = {"case.files": case_facts}
