"""The review queue in a real browser: the Koppelcontroleur opens a probable link, sees
both records side by side, rejects without a reason (refused), accepts, and undoes an
automatic link; a KCC agent then sees the accepted record with its certainty. Every page
passes the accessibility check."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.linkage.models import Link, LinkMethod, LinkStatus, PartnerRecord
from klantocratie.parties.selectors import find_party
from klantocratie.registry.models import Source
from klantocratie.registry.packs import load_pack
from klantocratie.sources.police.models import Report
from klantocratie.sources.population.models import Person
from tests.support.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PACK = Path(django_settings.DEMO_PACK_DIR)


@pytest.fixture
def probable_links(settings) -> tuple[Link, Link]:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    load_pack(PACK)
    generate_municipality(persons=60)
    create_demo_accounts(PACK, DEMO_RESIDENT_BSN)
    party = find_party("bsn", DEMO_RESIDENT_BSN)
    person = Person.objects.get(bsn=DEMO_RESIDENT_BSN)
    police = Source.objects.get(code="politie-meldingen")
    links = []
    for reference, status in (("POL-1", LinkStatus.REVIEW), ("POL-2", LinkStatus.AUTOMATIC)):
        record = PartnerRecord.objects.create(
            source=police,
            reference=reference,
            surname=f"{person.surname_prefix.capitalize()} {person.surname}",
            given_names="H.",
            birth_date="1971-05-18",
            postcode="7605AB",
            house_number=1,
        )
        Report.objects.create(
            reference=reference,
            bsn="",
            date="2026-10-01",
            kind="burenruzie",
            description=f"Melding {reference}",
        )
        links.append(
            Link.objects.create(
                record=record,
                party=party,
                method=LinkMethod.PROBABILISTIC,
                match_weight=8.2,
                match_probability=0.962,
                levels=[
                    {
                        "vergelijking": "achternaam",
                        "niveau": "gelijk na voorvoegsel",
                        "gewicht": 7.1,
                    },
                    {
                        "vergelijking": "geboortedatum",
                        "niveau": "één cijfer anders",
                        "gewicht": 2.3,
                    },
                ],
                status=status,
            )
        )
    return links[0], links[1]


def _log_in(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.locator(f"button[data-username='{username}']").click()
    return context, page


def test_a_reviewer_decides_and_undoes_and_the_desk_sees_the_certainty(
    browser, live_server, probable_links: tuple[Link, Link]
) -> None:  # type: ignore[no-untyped-def]
    review, automatic = probable_links
    context, page = _log_in(browser, live_server, "demo-koppel")
    try:
        page.get_by_role("link", name="Te beoordelen koppelingen").click()
        assert_accessible(page)
        assert "ter Horst" not in page.locator("main").inner_text()
        page.get_by_role("link", name="POL-1").click()
        compare = page.get_by_role("table", name="Partnergegeven naast de basisregistratie")
        assert "Ter Horst" in compare.inner_text() and "Hendrika Johanna" in compare.inner_text()
        assert "gelijk na voorvoegsel" in page.locator("main").inner_text()
        assert_accessible(page)

        page.get_by_label("Afwijzen: een ander").check()
        page.get_by_role("button", name="Leg besluit vast").click()
        assert "Geef een toelichting" in page.locator("main").inner_text()
        assert_accessible(page)
        page.get_by_label("Accepteren: het gaat om deze persoon").check()
        page.get_by_role("button", name="Leg besluit vast").click()
        assert "is geaccepteerd" in page.locator("body").inner_text()
        review.refresh_from_db()
        assert review.status == LinkStatus.ACCEPTED

        page.get_by_role("link", name="Gekoppeld", exact=True).click()
        assert_accessible(page)
        page.get_by_role("link", name="POL-2").click()
        page.get_by_label("Waarom ongedaan maken?").fill("Partner meldt een andere bewoner.")
        page.get_by_role("button", name="Maak koppeling ongedaan").click()
        assert "is ongedaan gemaakt" in page.locator("body").inner_text()
        automatic.refresh_from_db()
        assert automatic.status == LinkStatus.UNDONE
    finally:
        context.close()

    context, page = _log_in(browser, live_server, "demo-kcc")
    try:
        page.goto(live_server.url + f"/klantbeeld/{find_party('bsn', DEMO_RESIDENT_BSN).uuid}/")
        text = page.locator("main").inner_text()
        assert "POL-1" in text and "96,2" in text
        assert "POL-2" not in text
        assert_accessible(page)
    finally:
        context.close()
