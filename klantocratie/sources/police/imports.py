"""Residents' reports as the police deliver them in a partner file."""

from __future__ import annotations

from typing import Any

from klantocratie.imports.registry import Importer, register
from klantocratie.imports.schema import KEY, Column, Values, past_date, text

from .models import Report

COLUMNS = (
    Column("datum", past_date, required=True, description="datum van de melding"),
    Column(
        "soort", text(50), required=True, description="soort melding, zoals burenruzie of inbraak"
    ),
    Column("omschrijving", text(5000), required=True, description="de melding in woorden"),
)


def to_model(values: Values) -> dict[str, Any]:
    return {
        "reference": values[KEY],
        "bsn": values["bsn"] or "",
        "date": values["datum"],
        "kind": values["soort"],
        "description": values["omschrijving"],
    }


IMPORTER = register(
    Importer(
        connector="local.police",
        title="meldingen bij de politie",
        model=Report,
        columns=COLUMNS,
        unique_fields=("reference",),
        to_model=to_model,
    )
)
