"""Connector of the trade register: a person's businesses, a business's registration."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from klantocratie.connectors.base import (
    STREAM_CHUNK,
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)
from klantocratie.sources.common import iso, of_keys

from .models import Business, BusinessRole, Establishment, LegalForm

_LEGAL_FORM_WORDS = {code: str(label) for code, label in LegalForm.choices}


def read_person_businesses(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        BusinessRole.objects.filter(bsn=party.value)
        .order_by("business_id")
        .values_list("business_id", "business__trade_name", "role")
    )
    return [{"kvk_nummer": kvk, "handelsnaam": name, "rol": role} for kvk, name, role in rows]


def read_registration(party: PartyRef) -> dict[str, Any] | None:
    found = list(Business.objects.filter(kvk_number=party.value)[:1])
    if not found:
        return None
    business = found[0]
    return {
        "handelsnaam": business.trade_name,
        "kvk_nummer": business.kvk_number,
        "rsin": business.rsin or None,
        "rechtsvorm": _LEGAL_FORM_WORDS[business.legal_form],
        "sbi_code": business.sbi_code,
        "sbi_omschrijving": business.sbi_description,
        "adres": business.address,
        "thuisgevestigd": business.home_based,
        "inschrijfdatum": iso(business.registration_date),
    }


def read_establishments(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        Establishment.objects.filter(business_id=party.value)
        .order_by("-is_main", "establishment_number")
        .values_list("establishment_number", "address", "is_main")
    )
    return [
        {"vestigingsnummer": number, "adres": address, "hoofdvestiging": is_main}
        for number, address, is_main in rows
    ]


def business_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """A business a person runs, from its registration; home-based or in business premises."""
    rows = of_keys(BusinessRole.objects.all(), keys)
    for pk, bsn, registered, at_home in rows.values_list(
        "pk", "bsn", "business__registration_date", "business__home_based"
    ).iterator(chunk_size=STREAM_CHUNK):
        yield Fact(
            PartyRef("bsn", bsn),
            "onderneming.gestart",
            registered,
            "thuisgevestigd" if at_home else "bedrijfspand",
            reference=f"functie-{pk}",
        )


@register("local.traderegister")
class TradeRegisterConnector(LocalRegistryConnector):
    health_model = Business
    readers = {
        "person.businesses": read_person_businesses,
        "business.registration": read_registration,
        "business.establishments": read_establishments,
    }
    fact_readers = {"person.businesses": business_facts}
