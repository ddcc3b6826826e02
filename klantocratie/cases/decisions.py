"""Decision tables in JDM, the JSON Decision Model of the zen engine.

Policy staff edit a table in any JDM editor (or by hand) and put the file in the pack
next to its case type. The engine accepts a table with a broken cell and then skips
that rule without a word, which would silently change an advice; so every cell is
parsed here first and the table is refused with the rule and column named.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import zen

_engine = zen.ZenEngine()


class DecisionTableInvalid(ValueError):
    """The file is not a table we can evaluate; the message says where and why."""


@dataclass(frozen=True)
class Advice:
    outcome: dict[str, Any]
    # The rule that decided, per table node, so a worker sees why.
    rules: dict[str, str]


def _first_line(error: Exception) -> str:
    # The engine appends a native stack trace; the cause above it is what a person needs.
    text = str(error).split("Stack backtrace")[0].strip()
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def parse(text: str) -> dict[str, Any]:
    """Check a JDM document and return it as data; raise DecisionTableInvalid otherwise."""
    try:
        content = json.loads(text)
    except json.JSONDecodeError as error:
        raise DecisionTableInvalid(
            f"geen geldige JSON (regel {error.lineno}, kolom {error.colno}: {error.msg})"
        ) from error
    if not isinstance(content, dict) or not isinstance(content.get("nodes"), list):
        raise DecisionTableInvalid("verwacht een JDM-document met 'nodes' en 'edges'")
    tables = [n for n in content["nodes"] if n.get("type") == "decisionTableNode"]
    if not tables:
        raise DecisionTableInvalid("het document bevat geen beslistabel (decisionTableNode)")
    for node in tables:
        _check_table(node)
    try:
        _engine.create_decision(json.dumps(content))
    except RuntimeError as error:
        raise DecisionTableInvalid(_first_line(error)) from error
    return content


def _check_table(node: dict[str, Any]) -> None:
    name = node.get("name") or node.get("id") or "?"
    table = node.get("content") or {}
    inputs = {column["id"]: column for column in table.get("inputs", [])}
    outputs = {column["id"]: column for column in table.get("outputs", [])}
    if not outputs:
        raise DecisionTableInvalid(f"tabel '{name}': geen uitvoerkolommen")
    if table.get("hitPolicy") not in ("first", "collect"):
        raise DecisionTableInvalid(f"tabel '{name}': hitPolicy moet 'first' of 'collect' zijn")
    for number, rule in enumerate(table.get("rules", []), start=1):
        for column_id, cell in rule.items():
            if column_id == "_id" or column_id.startswith("_"):
                continue
            if not isinstance(cell, str):
                raise DecisionTableInvalid(f"tabel '{name}', regel {number}: cel is geen tekst")
            if column_id in inputs:
                if not cell.strip():
                    continue
                problem = _compile_error(zen.compile_unary_expression, cell)
                column = inputs[column_id].get("name") or inputs[column_id].get("field")
            elif column_id in outputs:
                problem = _compile_error(zen.compile_expression, cell) if cell.strip() else "leeg"
                column = outputs[column_id].get("name") or outputs[column_id].get("field")
            else:
                raise DecisionTableInvalid(
                    f"tabel '{name}', regel {number}: onbekende kolom '{column_id}'"
                )
            if problem:
                raise DecisionTableInvalid(
                    f"tabel '{name}', regel {number}, kolom '{column}': "
                    f"'{cell}' is geen geldige expressie ({problem})"
                )


def _compile_error(compile_: Any, cell: str) -> str:
    """The parser's complaint about a cell, or '' when it compiles.

    (The engine's validate_* functions reject valid cells such as '> 10', so cells are
    compiled instead.)
    """
    try:
        compile_(cell)
    except RuntimeError as error:
        text = _first_line(error)
        try:
            return str(json.loads(text).get("source", text))
        except ValueError:
            return text
    return ""


def fingerprint(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


# Compiled tables by content hash. A table is immutable once published, so its compiled
# form serves every evaluation of that version; the dict stays as small as the number
# of table versions in use.
_compiled: dict[str, zen.ZenDecision] = {}


def evaluate(content: dict[str, Any], inputs: dict[str, Any], sha256: str = "") -> Advice:
    """Evaluate a table. Pass the stored `sha256` of the table to skip hashing its content."""
    key = sha256 or fingerprint(content)
    decision = _compiled.get(key)
    if decision is None:
        decision = _compiled[key] = _engine.create_decision(json.dumps(content, sort_keys=True))
    try:
        response = decision.evaluate(inputs, {"trace": True})
    except RuntimeError as error:
        raise DecisionTableInvalid(_first_line(error)) from error
    rules = {
        step.get("name") or node_id: str((step.get("traceData") or {}).get("rule", {}).get("_id"))
        for node_id, step in (response.get("trace") or {}).items()
        if isinstance(step.get("traceData"), dict) and "rule" in step["traceData"]
    }
    return Advice(outcome=dict(response.get("result") or {}), rules=rules)


def input_fields(content: dict[str, Any]) -> list[dict[str, str]]:
    """The fields a table reads, with their column names, to build the worker's form."""
    seen: dict[str, dict[str, str]] = {}
    for node in content.get("nodes", []):
        if node.get("type") != "decisionTableNode":
            continue
        for column in node.get("content", {}).get("inputs", []):
            field = column.get("field")
            if field and field not in seen:
                seen[field] = {"field": field, "label": column.get("name") or field}
    return list(seen.values())


def output_fields(content: dict[str, Any]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for node in content.get("nodes", []):
        if node.get("type") != "decisionTableNode":
            continue
        for column in node.get("content", {}).get("outputs", []):
            field = column.get("field")
            if field and field not in seen:
                seen[field] = {"field": field, "label": column.get("name") or field}
    return list(seen.values())
