"""Privacy choices and the log in a real browser: Riky withdraws and gives her consent
again, objects to proactive outreach, downloads the receipt, and reads who looked at her
data; on a phone she withdraws her objection. Every page passes the accessibility check."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.demo.portal_accounts import create_portal_demo_accounts
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.models import PrivacyChoice, ProcessingLogRecord
from klantocratie.privacy.packs import load_choice_purposes
from klantocratie.privacy.selectors import subject_pseudonyms
from klantocratie.registry.packs import load_pack
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PACK = Path(django_settings.DEMO_PACK_DIR)


@pytest.fixture
def riky(settings) -> Party:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    load_pack(PACK)
    load_choice_purposes(PACK)
    generate_municipality(persons=60)
    create_demo_accounts(PACK, DEMO_RESIDENT_BSN)
    create_portal_demo_accounts(DEMO_RESIDENT_BSN)
    party = find_party("bsn", DEMO_RESIDENT_BSN)
    assert party is not None
    return party


def _log_in(browser, live_server, **context_options):  # type: ignore[no-untyped-def]
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(live_server.url + "/mijn/inloggen/")
    page.locator("button[data-username='demo-inwoner']").click()
    return context, page


def _latest(party: Party, purpose: str) -> PrivacyChoice:
    return PrivacyChoice.objects.filter(party=party, purpose=purpose).latest("decided_at")


def test_riky_withdraws_and_gives_consent_objects_and_downloads_the_receipt(
    browser, live_server, riky: Party
) -> None:  # type: ignore[no-untyped-def]
    context, page = _log_in(browser, live_server, viewport={"width": 1280, "height": 900})
    try:
        page.get_by_role("navigation", name="Mijn pagina").get_by_role(
            "link", name="Mijn privacykeuzes"
        ).click()
        assert page.get_by_role("heading", level=1).inner_text() == "Mijn privacykeuzes"
        assert_accessible(page)

        extended = page.get_by_role(
            "region", name="Uitgebreid klantbeeld bij het klantcontactcentrum"
        )
        extended.get_by_role("button", name="Toestemming intrekken").click()
        assert "Toestemming ingetrokken" in page.get_by_role("status").inner_text()
        assert_accessible(page)
        assert _latest(riky, "uitgebreid-klantbeeld").status == "withdrawn"

        extended = page.get_by_role(
            "region", name="Uitgebreid klantbeeld bij het klantcontactcentrum"
        )
        extended.get_by_role("button", name="Toestemming geven").click()
        assert "Toestemming gegeven" in page.get_by_role("status").inner_text()
        assert _latest(riky, "uitgebreid-klantbeeld").status == "given"

        outreach = page.get_by_role("region", name="Uit onszelf hulp en diensten aanbieden")
        outreach.get_by_role("button", name="Bezwaar maken").click()
        outreach = page.get_by_role("region", name="Uit onszelf hulp en diensten aanbieden")
        assert "Bezwaar gemaakt" in outreach.inner_text()
        assert_accessible(page)
        objection = _latest(riky, "proactieve-dienstverlening")

        with page.expect_download() as download_info:
            outreach.get_by_role("link", name="Bewijs downloaden van deze keuze (PDF)").click()
        download = download_info.value
        assert download.suggested_filename == f"bewijs-privacykeuze-{objection.uuid}.pdf"
        assert Path(download.path()).read_bytes().startswith(b"%PDF")

        page.get_by_role("navigation", name="Mijn pagina").get_by_role(
            "link", name="Wie keek in mijn gegevens"
        ).click()
        assert page.get_by_role("heading", level=1).inner_text() == "Wie keek in mijn gegevens"
        total = ProcessingLogRecord.objects.filter(
            data_subject_id__in=subject_pseudonyms(riky)
        ).count()
        assert (
            f"Het logboek bevat {total} vastleggingen over u."
            in page.locator("#totaal").inner_text()
        )
        assert_accessible(page)
        page.get_by_label("Organisatie").select_option("gemeente-almelo")
        page.get_by_role("button", name="Filter toepassen").click()
        assert "passen bij het filter" in page.locator("main").inner_text()
        assert_accessible(page)
    finally:
        context.close()


def test_on_a_phone_riky_withdraws_her_objection_and_reads_her_log(
    browser, live_server, riky: Party
) -> None:  # type: ignore[no-untyped-def]
    context, page = _log_in(browser, live_server, viewport={"width": 375, "height": 740})
    try:
        page.goto(live_server.url + "/mijn/privacy/")
        outreach = page.get_by_role("region", name="Uit onszelf hulp en diensten aanbieden")
        outreach.get_by_role("button", name="Bezwaar maken").click()
        outreach = page.get_by_role("region", name="Uit onszelf hulp en diensten aanbieden")
        outreach.get_by_role("button", name="Bezwaar intrekken").click()
        assert "Bezwaar ingetrokken" in page.get_by_role("status").inner_text()
        assert _latest(riky, "proactieve-dienstverlening").status == "withdrawn"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page)

        page.goto(live_server.url + "/mijn/inzage/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert_accessible(page)
    finally:
        context.close()
