"""The policy analyst's dashboard of neighbourhood trends, and its exports.

Only published, suppressed numbers exist to be shown (see models); the views filter
and lay them out. The privacy officer may look too, to check what is published.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klantocratie.accounts.permissions import role_required
from klantocratie.accounts.roles import Role

from . import exports, selectors
from .charts import bar_chart
from .choices import Level, Measure
from .forms import TrendFilterForm
from .models import TrendRun

TREND_ROLES = (Role.POLICY_ANALYST, Role.PRIVACY_OFFICER)
PAGE_SIZE = 25
CHARTS = 6


def _filters(request: HttpRequest, run: TrendRun) -> tuple[TrendFilterForm, selectors.TrendFilter]:
    form = TrendFilterForm(request.GET or None, run=run)
    return form, form.trend_filter()


def _no_run(request: HttpRequest) -> HttpResponse:
    return render(request, "trends/dashboard.html", {"run": None})


@role_required(*TREND_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    run = selectors.current_run()
    if run is None:
        return _no_run(request)
    form, filters = _filters(request, run)
    found = selectors.series(run, filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = request.GET.copy()
    params.pop("pagina", None)
    return render(
        request,
        "trends/dashboard.html",
        {
            "run": run,
            "form": form,
            "filters": filters,
            "measures": Measure.choices,
            "levels": Level.choices,
            "area_groups": selectors.areas(run),
            "categories": [
                (c, selectors.category_label(filters.measure, c))
                for c in selectors.categories(run, filters.measure)
            ],
            "periods": form.fields["weken"].choices,  # type: ignore[attr-defined]
            "weeks": [selectors.iso_week(w) for w in selectors.period(run, filters.weeks)],
            "page": page,
            "charts": [bar_chart(s, f"grafiek-{i}") for i, s in enumerate(found[:CHARTS])],
            "spikes": selectors.spikes(run, filters),
            "note": exports.suppression_note(run),
            "facts": exports.facts(run, filters),
            "querystring": params.urlencode(),
        },
    )


def _attachment(body: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _file_name(run: TrendRun, filters: selectors.TrendFilter, extension: str) -> str:
    return f"buurttrends-{filters.measure}-{filters.level}-{run.reference_date:%Y%m%d}.{extension}"


@role_required(*TREND_ROLES)
def export_csv(request: HttpRequest) -> HttpResponse:
    run = selectors.current_run()
    if run is None:
        return _no_run(request)
    _, filters = _filters(request, run)
    return _attachment(
        exports.csv_export(run, filters), "text/csv; charset=utf-8", _file_name(run, filters, "csv")
    )


@role_required(*TREND_ROLES)
def export_pdf(request: HttpRequest) -> HttpResponse:
    run = selectors.current_run()
    if run is None:
        return _no_run(request)
    _, filters = _filters(request, run)
    return _attachment(
        exports.pdf_export(exports.pdf_content(run, filters)),
        "application/pdf",
        _file_name(run, filters, "pdf"),
    )
