"""Connector of the police report register: reports a person filed."""

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

from .models import Report


def read_reports(party: PartyRef) -> list[dict[str, Any]]:
    rows = (
        Report.objects.filter(bsn=party.value)
        .order_by("-date", "-id")
        .values_list("date", "kind", "description")
    )
    return [{"datum": iso(day), "soort": kind, "omschrijving": text} for day, kind, text in rows]


def report_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    rows = of_keys(Report.objects.all(), keys)
    for pk, bsn, day, kind in rows.values_list("pk", "bsn", "date", "kind").iterator(
        chunk_size=STREAM_CHUNK
    ):
        yield Fact(PartyRef("bsn", bsn), "melding.politie", day, kind, reference=f"melding-{pk}")


@register("local.police")
class PoliceConnector(LocalRegistryConnector):
    health_model = Report
    readers = {"police.reports": read_reports}
    fact_readers = {"police.reports": report_facts}
