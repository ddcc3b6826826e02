"""Connector of the weighing register: the last twelve months of container weighings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Max

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register
from klantocratie.sources.common import iso
from klantocratie.sources.linked import PartyRows

from .models import Weighing

KEY = "local.waste"
_WINDOW = timedelta(days=365)


def read_weighings(party: PartyRef) -> list[dict[str, Any]]:
    own = PartyRows(Weighing.objects.all(), KEY, party)
    # The window ends at the account's latest weighing rather than today, so a register
    # that was last synchronised a while ago (or frozen demo data) still shows a year.
    latest = own.rows.aggregate(latest=Max("date"))["latest"]
    if latest is None:
        return []
    rows = (
        own.rows.filter(date__gt=latest - _WINDOW)
        .order_by("-date", "fraction")
        .values_list("date", "fraction", "kg", "bsn", "partner_key")
    )
    return [
        own.labelled(
            {
                "datum": iso(day),
                "fractie": fraction,
                "kg": float(kg),
            },
            bsn,
            reference,
        )
        for day, fraction, kg, bsn, reference in rows
    ]


@register(KEY)
class WasteConnector(LocalRegistryConnector):
    health_model = Weighing
    readers = {"waste.weighings": read_weighings}
