"""Proactive signals in a real browser, on signals a real run of the public rules raised.

The resident reads why there is a signal about them, takes up the offer and contests
one of the facts; the social worker sees both on the signal page, records a phone call
and closes the signal with an outcome from the rule's list. Anyone can read the rules.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from klantocratie.cases.packs import load_case_types
from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.parties.selectors import find_party
from klantocratie.registry.packs import load_pack
from klantocratie.signals.demo import plant_demo_situations
from klantocratie.signals.models import OfferState, Signal, SignalStatus
from klantocratie.signals.packs import load_signal_rules
from klantocratie.signals.services import run_rules
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PACK = Path(django_settings.DEMO_PACK_DIR)
RULE = "klachten-na-vertrek-kinderen"
# The signals docs' screenshot, refreshed only when asked.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "signal.png"


@pytest.fixture
def raised(settings, tmp_path: Path) -> Signal:  # type: ignore[no-untyped-def]
    """The demo municipality after one full run; returns the resident's wijkteam signal."""
    settings.ANALYTICS_DIR = tmp_path / "analytics"
    load_pack(PACK)
    generate_municipality(persons=60)
    create_demo_accounts(PACK, DEMO_RESIDENT_BSN)
    load_case_types(PACK / "cases")
    load_signal_rules(PACK / "signals")
    plant_demo_situations()
    run_rules(triggered_by="browsertest")
    return Signal.objects.get(rule__code=RULE, party=find_party("bsn", DEMO_RESIDENT_BSN))


def _log_in(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(f"button[data-username='{username}']").click()
    return context, page


def test_resident_answers_and_the_team_follows_up(
    browser, live_server, raised: Signal, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    section = f"#signaal-{raised.uuid}"

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/mijn/inloggen/")
        page.locator("button[data-username='demo-inwoner']").click()
        page.get_by_role("navigation", name="Mijn pagina").get_by_role(
            "link", name="Aanbod en signalen"
        ).click()
        assert page.get_by_role("heading", level=1).inner_text() == "Aanbod en signalen"
        assert_accessible(page)
        own = page.locator(section)
        assert raised.resident_explanation in own.inner_text()
        # Each of the resident's signals explains itself.
        for signal in Signal.objects.filter(party=raised.party):
            assert signal.resident_explanation in page.locator("main").inner_text()

        own.get_by_role("button", name="Aannemen").click()
        assert "U heeft het aanbod aangenomen" in page.get_by_role("status").first.inner_text()
        own = page.locator(section)
        assert "Aangenomen" in own.inner_text()
        assert own.get_by_role("button", name="Aannemen").count() == 0

        own.get_by_text("Reageren of bezwaar maken").click()
        own.get_by_label("Ik ben het er niet mee eens (bezwaar)").check()
        contested = next(i for i in raised.evidence if i["kind"] == "klacht.verhuurder")
        own.get_by_label("Klopt een gegeven niet? Kies welk").select_option(contested["reference"])
        own.get_by_label("Uw reactie").fill("Die klacht was van de vorige bewoner.")
        own.get_by_role("button", name="Verstuur").click()
        assert "Uw bezwaar is vastgelegd" in page.get_by_role("status").first.inner_text()
        assert "u heeft dit betwist" in page.locator(section).inner_text()
        assert_accessible(page)
    finally:
        context.close()

    context, page = _log_in(browser, live_server, "demo-sociaal")
    try:
        page.get_by_role("link", name="Werklijst signalen").click()
        row = page.locator("tr", has=page.locator(f"a[href='/signalen/{raised.uuid}/']"))
        assert "betwist" in row.inner_text() and "Aangenomen" in row.inner_text()
        row.get_by_role("link").click()
        assert page.get_by_role("heading", level=1).inner_text() == raised.rule.name
        assert "nooit tot een sanctie" in page.get_by_role("note").inner_text()
        if os.environ.get("KLANTOCRATIE_UPDATE_SCREENSHOTS"):
            page.screenshot(path=str(DOCS_SCREENSHOT), full_page=True)
        assert (
            "Hendrika Johanna ter Horst"
            in page.get_by_role("complementary", name="Contactgegevens").inner_text()
        )
        assert "Die klacht was van de vorige bewoner." in page.locator("main").inner_text()

        page.get_by_role("button", name="Neem in behandeling").click()
        page.get_by_label("Telefoon").check()
        page.get_by_label("Ja", exact=True).check()
        page.get_by_label("Notitie (niet verplicht)").fill("Huisbezoek afgesproken.")
        page.get_by_role("button", name="Leg contactpoging vast").click()
        assert "Telefoon: bereikt" in page.locator("#contact").inner_text()

        page.get_by_role("button", name="Sluit signaal af").click()
        # No outcome chosen: the error stands next to the field, nothing was closed.
        assert page.locator("#id_afsluiten-outcome-fout").is_visible()
        page.get_by_label("Uitkomst").select_option("hulp_gestart")
        page.get_by_role("button", name="Sluit signaal af").click()
        assert page.locator("#uitkomst").inner_text() == "Hulp of regeling gestart"
    finally:
        context.close()

    raised.refresh_from_db()
    assert raised.status == SignalStatus.CLOSED and raised.offer_state == OfferState.ACCEPTED
    assert raised.contested and raised.assigned_to.username == "demo-sociaal"

    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Signaleringsregels").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Signaleringsregels"
        assert raised.rule.name in page.locator("main").inner_text()
    finally:
        context.close()
