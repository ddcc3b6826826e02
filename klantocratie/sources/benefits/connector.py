"""Connector of the benefits register: the benefits a person receives now."""

from __future__ import annotations

from typing import Any

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register
from klantocratie.sources.common import euros, iso

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


@register("local.benefits")
class BenefitsConnector(LocalRegistryConnector):
    health_model = Benefit
    readers = {"benefit.active": read_active_benefits}
