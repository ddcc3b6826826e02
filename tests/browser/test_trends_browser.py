"""A policy analyst reads the neighbourhood trends in a real browser: the spike with its
explanation, a chart, the table with hidden cells, and the CSV export for a memo."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.registry.packs import load_pack
from klantocratie.trends.models import TrendRun
from klantocratie.trends.services import refresh_trends
from tests.trends.conftest import REFERENCE, town

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The trends docs' screenshot, refreshed only when asked.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "trends.png"


@pytest.fixture
def published(settings, tmp_path: Path) -> TrendRun:  # type: ignore[no-untyped-def]
    settings.TRENDS_WEEKS = 16
    load_pack(django_settings.DEMO_PACK_DIR)
    create_demo_accounts(django_settings.DEMO_PACK_DIR, DEMO_RESIDENT_BSN)
    return refresh_trends(town().write(tmp_path / "facts.parquet"), REFERENCE, requested_by="t")


def test_the_analyst_reads_a_spike_and_exports_the_table(
    browser, live_server, published: TrendRun, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.locator("button[data-username='demo-beleid']").click()
        page.get_by_role("link", name="Buurttrends").first.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Buurttrends"
        spikes = page.locator("section[aria-labelledby='sprongen-kop'] li")
        assert "Starten als ondernemer" in spikes.first.inner_text()
        assert "januari" in page.locator("main").inner_text()
        assert page.locator("main svg").count() > 0
        if os.environ.get("KLANTOCRATIE_UPDATE_SCREENSHOTS"):
            page.screenshot(path=str(DOCS_SCREENSHOT))
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").first.click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
        counts = [
            int(value)
            for line in text.splitlines()
            if not line.startswith("#")
            for value in line.split(";")
            if value.isdigit() and len(value) < 4
        ]
        assert counts and min(counts) >= published.min_cell
    finally:
        context.close()
