"""Container weighings as the waste company delivers them in a partner file."""

from __future__ import annotations

from typing import Any

from klantocratie.imports.registry import Importer, register
from klantocratie.imports.schema import KEY, Column, Values, amount, one_of, past_date

from .models import Fraction, Weighing

COLUMNS = (
    Column("datum", past_date, required=True, description="datum van de weging"),
    Column(
        "fractie",
        one_of({value: value for value in Fraction.values}),
        required=True,
        description="restafval, gft of papier",
    ),
    Column(
        "kg",
        amount(max_digits=6, decimal_places=1, unit="kg"),
        required=True,
        description="gewicht in kilo, hoogstens één decimaal (12,5)",
    ),
)


def to_model(values: Values) -> dict[str, Any]:
    return {
        "reference": values[KEY],
        "bsn": values["bsn"] or "",
        "date": values["datum"],
        "fraction": values["fractie"],
        "kg": values["kg"],
    }


IMPORTER = register(
    Importer(
        connector="local.waste",
        title="wegingen van containers",
        model=Weighing,
        columns=COLUMNS,
        unique_fields=("reference",),
        to_model=to_model,
    )
)
