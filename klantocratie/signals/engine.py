"""Evaluate signal rules on a table of facts, on whichever Ibis backend holds it.

DuckDB runs it on one machine (the embedded default); the same compiled expressions
run on Spark for a region or the nation (see `spark.py`). The engine only reads the
pseudonymised snapshot and returns firings; `services.py` turns them into signals.

`evaluate_on_duckdb` is the embedded default's fast path: each rule's Ibis expressions
are compiled to DuckDB SQL once per reference date and reused, because building and
compiling them costs more than running them on one person's twenty facts (what an
event re-evaluates). The SQL is the same the Ibis path would send.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from klantocratie.analytics.vocabulary import FACT_SCHEMA

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


def current_buurt(facts: ir.Table, subjects: ir.Table, reference_date: date) -> dict[str, str]:
    """Each fired person's buurt on the reference date, for counting signals per buurt."""
    return _buurten(_current_buurt(facts, subjects, reference_date).to_pyarrow())


def _buurten(latest: pa.Table) -> dict[str, str]:
    return {row["subject"]: row["category"] or "" for row in latest.to_pylist()}


def _current_buurt(facts: ir.Table, subjects: ir.Table, reference_date: date) -> ir.Table:
    # A move after the reference date is not known yet on that date, like any fact.
    known = facts.at.isnull() | (facts.at <= ibis.date(reference_date))
    homes = facts.filter((facts.kind == "persoon.woont") & known).semi_join(subjects, "subject")
    # The newest home; one without a start date only when there is no dated one, and
    # of two since the same day the highest code. Not `argmax`: DuckDB's keeps a home
    # without a date and Spark's (MAX_BY) drops it, and both pick a tie at random.
    order = [homes.at.desc(nulls_first=False), homes.category.desc()]
    ranked = homes.mutate(newest=ibis.row_number().over(group_by="subject", order_by=order))
    return ranked.filter(ranked.newest == 0).select("subject", "category")


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
    return _firings(
        rule,
        result,
        evidence(facts, rule.condition, fired, reference_date).to_pyarrow(),
        current_buurt(facts, fired.select("subject"), reference_date),
    )


def _firings(
    rule: RuleToRun, result: pa.Table, supporting_rows: pa.Table, buurten: dict[str, str]
) -> list[Firing]:
    supporting: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in supporting_rows.to_pylist():
        supporting[record["subject"]].append(_row(record))
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


# --- the embedded default's fast path ------------------------------------------------


@dataclass(frozen=True)
class _RuleSql:
    fired: str
    evidence: str
    buurt: str


def _relevant_kinds(rules: Sequence[RuleToRun]) -> list[str]:
    return sorted({kind for rule in rules for kind in rule.condition.kinds} | {"persoon.woont"})


@lru_cache(maxsize=256)
def _rule_sql(rule: RuleToRun, reference_date: date) -> _RuleSql:
    """The rule's three queries as DuckDB SQL over tables named `facts` and `fired`."""
    facts = ibis.table(ibis.Schema.from_pyarrow(FACT_SCHEMA), name="facts")
    condition = compile_condition(facts, rule.condition, reference_date)
    fired = ibis.table(condition.schema(), name="fired")
    return _RuleSql(
        fired=ibis.to_sql(condition, dialect="duckdb"),
        evidence=ibis.to_sql(
            evidence(facts, rule.condition, fired, reference_date), dialect="duckdb"
        ),
        buurt=ibis.to_sql(
            _current_buurt(facts, fired.select("subject"), reference_date), dialect="duckdb"
        ),
    )


def evaluate_on_duckdb(
    source: str | pa.Table,
    rules: Sequence[RuleToRun],
    reference_date: date,
    *,
    progress: Callable[[str], None] | None = None,
) -> list[Firing]:
    """`evaluate` on DuckDB, from a Parquet path or an Arrow table, with cached SQL."""
    con = duckdb.connect()
    try:
        kinds = _relevant_kinds(rules)
        if isinstance(source, str):
            con.execute(
                "CREATE TEMP TABLE facts AS SELECT * FROM read_parquet(?) WHERE kind IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [source, kinds],
            )
        else:
            con.register("snapshot", source)
            con.execute(
                "CREATE TEMP TABLE facts AS SELECT * FROM snapshot WHERE kind IN "
                "(SELECT unnest(?::VARCHAR[]))",
                [kinds],
            )
        firings: list[Firing] = []
        for rule in rules:
            if progress:
                progress(rule.identifier)
            sql = _rule_sql(rule, reference_date)
            result = con.sql(sql.fired).to_arrow_table()
            if not result.num_rows:
                continue
            con.register("fired", result)
            supporting = con.sql(sql.evidence).to_arrow_table()
            buurten = _buurten(con.sql(sql.buurt).to_arrow_table())
            con.unregister("fired")
            firings.extend(_firings(rule, result, supporting, buurten))
        return firings
    finally:
        con.close()
