"""A signal's facts and evidence as the worker and the resident read them."""

from __future__ import annotations

from dataclasses import dataclass

from klantocratie.analytics.vocabulary import FACT_KINDS

from . import services
from .models import ReactionKind, Signal
from .rendering import display_value, shown_facts


@dataclass(frozen=True)
class FactLine:
    label: str
    value: str


@dataclass(frozen=True)
class EvidenceRow:
    reference: str
    meaning: str
    at: str
    category: str
    amount: str
    organisation: str
    source: str
    contested: bool


def fact_lines(signal: Signal) -> list[FactLine]:
    condition = services.condition_of(signal.rule)
    shown = shown_facts(condition, signal.facts)
    return [FactLine(fact.label, shown[fact.name]) for fact in condition.facts]


def evidence_rows(
    signal: Signal, organisations: dict[str, str], sources: dict[str, str]
) -> list[EvidenceRow]:
    contested = {
        reaction.reference
        for reaction in signal.reactions.all()
        if reaction.kind == ReactionKind.CONTEST and reaction.reference
    }
    rows = []
    for item in signal.evidence:
        kind = FACT_KINDS.get(item["kind"])
        amount = item.get("amount")
        rows.append(
            EvidenceRow(
                reference=item["reference"],
                meaning=kind.meaning if kind else item["kind"],
                at=display_value(item["at"], is_date=True, is_money=False)
                if item.get("at")
                else "",
                category=item.get("category") or "",
                amount=display_value(amount, is_date=False, is_money=True) if amount else "",
                organisation=organisations.get(item["organisation"], item["organisation"]),
                source=sources.get(item["source"], item["source"]),
                contested=item["reference"] in contested,
            )
        )
    return rows
