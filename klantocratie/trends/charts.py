"""Bar charts of a series as inline SVG, drawn on the server: no script, no CDN.

A suppressed week is drawn as a short grey stub marked "x", so a reader sees a hidden
week as hidden and never as a low or zero count.
"""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .selectors import Series, iso_week

WIDTH, HEIGHT = 360, 160
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 14, 28
BAR_COLOUR = "#154273"  # the site's primary colour
HIDDEN_COLOUR = "#8c8c8c"


def _n(value: float) -> str:
    # format_html escapes its arguments to strings first: numbers go in formatted.
    return f"{value:.1f}"


def bar_chart(series: Series, chart_id: str) -> SafeString:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    top = max((c for c in series.counts if c is not None), default=0) or 1
    step = plot_w / max(len(series.weeks), 1)
    bar_w = max(step * 0.7, 1.0)
    bars = []
    for i, (week, count) in enumerate(zip(series.weeks, series.counts, strict=True)):
        x = LEFT + i * step + (step - bar_w) / 2
        label = iso_week(week)
        if count is None:
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="3" fill="{}">'
                    "<title>{}: afgeschermd</title></rect>"
                    '<text x="{}" y="{}" font-size="9" text-anchor="middle" fill="{}">x</text>',
                    _n(x),
                    _n(base - 3),
                    _n(bar_w),
                    HIDDEN_COLOUR,
                    label,
                    _n(x + bar_w / 2),
                    _n(base - 5),
                    HIDDEN_COLOUR,
                )
            )
        else:
            height = plot_h * count / top
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {}</title></rect>",
                    _n(x),
                    _n(base - height),
                    _n(bar_w),
                    _n(height),
                    BAR_COLOUR,
                    label,
                    count,
                )
            )
    title = f"{series.area_name} — {series.category_label}"
    description = (
        f"Aantal per week van {iso_week(series.weeks[0])} tot en met "
        f"{iso_week(series.weeks[-1])}; x is afgeschermd."
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-labelledby="{id}-titel {id}-uitleg" class="trend-chart">'
        '<title id="{id}-titel">{title}</title><desc id="{id}-uitleg">{desc}</desc>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#535353"/>'
        '<text x="{lx}" y="{ty}" font-size="10" text-anchor="end" fill="#535353">{top}</text>'
        '<text x="{lx}" y="{base}" font-size="10" text-anchor="end" fill="#535353">0</text>'
        "{bars}"
        '<text x="{left}" y="{wy}" font-size="10" fill="#535353">{first}</text>'
        '<text x="{right}" y="{wy}" font-size="10" text-anchor="end" fill="#535353">{last}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc=description,
        left=LEFT,
        right=WIDTH - RIGHT,
        base=base,
        lx=LEFT - 4,
        ty=TOP + 4,
        top=top,
        bars=format_html_join("", "{}", ((bar,) for bar in bars)),
        wy=HEIGHT - 8,
        first=iso_week(series.weeks[0]),
        last=iso_week(series.weeks[-1]),
    )
