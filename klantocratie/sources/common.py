"""Helpers shared by the local source registries: value formatting.

Readers hand their values to the privacy gate, which serialises them to JSON and shows
them to Dutch users, so dates become ISO strings and money becomes float euros here.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def euros(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def of_keys(rows: QuerySet[Any], keys: Collection[str] | None, field: str = "bsn") -> QuerySet[Any]:
    """Rows of all parties (keys None) or of the given source keys, in a stable order.

    Fact readers stream whole registries for analysis; ordering by primary key keeps
    two extractions of the same data identical.
    """
    if keys is not None:
        rows = rows.filter(**{f"{field}__in": keys})
    return rows.order_by("pk")


def format_postcode(postcode: str) -> str:
    """'7607AB' -> '7607 AB', the way PostNL prints it on an envelope."""
    return f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode


def format_address(
    street: str,
    house_number: int | None,
    house_letter: str,
    house_number_addition: str,
    postcode: str,
    city: str,
) -> str:
    """One-line Dutch address: 'Grotestraat 12A-2, 7607 AB Almelo'."""
    number = "" if house_number is None else str(house_number)
    number += house_letter
    if house_number_addition:
        number += f"-{house_number_addition}"
    first = f"{street} {number}".strip()
    second = f"{format_postcode(postcode)} {city}".strip()
    return ", ".join(part for part in (first, second) if part)
