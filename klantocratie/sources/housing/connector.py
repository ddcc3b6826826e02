"""Connector of the tenancy administration: contract, complaints and rent arrears."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import timedelta
from typing import Any

from klantocratie.connectors.base import (
    STREAM_CHUNK,
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)
from klantocratie.sources.common import euros, iso, of_keys
from klantocratie.sources.linked import PartyRows, keyed_rows

from .models import Complaint, RentArrears, Tenancy

KEY = "local.housing"


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
    own = PartyRows(Complaint.objects.all(), KEY, party)
    rows = own.rows.order_by("-date", "-id").values_list(
        "date", "category", "description", "status", "bsn", "partner_key"
    )
    return [
        own.labelled(
            {
                "datum": iso(day),
                "categorie": category,
                "omschrijving": text,
                "status": status,
            },
            bsn,
            reference,
        )
        for day, category, text, status, bsn, reference in rows
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


def complaint_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    fields = ("pk", "date", "category")
    for bsn, (pk, day, category) in keyed_rows(Complaint.objects.all(), KEY, keys, fields):
        yield Fact(
            PartyRef("bsn", bsn), "klacht.verhuurder", day, category, reference=f"klacht-{pk}"
        )


def rent_arrears_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Rent arrears dated from when they began, so a rule can ask how long they run."""
    rows = of_keys(RentArrears.objects.all(), keys)
    for pk, bsn, amount, days, reported in rows.values_list(
        "pk", "bsn", "amount", "days_overdue", "reported_on"
    ).iterator(chunk_size=STREAM_CHUNK):
        yield Fact(
            PartyRef("bsn", bsn),
            "huur.achterstand",
            reported - timedelta(days=days),
            "huur",
            amount=float(amount),
            reference=f"huurachterstand-{pk}",
        )


@register(KEY)
class HousingConnector(LocalRegistryConnector):
    health_model = Tenancy
    readers = {
        "tenancy.contract": read_contract,
        "tenancy.complaints": read_complaints,
        "tenancy.rent_arrears": read_rent_arrears,
    }
    fact_readers = {
        "tenancy.complaints": complaint_facts,
        "tenancy.rent_arrears": rent_arrears_facts,
    }
