"""The condition language of signal rules, and its compilation to Ibis.

Policy staff write a rule's condition as named facts over the analytic snapshot and
one `when` expression over those facts, for example::

    facts:
      - name: kind_vertrokken
        label: Laatste kind uit huis
        latest: {kinds: [huishouden.kind-vertrokken]}
      - name: klachten
        label: Klachten en meldingen sinds dat vertrek
        count: {kinds: [klacht.verhuurder, melding.politie], after: kind_vertrokken}
    when: "klachten >= 3 and days_since(kind_vertrokken) <= 365"

Each fact aggregates a person's facts of the listed kinds: `count`, `distinct`
(of `field`: organisation, category or source), `sum` or `max` (of the amount),
`latest` or `earliest` (a date). Filters: `categories`, `within_days` (before the
reference date), `after` (a date fact named earlier), `min_amount`. The `when`
expression allows and/or/not, comparisons, + - *, numbers, fact names (a date fact
alone means "there is one") and the functions `days_since(date)`,
`years_since(date)` and `days_until_anniversary(date, years)`.

The parser refuses anything else, so a pack file can never run code; the compiler
turns a condition into one Ibis expression, which DuckDB and Spark both execute.
Everything is relative to the snapshot's reference date, never to the clock, so the
same rule on the same snapshot gives the same signals.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import ibis.expr.types as ir

from klantocratie.analytics.vocabulary import FACT_KINDS

AGGREGATIONS = ("count", "distinct", "sum", "max", "latest", "earliest")
DATE_AGGREGATIONS = frozenset({"latest", "earliest"})
DISTINCT_FIELDS = ("organisation", "category", "source")
FUNCTIONS = {"days_since": 1, "years_since": 1, "days_until_anniversary": 2}
# Long enough for any readable condition, short enough that parsing stays trivial.
MAX_WHEN = 500
FILTER_KEYS = {"kinds", "categories", "within_days", "after", "min_amount", "field"}


class ConditionError(ValueError):
    """A condition that cannot be used; `field` names the part that is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class FactSpec:
    name: str
    label: str
    aggregation: str
    kinds: tuple[str, ...]
    field: str = ""
    categories: tuple[str, ...] = ()
    within_days: int | None = None
    after: str | None = None
    min_amount: float | None = None

    @property
    def is_date(self) -> bool:
        return self.aggregation in DATE_AGGREGATIONS

    @property
    def is_money(self) -> bool:
        return self.aggregation in ("sum", "max")


@dataclass(frozen=True)
class Condition:
    facts: tuple[FactSpec, ...]
    when: str
    tree: ast.Expression

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(kind for fact in self.facts for kind in fact.kinds)

    def elements(self) -> frozenset[str]:
        """The data elements the condition reads, through the kinds it names."""
        return frozenset(FACT_KINDS[kind].element for kind in self.kinds)


def _kinds(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(k, str) for k in value):
        raise ConditionError(where, "geef een lijst met soorten feiten")
    unknown = [kind for kind in value if kind not in FACT_KINDS]
    if unknown:
        raise ConditionError(
            where, f"onbekende soort feit: {', '.join(unknown)} (zie docs/signals.md)"
        )
    return tuple(value)


def parse_fact(data: Any, earlier: Mapping[str, FactSpec], position: int) -> FactSpec:
    where = f"facts[{position}]"
    if not isinstance(data, dict):
        raise ConditionError(where, "verwacht naam, label en één telling")
    name = data.get("name")
    if not isinstance(name, str) or not name.isidentifier() or name in FUNCTIONS:
        raise ConditionError(f"{where}.name", "geef een naam van letters, cijfers en _")
    if name in earlier:
        raise ConditionError(f"{where}.name", f"naam {name!r} komt twee keer voor")
    label = data.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ConditionError(f"{where}.label", "geef een omschrijving in gewone taal")
    chosen = [key for key in AGGREGATIONS if key in data]
    extra = sorted(set(data) - {"name", "label", *AGGREGATIONS})
    if extra:
        raise ConditionError(where, f"onbekende velden: {', '.join(extra)}")
    if len(chosen) != 1:
        raise ConditionError(where, f"kies precies één van: {', '.join(AGGREGATIONS)}")
    aggregation = chosen[0]
    options = data[aggregation]
    at = f"{where}.{aggregation}"
    if not isinstance(options, dict):
        raise ConditionError(at, "verwacht kinds en eventueel filters")
    unknown = sorted(set(options) - FILTER_KEYS)
    if unknown:
        raise ConditionError(at, f"onbekende filters: {', '.join(unknown)}")
    field = options.get("field", "")
    if aggregation == "distinct" and field not in DISTINCT_FIELDS:
        raise ConditionError(f"{at}.field", f"kies uit: {', '.join(DISTINCT_FIELDS)}")
    if aggregation != "distinct" and field:
        raise ConditionError(f"{at}.field", "alleen bij distinct")
    categories = options.get("categories", [])
    if isinstance(categories, str):
        categories = [categories]
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise ConditionError(f"{at}.categories", "geef een lijst met categorieën")
    within = options.get("within_days")
    if within is not None and (
        not isinstance(within, int) or isinstance(within, bool) or within < 1
    ):
        raise ConditionError(f"{at}.within_days", "geef een positief aantal dagen")
    after = options.get("after")
    if after is not None and (after not in earlier or not earlier[after].is_date):
        raise ConditionError(
            f"{at}.after", "verwijs naar een eerder genoemd datumfeit (latest of earliest)"
        )
    minimum = options.get("min_amount")
    if minimum is not None and (not isinstance(minimum, int | float) or isinstance(minimum, bool)):
        raise ConditionError(f"{at}.min_amount", "geef een bedrag")
    return FactSpec(
        name=name,
        label=label.strip(),
        aggregation=aggregation,
        kinds=_kinds(options.get("kinds"), f"{at}.kinds"),
        field=field,
        categories=tuple(categories),
        within_days=within,
        after=after,
        min_amount=float(minimum) if minimum is not None else None,
    )


_COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
}


def _check_expression(node: ast.AST, facts: Mapping[str, FactSpec]) -> str:
    """Type of a `when` node ('bool', 'number' or 'date'), refusing anything else."""
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _as_bool(value, facts)
        return "bool"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _as_bool(node.operand, facts)
        return "bool"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _number(node.operand, facts)
    if isinstance(node, ast.Compare):
        if not all(type(op) in _COMPARISONS for op in node.ops):
            raise ConditionError("when", "alleen ==, !=, <, <=, > en >= vergelijken")
        for part in (node.left, *node.comparators):
            _number(part, facts)
        return "bool"
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITHMETIC:
            raise ConditionError("when", "alleen +, - en * rekenen")
        _number(node.left, facts)
        _number(node.right, facts)
        return "number"
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if isinstance(node.value, bool):
            raise ConditionError("when", "gebruik geen true/false; schrijf de voorwaarde uit")
        return "number"
    if isinstance(node, ast.Name):
        if node.id not in facts:
            raise ConditionError("when", f"onbekend feit {node.id!r}")
        return "date" if facts[node.id].is_date else "number"
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else ""
        if name not in FUNCTIONS or node.keywords or len(node.args) != FUNCTIONS[name]:
            raise ConditionError(
                "when",
                "functies: days_since(datum), years_since(datum), "
                "days_until_anniversary(datum, jaren)",
            )
        if _check_expression(node.args[0], facts) != "date":
            raise ConditionError("when", f"{name} verwacht een datumfeit")
        if len(node.args) == 2 and not _whole_number(node.args[1]):
            raise ConditionError("when", f"{name} verwacht een vast aantal jaren, bijv. 67")
        return "number"
    raise ConditionError("when", f"niet toegestaan in een voorwaarde: {ast.unparse(node)!r}")


def _whole_number(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    )


def _number(node: ast.AST, facts: Mapping[str, FactSpec]) -> str:
    kind = _check_expression(node, facts)
    if kind != "number":
        raise ConditionError("when", f"{ast.unparse(node)!r} is geen getal")
    return kind


def _as_bool(node: ast.AST, facts: Mapping[str, FactSpec]) -> None:
    kind = _check_expression(node, facts)
    if kind == "number":
        raise ConditionError(
            "when", f"{ast.unparse(node)!r} is een getal; vergelijk het, bijv. '>= 1'"
        )


def parse_condition(facts_data: Any, when: Any) -> Condition:
    if not isinstance(facts_data, list) or not facts_data:
        raise ConditionError("facts", "geef minstens één feit")
    facts: dict[str, FactSpec] = {}
    for position, data in enumerate(facts_data):
        fact = parse_fact(data, facts, position)
        facts[fact.name] = fact
    if not isinstance(when, str) or not when.strip():
        raise ConditionError("when", "geef de voorwaarde")
    if len(when) > MAX_WHEN:
        raise ConditionError("when", f"houd de voorwaarde korter dan {MAX_WHEN} tekens")
    try:
        tree = ast.parse(when.strip(), mode="eval")
    except SyntaxError as error:
        raise ConditionError("when", f"geen geldige voorwaarde ({error.msg})") from None
    except ValueError:
        # ast refuses NUL bytes with a ValueError rather than a SyntaxError.
        raise ConditionError("when", "geen geldige voorwaarde (onleesbare tekens)") from None
    _as_bool(tree.body, facts)
    return Condition(facts=tuple(facts.values()), when=when.strip(), tree=tree)


# --- compiling to Ibis -------------------------------------------------------------------


def _filtered(facts: ir.Table, spec: FactSpec, reference_date: date) -> ir.Table:
    rows = facts.filter(facts.kind.isin(list(spec.kinds)))
    if spec.categories:
        rows = rows.filter(rows.category.isin(list(spec.categories)))
    if spec.within_days is not None:
        since = ibis.date(reference_date) - ibis.interval(days=spec.within_days)
        rows = rows.filter(rows.at >= since)
    if spec.min_amount is not None:
        rows = rows.filter(rows.amount >= spec.min_amount)
    # Facts after the reference date are not known yet on that date.
    return rows.filter(rows.at.isnull() | (rows.at <= ibis.date(reference_date)))


