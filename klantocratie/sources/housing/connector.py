"""Connector of the tenancy administration: contract, complaints and rent arrears."""

from __future__ import annotations

from typing import Any

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register
from klantocratie.sources.common import euros, iso

from .models import Complaint, RentArrears, Tenancy


def read_contract(party: PartyRef) -> dict[str, Any] | None:
    rows = list(
        Tenancy.objects.filter(bsn=party.value, end_date__isnull=True).values_list(
            "address", "start_date", "base_rent"
        )[:1]
    )
    if not rows:
        return None
    address, start, rent = rows[0]
    return {"adres": address, "ingangsdatum": iso(start), "kale_huur": euros(rent)}


def read_complaints(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        Complaint.objects.filter(bsn=party.value)
        .order_by("-date", "-id")
        .values_list("date", "category", "description", "status")
    )
    return [
        {"datum": iso(day), "categorie": category, "omschrijving": text, "status": status}
        for day, category, text, status in rows
    ]


def read_rent_arrears(party: PartyRef) -> dict[str, Any] | None:
    rows = list(
        RentArrears.objects.filter(bsn=party.value).values_list(
            "amount", "days_overdue", "reported_on"
        )[:1]
    )
    if not rows:
        return None
    amount, days, reported = rows[0]
    return {"bedrag": euros(amount), "dagen_achterstand": days, "gemeld_op": iso(reported)}


@register("local.housing")
class HousingConnector(LocalRegistryConnector):
    health_model = Tenancy
    readers = {
        "tenancy.contract": read_contract,
        "tenancy.complaints": read_complaints,
        "tenancy.rent_arrears": read_rent_arrears,
    }
