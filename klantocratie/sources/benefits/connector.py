"""Connector of the benefits register: the benefits a person receives now."""

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
from klantocratie.sources.common import euros, iso, of_keys

from .models import Benefit


def read_active_benefits(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        Benefit.objects.filter(bsn=party.value, end_date__isnull=True)
        .order_by("-start_date")
        .values_list("scheme", "start_date", "monthly_amount")
    )
    return [
        {"regeling": scheme, "sinds": iso(start), "bedrag_per_maand": euros(amount)}
        for scheme, start, amount in rows
    ]


def benefit_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    rows = of_keys(Benefit.objects.filter(end_date__isnull=True), keys)
    for pk, bsn, scheme, start in rows.values_list("pk", "bsn", "scheme", "start_date").iterator(
        chunk_size=STREAM_CHUNK
    ):
        yield Fact(
            PartyRef("bsn", bsn), "uitkering.lopend", start, scheme, reference=f"uitkering-{pk}"
        )


@register("local.benefits")
class BenefitsConnector(LocalRegistryConnector):
    health_model = Benefit
    readers = {"benefit.active": read_active_benefits}
    fact_readers = {"benefit.active": benefit_facts}
