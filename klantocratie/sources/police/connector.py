"""Connector of the police report register: reports a person filed."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from klantocratie.connectors.base import (
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)
from klantocratie.sources.common import iso
from klantocratie.sources.linked import PartyRows, keyed_rows

from .models import Report

KEY = "local.police"


def read_reports(party: PartyRef) -> list[dict[str, Any]]:
    own = PartyRows(Report.objects.all(), KEY, party)
    rows = own.rows.order_by("-date", "-id").values_list(
        "date", "kind", "description", "bsn", "partner_key"
    )
    return [
        own.labelled(
            {
                "datum": iso(day),
                "soort": kind,
                "omschrijving": text,
            },
            bsn,
            reference,
        )
        for day, kind, text, bsn, reference in rows
    ]


def report_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    for bsn, (pk, day, kind) in keyed_rows(Report.objects.all(), KEY, keys, ("pk", "date", "kind")):
        yield Fact(PartyRef("bsn", bsn), "melding.politie", day, kind, reference=f"melding-{pk}")


@register(KEY)
class PoliceConnector(LocalRegistryConnector):
    health_model = Report
    readers = {"police.reports": read_reports}
    fact_readers = {"police.reports": report_facts}
