"""Arrears reports as creditors deliver them in a partner file (vroegsignalering).

One file may hold reports of several creditors, and two creditors may use the same
kenmerk, so a report is known by creditor and kenmerk together: in this register
(creditor, reference) and as a PartnerRecord by `partner_reference`.
"""

from __future__ import annotations

from typing import Any

from klantocratie.imports.registry import Importer, register
from klantocratie.imports.schema import (
    KEY,
    KEY_MAX_LENGTH,
    Column,
    Values,
    amount,
    one_of,
    past_date,
    text,
)

from .models import ArrearsKind, ArrearsReport

COLUMNS = (
    Column(
        "schuldeiser",
        text(64),
        required=True,
        description="code van de schuldeiser, zoals woonstichting-twente",
    ),
    Column("naam_schuldeiser", text(200), required=True, description="naam van de schuldeiser"),
    Column(
        "soort",
        one_of({value: value for value in ArrearsKind.values}),
        required=True,
        description="huur, energie, water of zorgverzekering",
    ),
    Column(
        "bedrag",
        amount(max_digits=9, decimal_places=2, unit="euro"),
        required=True,
        description="achterstand in euro, hoogstens twee decimalen (123,45)",
    ),
    Column("achterstand_sinds", past_date, required=True, description="sinds wanneer"),
    Column("gemeld_op", past_date, required=True, description="datum van de melding"),
)


def partner_reference(creditor: str, reference: str) -> str:
    """The PartnerRecord reference of a creditor's report."""
    return f"{creditor}:{reference}"


def record_key(values: Values) -> str:
    return partner_reference(values["schuldeiser"], values[KEY])


def check(values: Values) -> list[tuple[str, str]]:
    problems = []
    if values["achterstand_sinds"] > values["gemeld_op"]:
        problems.append(("achterstand_sinds", "De achterstand kan niet na de melding beginnen."))
    if len(record_key(values)) > KEY_MAX_LENGTH:
        problems.append(
            (
                KEY,
                f"Schuldeiser en kenmerk samen zijn hoogstens {KEY_MAX_LENGTH - 1} tekens.",
            )
        )
    return problems


def to_model(values: Values) -> dict[str, Any]:
    return {
        "creditor": values["schuldeiser"],
        "reference": values[KEY],
        "bsn": values["bsn"] or "",
        "creditor_name": values["naam_schuldeiser"],
        "kind": values["soort"],
        "amount": values["bedrag"],
        "overdue_since": values["achterstand_sinds"],
        "reported_on": values["gemeld_op"],
    }


IMPORTER = register(
    Importer(
        connector="local.arrears",
        title="meldingen van betalingsachterstanden",
        model=ArrearsReport,
        columns=COLUMNS,
        unique_fields=("creditor", "reference"),
        to_model=to_model,
        record_key=record_key,
        key_columns=("schuldeiser", KEY),
        check=check,
    )
)
