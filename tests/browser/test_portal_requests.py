"""Ask once in a real browser: Riky requests a parking permit from a form that already
knows her, checks the preview and sends it; on a phone she reports a broken street light.
Every page passes the accessibility check."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from klantocratie.cases.models import Case
from klantocratie.cases.packs import load_case_types
from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.demo.portal_accounts import create_portal_demo_accounts
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.portal.askonce.packs import load_request_forms
from klantocratie.registry.packs import load_pack
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PACK = Path(django_settings.DEMO_PACK_DIR)


@pytest.fixture
def riky(settings) -> Party:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    load_pack(PACK)
    generate_municipality(persons=60)
    create_demo_accounts(PACK, DEMO_RESIDENT_BSN)
    create_portal_demo_accounts(DEMO_RESIDENT_BSN)
    load_case_types(PACK / "cases")
    load_request_forms(PACK / "forms")
    party = find_party("bsn", DEMO_RESIDENT_BSN)
    assert party is not None
    return party


def _log_in(browser, live_server, **context_options):  # type: ignore[no-untyped-def]
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(live_server.url + "/mijn/inloggen/")
    page.locator("button[data-username='demo-inwoner']").click()
    return context, page


def test_riky_requests_a_parking_permit_with_a_preview(browser, live_server, riky: Party) -> None:  # type: ignore[no-untyped-def]
    context, page = _log_in(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        page.get_by_role("navigation", name="Mijn pagina").get_by_role(
            "link", name="Iets aanvragen"
        ).click()
        assert page.get_by_role("heading", level=1).inner_text() == "Iets aanvragen"
        assert_accessible(page)

        page.get_by_role("link", name="Parkeervergunning aanvragen").click()
        assert "Hendrika Johanna ter Horst" in page.locator("dl").first.inner_text()
        assert "Bekend bij: Gemeente Almelo" in page.locator("main").inner_text()
        assert_accessible(page)

        # Nothing answered: each error next to its field, and listed at the top.
        page.get_by_role("button", name="Naar controleren").click()
        assert page.get_by_role("alert").is_visible()
        kenteken = page.get_by_label("Kenteken van de auto")
        assert kenteken.get_attribute("aria-invalid") == "true"
        assert "veld-kenteken-fout" in (kenteken.get_attribute("aria-describedby") or "")
        assert_accessible(page)

        # "Not right": the form points to the correction route instead.
        page.get_by_label("Nee, er klopt iets niet").check()
        page.get_by_role("button", name="Naar controleren").click()
        assert "U kunt dit niet in het formulier veranderen" in page.locator("main").inner_text()
        assert_accessible(page)

        page.get_by_label("Ja, dit klopt").check()
        page.get_by_label("Kenteken van de auto").fill("AB-123-C")
        page.get_by_role("button", name="Naar controleren").click()
        assert page.get_by_role("heading", level=1).inner_text().startswith("Controleer uw")
        assert "AB-123-C" in page.locator("main").inner_text()
        assert_accessible(page)

        page.get_by_role("button", name="Verstuur aanvraag").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Uw aanvraag is verstuurd"
        case = Case.objects.get(roles__party=riky)
        assert case.identification in page.locator("main").inner_text()
        link = page.get_by_role("link", name=f"Bekijk zaak {case.identification}")
        assert link.get_attribute("href") == f"/mijn/zaken/{case.uuid}/"
        assert_accessible(page)
    finally:
        context.close()
    assert case.properties == {"kenteken": "AB-123-C"}


def test_on_a_phone_riky_reports_a_broken_street_light(browser, live_server, riky: Party) -> None:  # type: ignore[no-untyped-def]
    context, page = _log_in(browser, live_server, viewport={"width": 375, "height": 740})
    try:
        page.goto(live_server.url + "/mijn/aanvragen/")
        assert_accessible(page)
        page.get_by_role("link", name="Melding openbare ruimte doen").click()
        assert_accessible(page)
        page.get_by_label("Ja, dit klopt").check()
        page.get_by_label("Wat wilt u melden?").fill("Lantaarnpaal brandt niet")
        page.get_by_label("Soort melding").select_option("straatverlichting-openbare-klok")
        page.get_by_label("Waar is het?").fill("Hofkampstraat 12")
        page.get_by_role("group", name="Is de situatie gevaarlijk?").get_by_label("Nee").check()
        page.get_by_role("button", name="Naar controleren").click()
        assert "Hofkampstraat 12" in page.locator("main").inner_text()
        assert_accessible(page)
        # Nothing may stick out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.get_by_role("button", name="Verstuur aanvraag").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Uw aanvraag is verstuurd"
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
    case = Case.objects.get(roles__party=riky)
    assert case.description == "Lantaarnpaal brandt niet"
    assert case.properties == {
        "categorie": "straatverlichting-openbare-klok",
        "locatie": "Hofkampstraat 12",
        "spoed": False,
    }
