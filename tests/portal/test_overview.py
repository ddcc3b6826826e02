"""The overview: whom to call first, the forms used most, what waits for the resident,
and a way in for everything else."""

from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.cases import services
from klantocratie.cases.packs import load_case_types
from klantocratie.portal.askonce.packs import load_request_forms
from klantocratie.portal.corrections import request_correction
from klantocratie.privacy.gate import AccessContext
from tests.cases.conftest import worker
from tests.cases.test_services import permit
from tests.support.portal import PortalWorld


def test_the_overview_puts_the_case_worker_and_the_used_forms_first(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    pack = Path(django_settings.DEMO_PACK_DIR)
    load_case_types(pack / "cases")
    load_request_forms(pack / "forms")
    case = permit(portal_world.riky)
    services.assign(worker(), case, User.objects.get(username="demo-zaak"))
    page = riky_client.get("/mijn/").content.decode()
    contact = page.index("Uw contactpersonen")
    assert "Zeynep Bakker" in page and 'href="tel:0546541234"' in page
    quick = page.index("Snel regelen")
    assert contact < quick
    # She applied for a building permit before, so that form leads.
    assert page.index("Eerder aangevraagd: 1 keer") > quick
    assert "Omgevingsvergunning" in page[quick : page.index("Eerder aangevraagd")]
    assert 'href="tel:140546"' in page and 'href="/mijn/vraag/"' in page


def test_open_corrections_wait_for_the_resident_on_the_overview(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    assert "Voor u klaargezet" not in riky_client.get("/mijn/").content.decode()
    ctx = AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=portal_world.riky.pk,
    )
    request_correction(ctx, portal_world.riky, "person.birth", proposed_value="19-05-1972")
    page = riky_client.get("/mijn/").content.decode()
    assert "Voor u klaargezet" in page and "1 correctieverzoek loopt nog" in page


def test_a_question_about_anything_becomes_a_contact_of_the_subject(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    response = riky_client.post(
        "/mijn/vraag/", {"onderwerp": "Afval", "inhoud": "Wanneer komt de grofvuilwagen?"}
    )
    assert response.status_code == 302
    page = riky_client.get("/mijn/contacten/").content.decode()
    assert "Afval" in page
    missing = riky_client.post("/mijn/vraag/", {"onderwerp": "Afval"})
    assert missing.status_code == 400
    assert 'id="id_inhoud-fout"' in missing.content.decode()
