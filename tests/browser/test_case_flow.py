"""A case worker completes a building permit in a real browser, from the work queue to
the final status, with the client's integral view beside the case."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from klantocratie.cases import services
from klantocratie.cases.models import Case, ResidentNotice
from klantocratie.cases.packs import load_case_types
from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.parties.selectors import find_party
from klantocratie.registry.packs import load_pack
from klantocratie.sources.casestatus.models import CaseStatus
from tests.cases.conftest import CASES_DIR, worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The case-management docs' screenshot, refreshed only when asked.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "case.png"


@pytest.fixture
def permit_case() -> Case:
    load_pack(django_settings.DEMO_PACK_DIR)
    generate_municipality(persons=60)
    create_demo_accounts(django_settings.DEMO_PACK_DIR, DEMO_RESIDENT_BSN)
    load_case_types(CASES_DIR)
    party = find_party("bsn", DEMO_RESIDENT_BSN)
    assert party is not None
    return services.start_case(
        worker(),
        case_type="omgevingsvergunning-bouwen",
        clients=[services.Client(party)],
        description="Dakkapel op het achterdak",
        properties={"bouwhoogte": 7.5, "monument": False, "gebied": "regulier"},
    )


def test_case_worker_completes_a_building_permit(
    browser, live_server, permit_case: Case, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.locator("button[data-username='demo-zaak']").click()
        page.get_by_role("link", name="Zaken").click()
        page.get_by_role("link", name=permit_case.identification).click()
        assert (
            page.get_by_role("heading", level=1)
            .inner_text()
            .startswith("Omgevingsvergunning bouwen")
        )
        # The client is beside the case, read through the gate.
        assert page.get_by_role("complementary", name="Klantbeeld").is_visible()

        page.get_by_role("button", name="Neem in behandeling").click()
        volledigheid = page.locator("article", has_text="Volledigheid toetsen")
        volledigheid.get_by_label("Aanvraag is compleet").check()
        volledigheid.get_by_role("button", name="Rond taak af").click()
        page.get_by_label("Volgende status").select_option("in-behandeling")
        page.get_by_role("button", name="Zet status").click()
        assert page.locator("#huidige-status").inner_text() == "In behandeling"

        advice = page.locator("article", has_text="Welstandsadvies")
        advice.get_by_role("button", name="Vraag advies").click()
        advice = page.locator("article", has_text="Welstandsadvies")
        assert "ambtelijk" in advice.get_by_role("status").inner_text()
        if os.environ.get("KLANTOCRATIE_UPDATE_SCREENSHOTS"):
            page.screenshot(path=str(DOCS_SCREENSHOT))
        advice.get_by_label("Adviserende commissie").select_option("Ambtelijk")
        advice.get_by_label("Advies (verplicht)").fill("Past in de straat.")
        advice.get_by_role("button", name="Rond taak af").click()

        decision = page.locator("article", has_text="Besluit opstellen")
        decision.get_by_label("Besluit (verplicht)").fill("Vergunning verleend.")
        decision.get_by_role("button", name="Rond taak af").click()
        page.get_by_label("Volgende status").select_option("besluit")
        page.get_by_role("button", name="Zet status").click()
        page.get_by_label("Resultaat", exact=True).select_option("verleend")
        page.get_by_role("button", name="Leg resultaat vast").click()
        page.get_by_label("Volgende status").select_option("afgehandeld")
        page.get_by_role("button", name="Zet status").click()
        assert page.locator("#huidige-status").inner_text() == "Afgehandeld"
        assert "Resultaat: Verleend." in page.get_by_role("region", name="Historie").inner_text()
    finally:
        context.close()
    permit_case.refresh_from_db()
    assert permit_case.end_date is not None
    assert permit_case.assigned_to.username == "demo-zaak"
    # The resident was told at every status that asks for it, and the region's index knows.
    assert ResidentNotice.objects.filter(case=permit_case, channel="portal").count() == 4
    index = CaseStatus.objects.get(case_number=permit_case.identification)
    assert index.status == "Afgehandeld" and index.closed_on is not None
