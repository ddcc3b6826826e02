"""Connector of the police report register: reports a person filed."""

from __future__ import annotations

from typing import Any

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register
from klantocratie.sources.common import iso

from .models import Report


def read_reports(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        Report.objects.filter(bsn=party.value)
        .order_by("-date", "-id")
        .values_list("date", "kind", "description")
    )
    return [{"datum": iso(day), "soort": kind, "omschrijving": text} for day, kind, text in rows]


@register("local.police")
class PoliceConnector(LocalRegistryConnector):
    health_model = Report
    readers = {"police.reports": read_reports}
