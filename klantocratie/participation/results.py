"""A poll's results: counts per answer, per wijk or buurt when asked, small cells hidden.

The table is protected with the area trends' suppression (`trends.suppression.protect`):
a count below k is hidden (primary), and further cells are hidden until no hidden count
can be worked out from the totals (secondary). The poll's table maps onto the trends'
cells as one block: each (area, answer) is a part of its area's total and of the
answer's total, and the grand total is the sum of either.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from klantocratie.trends.aggregate import Calendar
from klantocratie.trends.areas import area_name, area_names
from klantocratie.trends.suppression import Block, Cell, Table, Value, is_small, protect

from .models import Breakdown, Poll, PollOption

DEFAULT_MIN_CELL = 10
# The cell level of the whole municipality, beside the trends' wijk and buurt.
WHOLE = "gemeente"
MEASURE = "peiling"
TOTAL = ""  # the category of an area's (or the municipality's) total


def min_cell() -> int:
    return int(getattr(settings, "PARTICIPATION_MIN_CELL", DEFAULT_MIN_CELL))


@dataclass(frozen=True)
class ResultCell:
    count: int | None  # None: hidden
    below_k: bool  # hidden because it is small, not to protect another cell
    share: int | None = None  # whole per cent of the row's total, when both are shown

    text: str = ""  # what the reader sees: the count, "minder dan k" or "niet getoond"

    @property
    def hidden(self) -> bool:
        return self.count is None


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    cells: list[tuple[PollOption, ResultCell]]
    total: ResultCell


@dataclass(frozen=True)
class PollResults:
    options: list[PollOption]
    overall: list[ResultCell]
    total: ResultCell
    areas: list[AreaRow]
    breakdown: str
    k: int
    interim: bool

    @property
    def breakdown_label(self) -> str:
        return "Wijk" if self.breakdown == Breakdown.WIJK else "Buurt"

    @property
    def rows(self) -> list[tuple[PollOption, ResultCell]]:
        return list(zip(self.options, self.overall, strict=True))

    @property
    def any_hidden(self) -> bool:
        in_areas = [c for area in self.areas for c in [*(c for _o, c in area.cells), area.total]]
        return any(cell.hidden for cell in [*self.overall, self.total, *in_areas])


def _areas_asked(poll: Poll, answered: set[str]) -> list[str]:
    """Every area of the breakdown, answered or not: a missing row would say nobody
    there took part, which is as telling as a small count."""
    known = area_names()
    if poll.breakdown == Breakdown.WIJK:
        wanted = poll.areas or [code for code in known if code.startswith("WK")]
        # A buurt code holds its wijk's digits (see trends.areas), so both map alike.
        codes = {"WK" + code[2:8] for code in wanted}
    else:
        wanted = poll.areas or [code for code in known if code.startswith("WK")]
        codes = {code for code in wanted if code.startswith("BU")} | {
            buurt
            for code in wanted
            if code.startswith("WK")
            for buurt in known
            if buurt.startswith("BU" + code[2:8])
        }
    return sorted(codes | answered)


def poll_results(poll: Poll, *, interim: bool = False) -> PollResults:
    """The protected results; `interim` (the poll is still open) leaves out the areas,
    so the running totals cannot be watched per buurt as neighbours answer."""
    k = min_cell()
    options = list(poll.options.all())
    rows = poll.answers.values_list("area", "option_id").annotate(n=Count("id"))
    by_area_option: Counter[tuple[str, int]] = Counter()
    for area, option_id, n in rows:
        by_area_option[(area, option_id)] += n
    with_areas = poll.breakdown != Breakdown.NONE and not interim
    start = poll.opens_at.date()

    def cell(level: str, area: str, category: str) -> Cell:
        return Cell(level, area, MEASURE, category, start, 1)

    values: dict[Cell, Value] = {}
    option_cells = [cell(WHOLE, "", str(option.pk)) for option in options]
    grand = cell(WHOLE, "", TOTAL)
    for option, option_cell in zip(options, option_cells, strict=True):
        n = sum(count for (_a, o), count in by_area_option.items() if o == option.pk)
        values[option_cell] = Value(n, n)
    total = sum(by_area_option.values())
    values[grand] = Value(total, total)
    block = Block(cells=[*option_cells, grand], relations=[(grand, tuple(option_cells))])

    area_codes: list[str] = []
    if with_areas:
        area_codes = _areas_asked(poll, {a for a, _o in by_area_option})
        level = str(poll.breakdown)
        area_totals = []
        for code in area_codes:
            parts = tuple(cell(level, code, str(option.pk)) for option in options)
            for part, option in zip(parts, options, strict=True):
                n = by_area_option.get((code, option.pk), 0)
                values[part] = Value(n, n)
            area_total = cell(level, code, TOTAL)
            n = sum(values[p].events for p in parts)
            values[area_total] = Value(n, n)
            area_totals.append(area_total)
            block.cells.extend([*parts, area_total])
            block.relations.append((area_total, parts))
        for option, option_cell in zip(options, option_cells, strict=True):
            parts = tuple(cell(level, code, str(option.pk)) for code in area_codes)
            block.relations.append((option_cell, parts))
        block.relations.append((grand, tuple(area_totals)))

    # protect() reads only the values and blocks; the calendar is that of one "week".
    table = Table(
        calendar=Calendar(first_week=start, last_week=start, window=1),
        values=values,
        blocks={(MEASURE, str(poll.pk), ""): block},
    )
    published = protect(table, k)

    def shown(c: Cell, row_total: Cell | None = None) -> ResultCell:
        value = table.value(c)
        if c not in published:
            small = is_small(value, k)
            return ResultCell(None, small, text=f"minder dan {k}" if small else "niet getoond")
        share = None
        if row_total is not None and row_total in published and table.value(row_total).events:
            share = round(100 * value.events / table.value(row_total).events)
        return ResultCell(value.events, False, share, text=str(value.events))

    area_rows = [
        AreaRow(
            code=code,
            name=area_name(code) if code else "Adres onbekend",
            cells=[
                (
                    o,
                    shown(
                        cell(str(poll.breakdown), code, str(o.pk)),
                        cell(str(poll.breakdown), code, TOTAL),
                    ),
                )
                for o in options
            ],
            total=shown(cell(str(poll.breakdown), code, TOTAL)),
        )
        for code in area_codes
    ]
    return PollResults(
        options=options,
        overall=[shown(c, grand) for c in option_cells],
        total=shown(grand),
        areas=area_rows,
        breakdown=str(poll.breakdown),
        k=k,
        interim=interim,
    )
