"""CSV and PDF exports of the dashboard's selection, for a council memo.

Both read the same stored, suppressed series as the page: a hidden cell is an empty
value with "afgeschermd" in the CSV and an "x" in the PDF. Both state the reference
date, k and how suppression works, so the memo's reader knows what "x" means.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .areas import area_name
from .choices import Level, Measure
from .models import TrendRun
from .selectors import TrendFilter, category_label, iso_week, period, series, spikes

HIDDEN = "x"
PDF_WEEKS_PER_TABLE = 13  # columns that fit a landscape A4 page


def title(filters: TrendFilter) -> str:
    level = Level(filters.level).label.lower()
    return f"Buurttrends: {Measure(filters.measure).label.lower()} per {level}"


def suppression_note(run: TrendRun) -> str:
    return (
        f"Aantallen kleiner dan {run.min_cell}, of van minder dan {run.min_cell} personen, "
        f"zijn afgeschermd ({HIDDEN}). Ook enkele grotere aantallen zijn afgeschermd, zodat "
        "een afgeschermd aantal niet uit een wijktotaal of een periodetotaal terug te "
        "rekenen is. Er zijn geen gegevens over personen opgenomen."
    )


def facts(run: TrendRun, filters: TrendFilter) -> list[str]:
    weeks = period(run, filters.weeks)
    lines = [
        f"Peildatum: {date_format(run.reference_date, 'j F Y')}",
        f"Weken: {iso_week(weeks[0])} tot en met {iso_week(weeks[-1])}",
        f"Kleinste getoonde aantal (k): {run.min_cell}",
    ]
    if filters.area:
        lines.append(f"Gebied: {area_name(filters.area)}")
    if filters.category:
        lines.append(f"Categorie: {category_label(filters.measure, filters.category)}")
    return lines


def csv_export(run: TrendRun, filters: TrendFilter) -> str:
    """The selection in long form, one row per area, category and week.

    Semicolon-separated with a byte-order mark, as Dutch spreadsheet software expects;
    the heading lines start with '#'.
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in [title(filters), *facts(run, filters), suppression_note(run)]:
        writer.writerow([f"# {line}"])
    writer.writerow(
        [
            "niveau",
            "gebiedscode",
            "gebied",
            "maat",
            "categorie",
            "week",
            "weekbegin",
            "aantal",
            "afgeschermd",
        ]
    )
    for s in series(run, filters):
        for week, count in zip(s.weeks, s.counts, strict=True):
            writer.writerow(
                [
                    s.level,
                    s.area_code,
                    s.area_name,
                    s.measure,
                    s.category,
                    iso_week(week),
                    week.isoformat(),
                    "" if count is None else count,
                    "ja" if count is None else "nee",
                ]
            )
    return out.getvalue()


@dataclass(frozen=True)
class PdfContent:
    """What goes into the PDF, separate from its layout so it can be checked."""

    title: str
    facts: list[str]
    note: str
    spikes: list[str]
    tables: list[list[list[str]]]  # per block of weeks: a header row, then a row per series


def pdf_content(run: TrendRun, filters: TrendFilter) -> PdfContent:
    found = series(run, filters)
    weeks = period(run, filters.weeks)
    tables = []
    for first in range(0, len(weeks), PDF_WEEKS_PER_TABLE):
        chunk = slice(first, first + PDF_WEEKS_PER_TABLE)
        header = ["Gebied", "Categorie", *(iso_week(w)[5:] for w in weeks[chunk])]
        rows = [
            [
                s.area_name,
                s.category_label,
                *(HIDDEN if c is None else str(c) for c in s.counts[chunk]),
            ]
            for s in found
        ]
        tables.append([header, *rows])
    return PdfContent(
        title=title(filters),
        facts=facts(run, filters),
        note=suppression_note(run),
        spikes=[spike.explanation for spike in spikes(run, filters)],
        tables=tables if found else [],
    )


def pdf_export(content: PdfContent) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    small = body.clone("small", fontSize=8, leading=10)

    def text(value: str, style: ParagraphStyle = body) -> Paragraph:
        # Paragraphs read markup; area names and contact subjects are plain text.
        return Paragraph(escape(value), style)

    story: list[Flowable] = [text(content.title, styles["Title"])]
    story += [text(line) for line in content.facts]
    story += [Spacer(1, 0.3 * cm), text(content.note, styles["Italic"])]
    if content.spikes:
        story += [Spacer(1, 0.3 * cm), text("Opvallende stijgingen", styles["Heading2"])]
        story += [text(f"• {line}") for line in content.spikes]
    story += [Spacer(1, 0.3 * cm), text("Aantallen per week", styles["Heading2"])]
    if not content.tables:
        story.append(text("Geen reeksen met getoonde aantallen in deze selectie."))
    for rows in content.tables:
        data = [rows[0], *([text(r[0], small), text(r[1], small), *r[2:]] for r in rows[1:])]
        weeks = len(rows[0]) - 2
        table = Table(data, colWidths=[5 * cm, 5 * cm, *[1.3 * cm] * weeks], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.lightgrey),
                ]
            )
        )
        story += [table, Spacer(1, 0.5 * cm)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=content.title,
        author="klantocratie",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
    document.build(story)
    return buffer.getvalue()
