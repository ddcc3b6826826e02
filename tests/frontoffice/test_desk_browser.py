"""An agent at the desk in a real browser: find by postcode and house number, change the phone."""

import pytest

from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.models import Party
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.sources.contactdetails.models import ContactDetails
from klantocratie.sources.population.models import Residence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_finds_a_client_by_address_and_changes_the_phone(
    browser, live_server, demo: Party, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    home = Residence.objects.get(bsn=DEMO_RESIDENT_BSN, valid_to__isnull=True)
    address = f"{home.postcode} {home.house_number}{home.house_letter}"
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto(live_server.url + "/")
        page.get_by_role("button", name="KCC-medewerker").first.click()
        page.goto(live_server.url + "/balie/")
        # The cursor starts in the search box; "/" brings it back from anywhere.
        page.locator("body").click()
        page.keyboard.press("/")
        page.keyboard.type(address)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.get_by_role("heading", level=1).inner_text() == "Hendrika Johanna ter Horst"
        assert page.locator("[data-element='cases.open']").is_visible()
        assert DEMO_RESIDENT_BSN not in page.url

        phone = page.get_by_label("Telefoonnummer")
        phone.fill("06 2468 1357")
        with page.expect_navigation():
            phone.press("Enter")
        outcome = page.locator("[data-change='person.phone'] [data-change-outcome]")
        assert outcome.get_attribute("data-change-outcome") == "delivered"
        assert "Telefoonnummer is gewijzigd" in outcome.inner_text()
    finally:
        page.close()
    assert ContactDetails.objects.get(bsn=DEMO_RESIDENT_BSN).phone == "0624681357"
    operations = list(ProcessingLogRecord.objects.values_list("operation", flat=True))
    assert operations.count("search") == 1 and operations.count("change") == 1
