"""axe-core on every page of the personal page, for a resident and for a business, on a
desktop and on a phone: no serious or critical WCAG 2.1 AA violation, and nothing wider
than the phone. The pages come from the URL configuration, so a new page is checked too.
"""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import get_resolver, reverse

from klantocratie.cases.packs import load_case_types
from klantocratie.contacts.demo import load_demo_contacts
from klantocratie.contacts.models import Contact
from klantocratie.participation.demo import load_demo_participation
from klantocratie.participation.models import Poll, PollStatus
from klantocratie.portal.askonce.packs import load_request_forms
from klantocratie.portal.corrections import request_correction
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import PrivacyChoice
from klantocratie.signals.packs import load_signal_rules
from tests.cases.test_services import fine
from tests.portal.test_access_sweep import PUBLIC, _patterns
from tests.signals.test_views import make_signal
from tests.support.axe import assert_accessible
from tests.support.portal import PortalWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}
# Pages without an id that are not a page to look at (a login post, a form post).
NOT_PAGES = {"portal:demo-login", "portal:choice-change", "feedback:give", "feedback:figures"}


def _riky_pages(world: PortalWorld) -> list[str]:
    pack = Path(django_settings.DEMO_PACK_DIR)
    load_case_types(pack / "cases")
    load_request_forms(pack / "forms")
    load_demo_contacts(pack)
    load_signal_rules(pack / "signals")
    load_demo_participation(pack, respondents=20)
    riky = world.riky
    ctx = AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=riky.pk,
    )
    case = fine(riky)
    make_signal("klachten-na-vertrek-kinderen", riky)
    correction = request_correction(ctx, riky, "person.birth", proposed_value="19-05-1972")
    contact = Contact.objects.filter(involvements__party=riky).first()
    assert contact is not None
    choice = PrivacyChoice.objects.filter(party=riky).first()
    assert choice is not None
    poll = Poll.objects.filter(status=PollStatus.CLOSED).first()
    assert poll is not None
    without_ids = [
        reverse(name)
        for name, pattern in _patterns_of_portal()
        if "<" not in pattern and name not in NOT_PAGES
    ]
    return [
        *without_ids,
        reverse("portal:case", args=[case.uuid]),
        reverse("portal:contact", args=[contact.uuid]),
        reverse("portal:correction-detail", args=[correction.uuid]),
        reverse("portal:correction", args=["person.address"]),
        reverse("portal:request-form", args=["parkeervergunning"]),
        reverse("participation:poll", args=[poll.uuid]),
        reverse("participation:results", args=[poll.uuid]),
        reverse("feedback:contact", args=[contact.uuid]),
    ]


def _patterns_of_portal() -> list[tuple[str, str]]:
    return [
        (name, pattern)
        for name, pattern in _patterns(get_resolver())
        if name.split(":")[0] in {"portal", "feedback", "participation"} and name not in PUBLIC
    ]


def _check(page, live_server, urls: list[str], *, phone: bool) -> None:  # type: ignore[no-untyped-def]
    for url in urls:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        assert_accessible(page)
        if phone:
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (url, width)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"]
)
def test_every_page_of_a_resident(
    browser, live_server, portal_world: PortalWorld, viewport
) -> None:  # type: ignore[no-untyped-def]
    urls = _riky_pages(portal_world)
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/mijn/inloggen/")
        page.locator("button[data-username='demo-inwoner']").click()
        _check(page, live_server, urls, phone=viewport == PHONE)
    finally:
        context.close()


def test_every_page_of_a_business_on_a_phone(
    browser, live_server, portal_world: PortalWorld
) -> None:  # type: ignore[no-untyped-def]
    urls = [
        reverse(name)
        for name, pattern in _patterns_of_portal()
        if "<" not in pattern and name not in NOT_PAGES
    ]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/mijn/inloggen/")
        page.locator("button[data-username='demo-ondernemer']").click()
        _check(page, live_server, urls, phone=True)
    finally:
        context.close()
