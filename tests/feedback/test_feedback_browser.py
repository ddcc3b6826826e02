"""The demo resident answers a satisfaction question in a real browser; every page is
checked with axe-core, and the page once at phone size."""

from typing import Any

import pytest

from tests.support.axe import assert_accessible

from .conftest import PortalWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, base: str) -> None:
    page.goto(base + "/mijn/inloggen/")
    assert_accessible(page)
    page.locator("button[data-username='demo-inwoner']").click()


def test_riky_gives_her_opinion_on_a_contact(
    browser: Any, live_server: Any, feedback_world: PortalWorld, settings: Any
) -> None:
    settings.DEMO_MODE = True
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _login(page, live_server.url)
        page.goto(live_server.url + "/mijn/feedback/")
        assert page.get_by_role("heading", level=1).inner_text() == "Feedback"
        assert_accessible(page)

        question = page.get_by_role(
            "form", name="Hoe tevreden bent u over uw contact “Aanslag afvalstoffenheffing”?"
        )
        question.get_by_label("Tevreden", exact=True).check()
        question.get_by_label("Wilt u iets toelichten? (niet verplicht)").fill(
            "Duidelijk uitgelegd."
        )
        question.get_by_role("button", name="Verstuur mijn oordeel").click()

        assert "Dank u wel voor uw mening." in page.get_by_role("status").first.inner_text()
        history = page.get_by_role("table", name="Uw feedback, nieuwste eerst")
        assert "Duidelijk uitgelegd." in history.inner_text()
        assert page.get_by_text("“Aanslag afvalstoffenheffing”").count() == 0
        assert_accessible(page)

        # A question on its own page, as a notice would link to it.
        page.get_by_role(
            "form", name="Hoe tevreden bent u over uw zaak “Parkeervergunning bewoners”?"
        ).wait_for()
        action = page.locator("form.feedback-prompt").first.get_attribute("action")
        page.goto(live_server.url + str(action))
        assert page.get_by_role("heading", level=1).inner_text() == "Hoe tevreden bent u?"
        assert_accessible(page)
    finally:
        context.close()

    phone = browser.new_context(viewport={"width": 375, "height": 740})
    page = phone.new_page()
    try:
        _login(page, live_server.url)
        page.goto(live_server.url + "/mijn/feedback/")
        assert_accessible(page)
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert page.get_by_role("button", name="Verstuur feedback").is_visible()
    finally:
        phone.close()
