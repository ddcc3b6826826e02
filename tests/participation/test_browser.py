"""The demo resident answers a poll in a real browser, follows a theme, reads results;
every page passes the accessibility check, and the pages fit a phone."""

import pytest
from django.conf import settings as django_settings

from klantocratie.participation.demo import GREEN_WASTE, PARKING, load_demo_participation
from klantocratie.participation.models import Answer, Poll, Subscription
from tests.support.axe import assert_accessible

from .conftest import PortalWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/mijn/inloggen/")
    assert_accessible(page)
    page.locator("button[data-username='demo-inwoner']").click()
    page.wait_for_url(base_url + "/mijn/")


def test_the_demo_resident_answers_a_poll(
    browser, live_server, portal_world: PortalWorld, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    load_demo_participation(django_settings.DEMO_PACK_DIR, respondents=40)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _login(page, live_server.url)
        page.get_by_role("navigation", name="Mijn pagina").get_by_role(
            "link", name="Meedenken"
        ).click()
        assert page.get_by_role("heading", level=1).inner_text() == "Meedenken"
        assert_accessible(page)

        page.get_by_role("link", name=GREEN_WASTE.title, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == GREEN_WASTE.title
        assert_accessible(page)
        page.get_by_role("button", name="Verstuur mijn antwoord").click()
        assert "Kies een van de antwoorden." in page.get_by_role("alert").inner_text()
        assert_accessible(page)
        page.get_by_label("Ja, elke week").check()
        page.get_by_role("button", name="Verstuur mijn antwoord").click()
        assert page.get_by_role("heading", level=1).inner_text() == (
            f"Tussenstand: {GREEN_WASTE.title}"
        )
        assert "uw antwoord is bewaard" in page.get_by_role("status").first.inner_text()
        assert_accessible(page)

        page.get_by_role("link", name="Terug naar Meedenken").click()
        page.get_by_role("link", name="Kies wat u volgt").click()
        assert_accessible(page)
        page.get_by_label("Groen en klimaat").check()
        page.get_by_label("Stuur mij ook een e-mail bij een nieuwe peiling").check()
        page.get_by_label("E-mailadres voor peilingen").fill("riky@example.org")
        page.get_by_role("button", name="Bewaar mijn keuzes").click()
        assert "U volgt nu ook: Groen en klimaat." in page.get_by_role("status").first.inner_text()
        assert_accessible(page)

        page.get_by_role("link", name=PARKING.title).click()
        assert page.get_by_role("heading", level=1).inner_text() == f"Uitslag: {PARKING.title}"
        assert page.get_by_role("table").count() == 2
        assert_accessible(page)
    finally:
        context.close()
    assert Answer.objects.filter(poll__title=GREEN_WASTE.title).count() == 11
    assert Subscription.objects.filter(party=portal_world.riky).count() == 2

    phone = browser.new_context(viewport={"width": 375, "height": 740})
    page = phone.new_page()
    try:
        _login(page, live_server.url)
        parking = Poll.objects.get(title=PARKING.title)
        for path in (
            "/mijn/participatie/",
            f"/mijn/participatie/peilingen/{parking.uuid}/uitslag/",
        ):
            page.goto(live_server.url + path)
            assert_accessible(page)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    finally:
        phone.close()
