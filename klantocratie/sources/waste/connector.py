"""Connector of the weighing register: the last twelve months of container weighings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import DateField, ExpressionWrapper, Max, Subquery

from klantocratie.connectors.base import LocalRegistryConnector, PartyRef, register
from klantocratie.sources.common import iso

from .models import Weighing

_WINDOW = timedelta(days=365)


def read_weighings(party: PartyRef) -> list[dict[str, Any]]:
    # The window ends at the account's latest weighing rather than today, so a register
    # that was last synchronised a while ago (or frozen demo data) still shows a year.
    latest = (
        Weighing.objects.filter(bsn=party.value)
        .values("bsn")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    window_start = ExpressionWrapper(Subquery(latest) - _WINDOW, output_field=DateField())
    rows = (
        Weighing.objects.filter(bsn=party.value, date__gt=window_start)
        .order_by("-date", "fraction")
        .values_list("date", "fraction", "kg")
    )
    return [{"datum": iso(day), "fractie": fraction, "kg": float(kg)} for day, fraction, kg in rows]


@register("local.waste")
class WasteConnector(LocalRegistryConnector):
    health_model = Weighing
    readers = {"waste.weighings": read_weighings}
