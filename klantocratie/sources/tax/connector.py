"""Connector of the fiscal register: income per year, assessments and tax arrears."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.db.models import Count, Min, Sum

from klantocratie.connectors.base import (
    STREAM_CHUNK,
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)
from klantocratie.sources.common import euros, iso, of_keys

from .models import AnnualIncome, Assessment, AssessmentStatus


def read_annual_income(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        AnnualIncome.objects.filter(bsn=party.value)
        .order_by("-year")
        .values_list("year", "aggregate_income")
    )
    return [{"jaar": year, "verzamelinkomen": euros(amount)} for year, amount in rows]


def read_assessments(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        Assessment.objects.filter(bsn=party.value)
        .order_by("-year", "-due_date")
        .values_list("year", "kind", "amount", "status")
    )
    return [
        {"jaar": year, "soort": kind, "bedrag": euros(amount), "status": status}
        for year, kind, amount, status in rows
    ]


def read_arrears(party: PartyRef) -> dict[str, Any] | None:
    totals = Assessment.objects.filter(
        bsn=party.value, status=AssessmentStatus.COLLECTION
    ).aggregate(total=Sum("outstanding"), since=Min("due_date"), count=Count("id"))
    if not totals["count"]:
        return None
    return {
        "openstaand_bedrag": euros(totals["total"]),
        "sinds": iso(totals["since"]),
        "aantal_aanslagen": totals["count"],
    }


def arrears_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Each assessment in collection: since its due date, for its outstanding amount."""
    rows = of_keys(Assessment.objects.filter(status=AssessmentStatus.COLLECTION), keys)
    for pk, bsn, due, outstanding, kind in rows.values_list(
        "pk", "bsn", "due_date", "outstanding", "kind"
    ).iterator(chunk_size=STREAM_CHUNK):
        yield Fact(
            PartyRef("bsn", bsn),
            "belastingschuld",
            due,
            kind,
            amount=float(outstanding),
            reference=f"aanslag-{pk}",
        )


@register("local.tax")
class TaxConnector(LocalRegistryConnector):
    health_model = AnnualIncome
    readers = {
        "income.annual": read_annual_income,
        "tax.assessments": read_assessments,
        "tax.arrears": read_arrears,
    }
    fact_readers = {"tax.arrears": arrears_facts}
