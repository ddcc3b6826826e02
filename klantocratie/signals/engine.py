"""Evaluate signal rules on a table of facts, on whichever Ibis backend holds it.

DuckDB runs it on one machine (the embedded default); the same compiled expressions
run on Spark for a region or the nation (see `spark.py`). The engine only reads the
pseudonymised snapshot and returns firings; `services.py` turns them into signals.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from .conditions import Condition, compile_condition, evidence, fact_value

# Evidence kept per signal: the most recent facts, enough to explain, not a dossier.
MAX_EVIDENCE = 50
EVIDENCE_COLUMNS = (
    "kind",
    "at",
    "category",
    "amount",
    "organisation",
    "source",
    "element",
    "reference",
)


@dataclass(frozen=True)
class RuleToRun:
    identifier: str  # "code@version"
    condition: Condition


@dataclass(frozen=True)
class Firing:
    rule: str
    subject: str
    facts: dict[str, Any]
    evidence: tuple[dict[str, Any], ...]
    buurt_code: str

    @property
    def fingerprint(self) -> str:
        payload = json.dumps([self.rule, self.subject, self.facts], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()


def duckdb_facts(source: Any) -> ir.Table:
    """A facts table in DuckDB from a Parquet path or an in-memory Arrow table."""
    con = ibis.duckdb.connect()
    if isinstance(source, str):
        return con.read_parquet(source, table_name="facts")
    return con.create_table("facts", source)


def _row(record: dict[str, Any]) -> dict[str, Any]:
    row = {column: record[column] for column in EVIDENCE_COLUMNS}
    at = row["at"]
    row["at"] = at.isoformat() if at is not None else None
    return row


def current_buurt(facts: ir.Table, subjects: ir.Table) -> dict[str, str]:
    """Each fired person's buurt, for counting signals per neighbourhood."""
    homes = facts.filter(facts.kind == "persoon.woont").semi_join(subjects, "subject")
    latest = homes.group_by("subject").aggregate(buurt=homes.category.argmax(homes.at))
    return {row["subject"]: row["buurt"] or "" for row in latest.to_pyarrow().to_pylist()}


def evaluate(
    facts: ir.Table,
    rules: Sequence[RuleToRun],
    reference_date: date,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[Firing]:
    """Every rule on every person in `facts`, in a stable order (rule, subject)."""
    firings: list[Firing] = []
    for rule in rules:
        if progress:
            progress(rule.identifier)
        fired = compile_condition(facts, rule.condition, reference_date)
        rows = fired.to_pyarrow().to_pylist()
        if not rows:
            continue
        supporting: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in (
            evidence(facts, rule.condition, fired, reference_date).to_pyarrow().to_pylist()
        ):
            supporting[record["subject"]].append(_row(record))
        buurten = current_buurt(facts, fired.select("subject"))
        specs = rule.condition.facts
        for row in rows:
            subject = row["subject"]
            firings.append(
                Firing(
                    rule=rule.identifier,
                    subject=subject,
                    facts={spec.name: fact_value(spec, row[spec.name]) for spec in specs},
                    evidence=tuple(supporting[subject][-MAX_EVIDENCE:]),
                    buurt_code=buurten.get(subject, ""),
                )
            )
    return firings
