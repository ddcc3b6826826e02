"""A resident on the personal page in a real browser: log in, read their data per
organisation, change a phone number, ask a correction and follow it, give a machtiging;
and the son who holds one acts for his mother. Every page passes axe (WCAG 2.1 AA)."""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User

from klantocratie.cases import services
from klantocratie.cases.packs import load_case_types
from klantocratie.portal.askonce.packs import load_request_forms
from klantocratie.portal.models import CorrectionRequest
from tests.cases.conftest import worker
from tests.cases.test_services import permit
from tests.support.axe import assert_accessible
from tests.support.portal import PortalWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The README's and docs' screenshot, refreshed only when asked.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "portal.png"
PHONE = {"width": 375, "height": 740}


def _log_in(page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/mijn/inloggen/")
    assert_accessible(page)
    page.locator(f"button[data-username='{username}']").click()


def _go(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("navigation", name="Mijn pagina").get_by_role(
        "link", name=name, exact=True
    ).click()


def test_a_resident_reads_changes_and_corrects_their_data(
    browser, live_server, portal_world: PortalWorld
) -> None:  # type: ignore[no-untyped-def]
    # A running building permit with a case worker, so the overview has someone to call.
    pack = Path(django_settings.DEMO_PACK_DIR)
    load_case_types(pack / "cases")
    load_request_forms(pack / "forms")
    services.assign(worker(), permit(portal_world.riky), User.objects.get(username="demo-zaak"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, live_server, "demo-inwoner")
        assert page.get_by_role("heading", level=1).inner_text() == "Welkom op Mijn pagina"
        assert "Zeynep Bakker" in page.get_by_role("region", name="Uw contactpersonen").inner_text()
        assert_accessible(page)
        if os.environ.get("KLANTOCRATIE_UPDATE_SCREENSHOTS"):
            page.screenshot(path=str(DOCS_SCREENSHOT))

        _go(page, "Mijn gegevens")
        assert page.get_by_role("heading", name="Belastingdienst", level=2).is_visible()
        address = page.locator("[id='gegeven-person.address']")
        address.get_by_text("Wie mag woonadres zien, en waarom?").click()
        assert "Dienstverlening klantcontactcentrum" in address.inner_text()
        assert_accessible(page)

        phone = page.locator("[id='gegeven-person.phone']")
        phone.get_by_label("Nieuw: telefoonnummer").fill("12345")
        phone.get_by_role("button", name="Wijzig telefoonnummer").click()
        phone = page.locator("[id='gegeven-person.phone']")
        assert "weigerde de wijziging" in phone.get_by_role("alert").inner_text()
        assert_accessible(page)
        phone.get_by_label("Nieuw: telefoonnummer").fill("0612345678")
        phone.get_by_role("button", name="Wijzig telefoonnummer").click()
        assert "0612345678" in page.locator("[id='gegeven-person.phone']").inner_text()

        page.get_by_role("link", name="Klopt geboorte niet? Vraag een correctie aan").click()
        assert_accessible(page)
        page.get_by_label("Wat moet het volgens u zijn?").fill("30-02-1971")
        page.get_by_role("button", name="Verstuur verzoek").click()
        assert "Schrijf de datum als dag-maand-jaar" in page.locator("main").inner_text()
        assert_accessible(page)
        page.get_by_label("Wat moet het volgens u zijn?").fill("19-05-1972")
        page.get_by_label("Toelichting").fill("Zie mijn geboorteakte.")
        page.get_by_role("button", name="Verstuur verzoek").click()
        assert "Doorgestuurd naar de bron" in page.locator("main").inner_text()
        assert_accessible(page)
        assert CorrectionRequest.objects.get().proposed_value == "19-05-1972"
        page.get_by_role("link", name="Alle correctieverzoeken").click()
        assert_accessible(page)

        page.get_by_role("link", name="Machtigingen").click()
        assert_accessible(page)
        page.get_by_label("BSN van wie u machtigt").fill(portal_world.bsn(portal_world.other))
        page.get_by_label("Geldig tot en met").fill("2026-12-31")
        page.get_by_label("Ik begrijp dat diegene").check()
        page.get_by_role("button", name="Machtiging geven").click()
        assert "De machtiging is vastgelegd" in page.get_by_role("status").first.inner_text()
        assert_accessible(page)
    finally:
        context.close()


def test_the_son_acts_for_his_mother_on_a_phone(
    browser, live_server, portal_world: PortalWorld
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        _log_in(page, live_server, "demo-inwoner-daan")
        assert_accessible(page)
        page.get_by_role("link", name="Machtigingen").click()
        page.get_by_role("link", name="Handel namens Hendrika Johanna ter Horst").click()
        assert_accessible(page)
        page.get_by_label("Hendrika Johanna ter Horst").check()
        page.get_by_role("button", name="Verder").click()
        banner = page.get_by_role("region", name="U handelt namens iemand anders")
        assert "Hendrika Johanna ter Horst" in banner.inner_text()
        _go(page, "Mijn gegevens")
        assert "Hendrika Johanna" in page.locator("main").inner_text()
        assert_accessible(page)
        # Nothing is wider than the phone: no sideways scrolling of the page.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
