"""Small-cell suppression: which counts may be published, and which must stay hidden.

Primary suppression hides every cell with fewer than k events or fewer than k
distinct persons behind it (zero included): a small count, or a large count that one
or two persons made, could point at someone.

Hiding a cell is not enough when its totals are published. A wijk's week is the sum of
its buurten's weeks, and a spike window is the sum of its weeks; with the total and all
but one part shown, the hidden part is a subtraction away. Secondary suppression hides
further cells until that no longer works:

1. Per relation (a published total and its parts): when a small part is hidden, at
   least two parts are hidden and they add up to k or more, so neither one hidden part
   nor a small group of them can be read from the total. The cell hidden next is the smallest published part,
   weeks before spike windows, so the largest and most useful numbers stay visible.
2. Then an audit over all relations together: a hidden small cell must not be
   determined by any linear combination of the published cells (it is, exactly when its
   unit vector lies in the row space of the relations restricted to the hidden cells).
   A cell the audit finds determined gets the cheapest published cell hidden whose
   loss leaves it undetermined, and the two steps repeat until none is.

Relations never cross a wijk, a measure or a category, so each (measure, category,
wijk) is its own block and the audit stays small. Categories are not totalled, so no
relation runs across them. docs/trends.md describes the rule for readers of a memo.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np

from .aggregate import Calendar, Tally
from .areas import wijk_of
from .choices import Level

# Cells tried one by one to stop a leak before falling back to the leak's own relations:
# enough for the chains one wijk's relations make, few enough to keep a block fast.
COVER_TRIALS = 60
TOLERANCE = 1e-9


class Cell(NamedTuple):
    """A count of one measure and category in one area over ``weeks`` weeks from ``start``."""

    level: str
    area: str
    measure: str
    category: str
    start: date
    weeks: int


@dataclass(frozen=True, slots=True)
class Value:
    events: int
    persons: int


ZERO = Value(0, 0)
# Orders the published cells by what hiding them costs; the cheapest goes first.
Cost = Callable[[Cell], tuple[bool, int, Cell]]


@dataclass
class Block:
    """The cells of one measure and category in one wijk, and their additive relations."""

    cells: list[Cell] = field(default_factory=list)
    relations: list[tuple[Cell, tuple[Cell, ...]]] = field(default_factory=list)


@dataclass
class Table:
    """Raw values of every cell in the published shape: buurt and wijk, weeks and windows.

    A series (an area, measure and category with any event in the weeks counted) has a
    cell for every week, zero included, so a quiet week is as hidden as a small one.
    """

    calendar: Calendar
    values: dict[Cell, Value]
    blocks: dict[tuple[str, str, str], Block]

    def value(self, cell: Cell) -> Value:
        return self.values.get(cell, ZERO)

    def series(self) -> Iterator[tuple[str, str, str, str]]:
        """(level, area, measure, category) of every series, in a stable order."""
        seen = {(c.level, c.area, c.measure, c.category) for c in self.values}
        yield from sorted(seen)


def build_table(tallies: Iterable[Tally], calendar: Calendar) -> Table:
    values: dict[Cell, Value] = {}
    for t in tallies:
        values[Cell(Level.BUURT, t.buurt, t.measure, t.category, t.start, t.weeks)] = Value(
            t.events, t.persons
        )
    buurten_of: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for cell in values:
        buurten_of[(cell.measure, cell.category, wijk_of(cell.area))].add(cell.area)
    periods = [(week, 1) for week in calendar.weeks] + [
        (calendar.previous_start, calendar.window),
        (calendar.recent_start, calendar.window),
    ]
    blocks: dict[tuple[str, str, str], Block] = {}
    for (measure, category, wijk), members in sorted(buurten_of.items()):
        buurten = sorted(members)
        block = Block()
        for start, weeks in periods:
            total = Cell(Level.WIJK, wijk, measure, category, start, weeks)
            parts = tuple(Cell(Level.BUURT, b, measure, category, start, weeks) for b in buurten)
            for part in parts:
                values.setdefault(part, ZERO)
            values[total] = Value(
                sum(values[p].events for p in parts), sum(values[p].persons for p in parts)
            )
            block.cells.extend([*parts, total])
            block.relations.append((total, parts))
        for level, area in [*((Level.BUURT, b) for b in buurten), (Level.WIJK, wijk)]:
            for start in (calendar.previous_start, calendar.recent_start):
                window = Cell(level, area, measure, category, start, calendar.window)
                weeks_in = tuple(
                    Cell(level, area, measure, category, start + timedelta(weeks=i), 1)
                    for i in range(calendar.window)
                )
                block.relations.append((window, weeks_in))
        blocks[(measure, category, wijk)] = block
    return Table(calendar=calendar, values=values, blocks=blocks)


def protect(
    table: Table,
    k: int,
    windows: Iterable[Cell] = (),
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> set[Cell]:
    """The cells that may be published: every week at or above k, and the spike
    `windows` asked for, less all that secondary suppression has to hide.

    `on_progress(done, total)` is called after each block."""
    wanted = set(windows)
    published: set[Cell] = set()
    for done, block in enumerate(table.blocks.values(), start=1):
        published |= _protect_block(table, block, k, wanted)
        if on_progress:
            on_progress(done, len(table.blocks))
    return published


def is_small(value: Value, k: int) -> bool:
    return value.events < k or value.persons < k


def _protect_block(table: Table, block: Block, k: int, wanted: set[Cell]) -> set[Cell]:
    sensitive = {c for c in block.cells if is_small(table.value(c), k)}
    published = {c for c in block.cells if c not in sensitive and (c.weeks == 1 or c in wanted)}

    def cost(cell: Cell) -> tuple[bool, int, Cell]:
        # Spike windows last, then the smallest count: the cheapest cell to lose.
        return (cell.weeks > 1, table.value(cell).events, cell)

    while True:
        _enforce_relations(block, published, sensitive, table, k, cost)
        leak = next((c for c in _determined(block, published) if c in sensitive), None)
        # With nothing published there is nothing to work anything out from.
        if leak is None or not published:
            return published
        published.discard(_cover(block, published, leak, cost))


def _enforce_relations(
    block: Block, published: set[Cell], sensitive: set[Cell], table: Table, k: int, cost: Cost
) -> None:
    changed = True
    while changed:
        changed = False
        for total, parts in block.relations:
            if total not in published:
                continue
            hidden = [p for p in parts if p not in published]
            # Unpublished parts that are not small (a window nobody asked for) may be
            # worked out: that tells nothing small. The audit covers chains through them.
            if not any(p in sensitive for p in hidden) or (
                len(hidden) >= 2 and sum(table.value(p).events for p in hidden) >= k
            ):
                continue
            candidates = [p for p in parts if p in published] or [total]
            published.discard(min(candidates, key=cost))
            changed = True


def _cover(block: Block, published: set[Cell], leak: Cell, cost: Cost) -> Cell:
    """The cheapest published cell whose hiding leaves `leak` undetermined.

    The leak may run through other relations (a wijk window less a buurt window gives
    the other buurt's window, and so its weeks), so the cell to hide need not share a
    relation with it. When none of the cheapest few does it alone, the cheapest cell
    of the leak's own relations goes, and the audit runs again.
    """
    candidates = sorted(published, key=cost)
    for cell in candidates[:COVER_TRIALS]:
        if leak not in _determined(block, published - {cell}):
            return cell
    around = [
        c
        for total, parts in block.relations
        if leak == total or leak in parts
        for c in (total, *parts)
        if c in published
    ]
    return min(around or candidates, key=cost)


def _determined(block: Block, published: set[Cell]) -> list[Cell]:
    """The hidden cells of the block that the published ones determine, in block order."""
    hidden = [c for c in block.cells if c not in published]
    column = {c: i for i, c in enumerate(hidden)}
    rows = [
        [(column[c], sign) for c, sign in ((total, 1), *((p, -1) for p in parts)) if c in column]
        for total, parts in block.relations
    ]
    rows = [row for row in rows if row]
    if not rows:
        return []
    matrix = np.zeros((len(rows), len(hidden)))
    for r, row in enumerate(rows):
        for c, sign in row:
            matrix[r, c] = sign
    return [hidden[c] for c in _unit_rows(matrix)]


def _unit_rows(matrix: np.ndarray) -> list[int]:
    """Columns whose unit vector lies in the row space, in column order.

    In reduced row echelon form such a vector is one of the rows. Plain elimination
    with partial pivoting: the matrices are small and hold only -1, 0 and 1, and
    elementwise numpy keeps clear of BLAS threads, which a busy machine makes slow.
    """
    a = matrix.copy()
    height = a.shape[0]
    row = 0
    for col in range(a.shape[1]):
        if row == height:
            break
        pivot = row + int(np.argmax(np.abs(a[row:, col])))
        if abs(a[pivot, col]) < TOLERANCE:
            continue
        a[[row, pivot]] = a[[pivot, row]]
        a[row] /= a[row, col]
        factors = a[:, col].copy()
        factors[row] = 0
        a -= np.outer(factors, a[row])
        row += 1
    units = []
    for r in range(row):
        nonzero = np.flatnonzero(np.abs(a[r]) > TOLERANCE)
        if len(nonzero) == 1:
            units.append(int(nonzero[0]))
    return sorted(units)
