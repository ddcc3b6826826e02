"""Connector of the early-warning register: the arrears creditors reported."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.db.models import CharField, Value
from django.db.models.functions import Concat

from klantocratie.connectors.base import (
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)
from klantocratie.sources.common import euros, iso
from klantocratie.sources.linked import PartyRows, keyed_rows

from .models import ArrearsReport

KEY = "local.arrears"
# Two creditors may use the same kenmerk: the linkage register knows a report by both.
PARTNER_KEY = Concat("creditor", Value(":"), "reference", output_field=CharField())


def read_reports(party: PartyRef) -> list[dict[str, Any]]:
    own = PartyRows(ArrearsReport.objects.all(), KEY, party, PARTNER_KEY)
    rows = own.rows.order_by("-reported_on", "-pk")
    return [
        own.labelled(
            {
                "soort": report.get_kind_display(),
                "schuldeiser": report.creditor_name,
                "bedrag": euros(report.amount),
                "achterstand_sinds": iso(report.overdue_since),
                "gemeld_op": iso(report.reported_on),
                "terugmelding": report.get_feedback_display(),
            },
            report.bsn,
            report.partner_key,
        )
        for report in rows
    ]


def report_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Each open report, dated from when the arrears began, at the creditor."""
    fields = ("creditor", "kind", "reference", "amount", "overdue_since")
    rows = ArrearsReport.objects.filter(feedback="")
    for bsn, (creditor, kind, reference, amount, since) in keyed_rows(
        rows, KEY, keys, fields, PARTNER_KEY
    ):
        yield Fact(
            PartyRef("bsn", bsn),
            f"achterstand.{kind}",
            since,
            kind,
            amount=float(amount),
            organisation=creditor,
            reference=reference,
        )


@register(KEY)
class ArrearsConnector(LocalRegistryConnector):
    health_model = ArrearsReport
    readers = {"arrears.reports": read_reports}
    fact_readers = {"arrears.reports": report_facts}
