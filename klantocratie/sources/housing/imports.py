"""Tenants' complaints as the housing corporation delivers them in a partner file."""

from __future__ import annotations

from typing import Any

from klantocratie.imports.registry import Importer, register
from klantocratie.imports.schema import KEY, Column, Values, one_of, past_date, text

from .models import Complaint, ComplaintStatus

COLUMNS = (
    Column("datum", past_date, required=True, description="datum van de klacht"),
    Column(
        "categorie",
        text(50),
        required=True,
        description="soort klacht, zoals onderhoud of geluidsoverlast",
    ),
    Column("omschrijving", text(5000), required=True, description="de klacht in woorden"),
    Column(
        "status",
        one_of({label: value for value, label in ComplaintStatus.choices}),
        description="open, in behandeling of afgehandeld; leeg is open",
    ),
)


def to_model(values: Values) -> dict[str, Any]:
    return {
        "reference": values[KEY],
        "bsn": values["bsn"] or "",
        "date": values["datum"],
        "category": values["categorie"],
        "description": values["omschrijving"],
        "status": values["status"] or ComplaintStatus.OPEN,
    }


IMPORTER = register(
    Importer(
        connector="local.housing",
        title="klachten van huurders",
        model=Complaint,
        columns=COLUMNS,
        unique_fields=("reference",),
        to_model=to_model,
    )
)
