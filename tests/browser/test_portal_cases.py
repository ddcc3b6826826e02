"""A resident follows her cases and contacts in a real browser: sends a photo (stored
without its GPS position), accepts an offer on a parking fine, and reads the answer to a
question she asked; also on a phone-sized screen. Every page passes axe (WCAG 2.1 AA)."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from PIL import Image

from klantocratie.cases import services
from klantocratie.cases.models import Case, OfferState
from klantocratie.contacts import services as contact_services
from klantocratie.contacts.channels import load_channels
from tests.cases.conftest import worker
from tests.cases.test_services import fine, permit
from tests.portal.test_cases import with_case_types
from tests.portal.test_contacts import agent
from tests.portal.test_uploads import GPS_IFD, photo_with_gps
from tests.support.axe import assert_accessible
from tests.support.portal import PortalWorld

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def cases(portal_world: PortalWorld, settings, tmp_path: Path) -> tuple[Case, Case]:  # type: ignore[no-untyped-def]
    """Riky's building permit (with her case worker) and her parking fine with offers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with_case_types(portal_world)
    building = permit(portal_world.riky)
    services.assign(worker(), building, User.objects.get(username="demo-zaak"))
    # A transactional test starts without the channels a migration seeds.
    load_channels(django_settings.DEMO_PACK_DIR)
    contact_services.register_contact(
        agent(),
        portal_world.riky,
        channel="telefoon",
        subject="Dakkapel en welstand",
        content="Moet mijn dakkapel langs de welstandscommissie?",
        answer="Nee, aan de achterkant is een ambtelijke toets genoeg.",
    )
    return building, fine(portal_world.riky)


def _log_in(page, live_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/mijn/inloggen/")
    page.locator("button[data-username='demo-inwoner']").click()


def _go(page, name: str) -> None:  # type: ignore[no-untyped-def]
    nav = page.get_by_role("navigation", name="Mijn pagina")
    nav.get_by_role("link", name=name, exact=True).click()


def test_a_resident_sends_a_photo_accepts_an_offer_and_reads_an_answer(
    browser, live_server, cases: tuple[Case, Case], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    building, parking = cases
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(photo_with_gps())
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        _log_in(page, live_server)
        _go(page, "Mijn zaken")
        assert page.get_by_role("heading", level=1).inner_text() == "Mijn zaken"
        assert "Herbeoordeling WW-uitkering" in page.locator("main").inner_text()
        assert_accessible(page)

        page.get_by_role("link", name="Omgevingsvergunning bouwen", exact=True).click()
        main = page.locator("main")
        assert "Uw contactpersoon is Zeynep Bakker van Gemeente Almelo" in main.inner_text()
        assert_accessible(page)
        page.get_by_label("Soort document").select_option("tekening")
        page.get_by_label("Titel (niet verplicht)").fill("Foto van het achterdak")
        page.get_by_label("Bestand").set_input_files(str(photo))
        page.get_by_role("button", name="Verstuur").click()
        assert "Uw document 'Foto van het achterdak' is toegevoegd" in (
            page.get_by_role("status").first.inner_text()
        )
        assert page.get_by_role("link", name="Foto van het achterdak").is_visible()
        assert_accessible(page)
        with building.documents.get().file.open("rb") as stored:
            data = stored.read()
        with Image.open(io.BytesIO(data)) as image:
            assert not image.getexif().get_ifd(GPS_IFD)

        # A file of the wrong type is refused next to the field.
        wrong = tmp_path / "tekening.pdf"
        wrong.write_bytes(b"MZ\x90\x00 a program")
        page.get_by_label("Bestand").set_input_files(str(wrong))
        page.get_by_role("button", name="Verstuur").click()
        assert (
            "Dit soort bestand wordt niet aanvaard"
            in page.locator("#upload-bestand-fout").inner_text()
        )
        assert_accessible(page)

        page.get_by_role("link", name="Terug naar Mijn zaken").click()
        page.get_by_role("link", name="Naheffingsaanslag parkeerbelasting", exact=True).click()
        assert_accessible(page)
        page.get_by_role("button", name="Ik neem dit aanbod aan: Korting met een cursus").click()
        assert "U hebt het aanbod aangenomen" in page.get_by_role("status").first.inner_text()
        assert_accessible(page)
        assert parking.offers.get(offer_type__code="cursus").state == OfferState.ACCEPTED

        _go(page, "Mijn contacten")
        assert_accessible(page)
        page.get_by_role("link", name="Dakkapel en welstand").click()
        assert "ambtelijke toets genoeg" in page.locator("main").inner_text()
        assert_accessible(page)
    finally:
        context.close()


def test_cases_and_contacts_work_on_a_phone(browser, live_server, cases: tuple[Case, Case]) -> None:  # type: ignore[no-untyped-def]
    building, _ = cases
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        _log_in(page, live_server)
        for url in (
            "/mijn/zaken/",
            f"/mijn/zaken/{building.uuid}/",
            "/mijn/contacten/",
        ):
            page.goto(live_server.url + url)
            assert_accessible(page)
            # Nothing is wider than the screen: no sideways scrolling to read a case.
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("link", name="Dakkapel en welstand").click()
        assert_accessible(page)
        page.goto(live_server.url + f"/mijn/zaken/{building.uuid}/")
        assert page.get_by_label("Bestand").is_visible()
    finally:
        context.close()
