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
    # The newest home; one without a start date only when there is no dated one, and
    # of two since the same day the highest code. Not `argmax`: DuckDB's keeps a home
    # without a date and Spark's (MAX_BY) drops it, and both pick a tie at random.
    order = [homes.at.desc(nulls_first=False), homes.category.desc()]
    ranked = homes.mutate(newest=ibis.row_number().over(group_by="subject", order_by=order))
    latest = ranked.filter(ranked.newest == 0)
    return {row["subject"]: row["category"] or "" for row in latest.to_pyarrow().to_pylist()}


def evaluate(
    facts: ir.Table,
    rules: Sequence[RuleToRun],
    reference_date: date,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[Firing]:
    """Every rule on every person in `facts`, in a stable order (rule, subject)."""
    # Read the snapshot once, keeping the kinds some rule reads and the homes; each
    # rule's queries then scan that in memory instead of the whole file, several times.
    kinds = {kind for rule in rules for kind in rule.condition.kinds} | {"persoon.woont"}
    firings: list[Firing] = []
    with facts.filter(facts.kind.isin(sorted(kinds))).cache() as relevant:
        for rule in rules:
            if progress:
                progress(rule.identifier)
            firings.extend(_fire(relevant, rule, reference_date))
    return firings


def _fire(facts: ir.Table, rule: RuleToRun, reference_date: date) -> list[Firing]:
    result = compile_condition(facts, rule.condition, reference_date).to_pyarrow()
    if not result.num_rows:
        return []
    # The evidence and buurt queries start from the persons fired, as computed; given
    # the expression instead, they would repeat the whole condition inside their own.
    fired = ibis.memtable(result)
    supporting: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in evidence(facts, rule.condition, fired, reference_date).to_pyarrow().to_pylist():
        supporting[record["subject"]].append(_row(record))
    buurten = current_buurt(facts, fired.select("subject"))
    specs = rule.condition.facts
    return [
        Firing(
            rule=rule.identifier,
            subject=row["subject"],
            facts={spec.name: fact_value(spec, row[spec.name]) for spec in specs},
            evidence=tuple(supporting[row["subject"]][-MAX_EVIDENCE:]),
            buurt_code=buurten.get(row["subject"], ""),
        )
        for row in result.to_pylist()
    ]
