"""Helpers shared by the local source registries: value formatting and a view-only admin.

Readers hand their values to the privacy gate, which serialises them to JSON and shows
them to Dutch users, so dates become ISO strings and money becomes float euros here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.http import HttpRequest


def iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def euros(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """A registry's rows are changed by its own organisation or through the privacy gate.

    The admin only lets staff look up rows (by exact key, so lookups stay indexed on
    tables with a million rows) and never counts the full table.
    """

    show_full_result_count = False
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