def _aggregate(rows: ir.Table, spec: FactSpec) -> ir.Scalar:
    if spec.aggregation == "count":
        return rows.count()
    if spec.aggregation == "distinct":
        return rows[spec.field].nunique()
    if spec.aggregation == "sum":
        return rows.amount.sum()
    if spec.aggregation == "max":
        return rows.amount.max()
    if spec.aggregation == "latest":
        return rows.at.max()
    return rows.at.min()


def _counted(facts: ir.Table, spec: FactSpec, reference_date: date, people: ir.Table) -> ir.Table:
    """The facts one fact spec counts; `people` carries the earlier date facts."""
    rows = _filtered(facts, spec, reference_date)
    if spec.after is None:
        return rows
    anchors = people.select("subject", anchor=people[spec.after])
    rows = rows.inner_join(anchors.filter(anchors.anchor.notnull()), "subject")
    return rows.filter(rows.at > rows.anchor).drop("anchor")


def evidence(
    facts: ir.Table, condition: Condition, fired: ir.Table, reference_date: date
) -> ir.Table:
    """The facts behind each fired person's fact values: what the signal rests on."""
    parts = [
        _counted(facts, spec, reference_date, fired).semi_join(fired, "subject")
        for spec in condition.facts
    ]
    union = parts[0]
    for part in parts[1:]:
        union = union.union(part, distinct=False)
    return union.distinct().order_by(["subject", "at", "kind", "reference"])


def compile_condition(facts: ir.Table, condition: Condition, reference_date: date) -> ir.Table:
    """One row per person the condition holds for: `subject` and each fact's value."""
    relevant = facts.filter(facts.kind.isin(sorted(condition.kinds)))
    result = relevant.select("subject").distinct()
    dates: dict[str, ir.Table] = {}
    for spec in condition.facts:
        # A fact counted after a date fact is joined to that fact's values alone; joining
        # the result so far would repeat every earlier fact's query inside this one.
        anchors = dates[spec.after] if spec.after else result
        rows = _counted(facts, spec, reference_date, anchors)
        values = rows.group_by("subject").aggregate(**{spec.name: _aggregate(rows, spec)})
        if spec.is_date:
            dates[spec.name] = values
        result = result.left_join(values, "subject").drop("subject_right")
        if spec.aggregation in ("count", "distinct"):
            result = result.mutate(**{spec.name: result[spec.name].fill_null(0)})
    holds = _truthy(condition.tree.body, result, condition, reference_date)
    return result.filter(holds.fill_null(False)).order_by("subject")


def _compile(node: ast.AST, table: ir.Table, condition: Condition, reference: date) -> Any:
    if isinstance(node, ast.BoolOp):
        values = [_truthy(v, table, condition, reference) for v in node.values]
        combined = values[0]
        for value in values[1:]:
            combined = (combined & value) if isinstance(node.op, ast.And) else (combined | value)
        return combined
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ~_truthy(node.operand, table, condition, reference)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_compile(node.operand, table, condition, reference)
    if isinstance(node, ast.Compare):
        parts = [_compile(p, table, condition, reference) for p in (node.left, *node.comparators)]
        result = None
        for op, left, right in zip(node.ops, parts, parts[1:], strict=False):
            clause = _COMPARISONS[type(op)](left, right)
            result = clause if result is None else result & clause
        return result
    if isinstance(node, ast.BinOp):
        return _ARITHMETIC[type(node.op)](
            _compile(node.left, table, condition, reference),
            _compile(node.right, table, condition, reference),
        )
    if isinstance(node, ast.Constant):
        return ibis.literal(node.value)
    if isinstance(node, ast.Name):
        return table[node.id]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        moment = _compile(node.args[0], table, condition, reference)
        on = ibis.date(reference)
        if node.func.id == "days_since":
            return on.delta(moment, unit="day")
        if node.func.id == "years_since":
            # Whole years completed, as an age. Not `delta(unit="year")`: DuckDB counts
            # the new years crossed (31 December to 1 January is one), Spark whole
            # years. Adding the years back as an interval also makes 29 February
            # agree with days_until_anniversary, which lands on 28 February.
            crossed = reference.year - moment.year()
            return crossed - ((moment + crossed.as_interval("Y")) > on).ifelse(1, 0)
        years = node.args[1]
        if not isinstance(years, ast.Constant) or not _whole_number(years):
            raise ConditionError("when", "days_until_anniversary verwacht een vast aantal jaren")
        return (moment + ibis.interval(years=years.value)).delta(on, unit="day")
    raise ConditionError("when", f"niet toegestaan: {ast.unparse(node)!r}")


def _truthy(node: ast.AST, table: ir.Table, condition: Condition, reference: date) -> Any:
    value = _compile(node, table, condition, reference)
    if isinstance(node, ast.Name):
        return value.notnull()
    return value


def fact_value(spec: FactSpec, value: Any) -> Any:
    """A fact's value as JSON: dates ISO, amounts rounded to cents, counts whole."""
    if value is None:
        return None
    if spec.is_date:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if spec.is_money:
        return round(float(value), 2)
    return int(value)
