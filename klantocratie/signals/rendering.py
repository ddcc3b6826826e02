"""Explanations in plain Dutch: a rule's template filled with the signal's facts."""

from __future__ import annotations

from datetime import date
from typing import Any

from .conditions import Condition


def _euros(amount: float) -> str:
    whole, cents = f"{amount:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"


def display_value(value: Any, *, is_date: bool, is_money: bool) -> str:
    if value is None:
        return "onbekend"
    if is_date:
        return f"{date.fromisoformat(str(value)):%d-%m-%Y}"
    if is_money:
        return _euros(float(value))
    return str(value)


def shown_facts(condition: Condition, facts: dict[str, Any]) -> dict[str, str]:
    return {
        spec.name: display_value(facts.get(spec.name), is_date=spec.is_date, is_money=spec.is_money)
        for spec in condition.facts
    }


def explain(template: str, condition: Condition, facts: dict[str, Any]) -> str:
    """The template with each {fact} as a reader expects it (dates, euros)."""
    return " ".join(template.format_map(shown_facts(condition, facts)).split())
