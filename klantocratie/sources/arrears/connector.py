"""Connector of the early-warning register: the arrears creditors reported."""

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

from .models import ArrearsReport


def read_reports(party: PartyRef) -> list[dict[str, Any]]:
    rows = ArrearsReport.objects.filter(bsn=party.value).order_by("-reported_on", "-pk")
    return [
        {
            "soort": report.get_kind_display(),
            "schuldeiser": report.creditor_name,
            "bedrag": euros(report.amount),
            "achterstand_sinds": iso(report.overdue_since),
            "gemeld_op": iso(report.reported_on),
            "terugmelding": report.get_feedback_display(),
        }
        for report in rows
    ]


def report_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Each open report, dated from when the arrears began, at the creditor."""
    rows = of_keys(ArrearsReport.objects.filter(feedback=""), keys)
    for bsn, creditor, kind, reference, amount, since in rows.values_list(
        "bsn", "creditor", "kind", "reference", "amount", "overdue_since"
    ).iterator(chunk_size=STREAM_CHUNK):
        yield Fact(
            PartyRef("bsn", bsn),
            f"achterstand.{kind}",
            since,
            kind,
            amount=float(amount),
            organisation=creditor,
            reference=reference,
        )


@register("local.arrears")
class ArrearsConnector(LocalRegistryConnector):
    health_model = ArrearsReport
    readers = {"arrears.reports": read_reports}
    fact_readers = {"arrears.reports": report_facts}
