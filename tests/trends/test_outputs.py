"""Every way out — page, CSV, PDF, API — shows only published counts, to the right roles."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from reportlab import rl_config

from klantocratie.registry.models import Organisation
from klantocratie.trends import exports
from klantocratie.trends.models import TrendRun
from klantocratie.trends.selectors import TrendFilter

from .conftest import BINNENSTAD, NOORD, STARTER, ULK, ZUID, login_as

K = 10
CELL = re.compile(r"<td>(\d+)</td>")
BUURT_FILTER = {"maatregel": "contacten", "niveau": "buurt", "weken": "13"}


def test_the_page_shows_no_count_below_k(analyst: Client, town_run: TrendRun) -> None:
    for level in ("buurt", "wijk"):
        page = analyst.get(reverse("trends:dashboard"), {**BUURT_FILTER, "niveau": level})
        assert page.status_code == 200
        shown = [int(n) for n in CELL.findall(page.content.decode())]
        assert shown and min(shown) >= K
    html = analyst.get(reverse("trends:dashboard"), BUURT_FILTER).content.decode()
    assert "Binnenstad-Noord" in html
    # Ulk, and Zuid beside it, have no week to show.
    assert "Ulk en omgeving</th>" not in html
    assert "Binnenstad-Zuid</th>" not in html
    assert "ruim verdrievoudigd (van 12 naar 37)" in html
    assert "<svg" in html and "afgeschermd" in html


def test_the_csv_shows_no_count_below_k(analyst: Client, town_run: TrendRun) -> None:
    response = analyst.get(reverse("trends:export-csv"), {**BUURT_FILTER, "niveau": "wijk"})
    assert response["Content-Disposition"].startswith('attachment; filename="buurttrends-')
    text = response.content.decode("utf-8-sig")
    heading = [line for line in text.splitlines() if line.startswith("#")]
    assert any("Peildatum: 2 maart 2025" in line for line in heading)
    assert any("(k): 10" in line for line in heading)
    assert any("afgeschermd" in line for line in heading)
    rows = list(
        csv.DictReader(io.StringIO("\n".join(text.splitlines()[len(heading) :])), delimiter=";")
    )
    assert {r["gebiedscode"] for r in rows} == {BINNENSTAD}
    assert all(r["aantal"] == "" or int(r["aantal"]) >= K for r in rows)
    assert all((r["aantal"] == "") == (r["afgeschermd"] == "ja") for r in rows)
    assert [r["aantal"] for r in rows if r["categorie"] == "Afval"] == ["30"] * 13


def test_the_pdf_shows_no_count_below_k(town_run: TrendRun) -> None:
    for level in ("buurt", "wijk"):
        content = exports.pdf_content(town_run, TrendFilter(level=level, weeks=16))
        cells = [value for table in content.tables for row in table[1:] for value in row[2:]]
        assert cells and all(v == "x" or int(v) >= K for v in cells)
    content = exports.pdf_content(town_run, TrendFilter(level="buurt", weeks=16))
    assert [row[0] for table in content.tables for row in table[1:]] == ["Binnenstad-Noord"] * 2
    assert content.spikes == [
        "Vragen over 'Starten als ondernemer' in buurt Binnenstad-Zuid zijn in 8 weken "
        "ruim verdrievoudigd (van 12 naar 37)."
    ]
    assert "Kleinste getoonde aantal (k): 10" in content.facts


def test_the_pdf_file_itself_has_no_count_below_k(
    analyst: Client, town_run: TrendRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rl_config, "pageCompression", 0)
    response = analyst.get(reverse("trends:export-pdf"), {**BUURT_FILTER, "weken": "16"})
    assert response["Content-Type"] == "application/pdf"
    strings = re.findall(rb"\((.*?)\) Tj", response.content)
    text = b" ".join(strings).decode("latin-1")
    assert "Binnenstad-Noord" in text
    # Counts are the only strings set as a number alone (weeks read "W09").
    counts = [int(s) for s in strings if s.isdigit()]
    assert counts.count(15) == 16
    assert min(counts) >= K
    assert b"(3) Tj" not in response.content and b"(12) Tj" not in response.content


def test_the_api_shows_no_count_below_k(analyst: Client, town_run: TrendRun) -> None:
    url = reverse("trends:api-cells")
    first = analyst.get(url, {"level": "buurt"}).json()
    assert first["count"] == 16  # Binnenstad-Noord's weeks; nothing of Ulk or Zuid
    cells: list[dict[str, Any]] = []
    page: str | None = url
    while page:
        body = analyst.get(page).json()
        cells += body["results"]
        page = body["next"]
    assert len(cells) == town_run.cells.count()
    assert all(c["count"] is None or c["count"] >= K for c in cells)
    assert all(c["suppressed"] == (c["count"] is None) for c in cells)
    assert {c["area_code"] for c in cells} == {NOORD, BINNENSTAD}
    assert not any(c["area_code"] in (ULK, ZUID) for c in cells)
    week = analyst.get(url, {"area": NOORD, "week_from": "2025-02-24"}).json()["results"]
    assert [(c["iso_week"], c["count"], c["area_name"]) for c in week] == [
        ("2025-W09", 15, "Binnenstad-Noord")
    ]


def test_the_api_lists_spikes_and_the_computation(analyst: Client, town_run: TrendRun) -> None:
    spikes = analyst.get(reverse("trends:api-spikes"), {"level": "buurt"}).json()["results"]
    assert [(s["area_code"], s["category"], s["recent"], s["previous"]) for s in spikes] == [
        (ZUID, STARTER, 37, 12)
    ]
    run = analyst.get(reverse("trends:api-run")).json()
    assert (run["reference_date"], run["min_cell"], run["spike_weeks"]) == ("2025-03-02", 10, 8)


def test_the_api_is_in_the_openapi_schema(client: Client, db: None) -> None:
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert {"/api/trends/v1/cells/", "/api/trends/v1/spikes/", "/api/trends/v1/run/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/trends/v1/cells/"]["get"]["parameters"]}
    assert {"measure", "level", "area", "category", "week_from", "week_to", "page"} <= parameters


@pytest.mark.parametrize("role", ["kcc_agent", "case_worker", "resident", "administrator"])
def test_other_roles_are_refused(municipality: Organisation, town_run: TrendRun, role: str) -> None:
    client = login_as(municipality, role)
    for name in ("dashboard", "export-csv", "export-pdf", "api-cells", "api-spikes", "api-run"):
        assert client.get(reverse(f"trends:{name}")).status_code == 403, name


def test_the_privacy_officer_may_look(municipality: Organisation, town_run: TrendRun) -> None:
    client = login_as(municipality, "privacy_officer")
    assert client.get(reverse("trends:dashboard")).status_code == 200
    assert client.get(reverse("trends:api-cells")).status_code == 200


def test_anonymous_visitors_log_in_first(client: Client, town_run: TrendRun) -> None:
    response = client.get(reverse("trends:dashboard"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert client.get(reverse("trends:api-cells")).status_code in (401, 403)


def test_before_the_first_computation_the_page_says_so(analyst: Client) -> None:
    page = analyst.get(reverse("trends:dashboard"))
    assert page.status_code == 200
    assert "Er zijn nog geen buurttrends berekend." in page.content.decode()
    assert "nog geen buurttrends" in analyst.get(reverse("trends:export-csv")).content.decode()
    assert analyst.get(reverse("trends:api-cells")).json()["count"] == 0
    assert analyst.get(reverse("trends:api-run")).status_code == 404


def test_a_selection_without_shown_counts_says_so(analyst: Client, town_run: TrendRun) -> None:
    page = analyst.get(reverse("trends:dashboard"), {**BUURT_FILTER, "gebied": ULK})
    html = page.content.decode()
    assert "Geen reeksen met getoonde aantallen in deze selectie." in html
    assert not CELL.findall(html)


def test_filters_narrow_the_table(analyst: Client, town_run: TrendRun) -> None:
    html = analyst.get(
        reverse("trends:dashboard"), {**BUURT_FILTER, "gebied": BINNENSTAD, "categorie": "Afval"}
    ).content.decode()
    assert html.count("<tr>") == 2  # the header and Binnenstad-Noord
    invalid = analyst.get(reverse("trends:dashboard"), {"niveau": "provincie"}).content.decode()
    assert "ongeldig" in invalid
