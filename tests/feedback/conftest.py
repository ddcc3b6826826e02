"""The personal page's world with the demo contacts and cases, for the feedback pages."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from klantocratie.cases import choices, services
from klantocratie.cases.packs import load_case_types
from klantocratie.contacts.demo import load_demo_contacts
from klantocratie.contacts.models import Contact
from klantocratie.privacy.gate import AccessContext
from tests.support.portal import PortalWorld

WORKER = AccessContext(
    actor="demo-zaak",
    role="case_worker",
    organisation="gemeente-almelo",
    activity="zaakbehandeling",
)


@pytest.fixture
def feedback_world(portal_world: PortalWorld) -> PortalWorld:
    """Riky's demo contacts (two handled, one waiting for a callback) and three cases of
    hers: a granted parking permit (closed), a building permit (running) and a Wmo
    request whose provider she chose herself."""
    pack = Path(django_settings.DEMO_PACK_DIR)
    load_demo_contacts(pack)
    # The demo contacts carry fixed dates; keep them as recent as on the day they were
    # written (the newest three weeks ago), so the questions about them stay current.
    contacts = Contact.objects.filter(involvements__party=portal_world.riky).distinct()
    newest = max(c.occurred_at for c in contacts)
    shift = timezone.now() - timedelta(days=21) - newest
    for contact in contacts:
        contact.occurred_at += shift
        contact.save(update_fields=["occurred_at"])
    load_case_types(pack / "cases")
    riky = services.Client(portal_world.riky)
    permit = services.start_case(
        WORKER,
        case_type="parkeervergunning",
        clients=[riky],
        description="Parkeervergunning bewoners",
        properties={"kenteken": "GZ-123-B"},
    )
    services.set_result(WORKER, permit, "verleend")
    services.set_status(WORKER, permit, "afgehandeld")
    services.start_case(
        WORKER,
        case_type="omgevingsvergunning-bouwen",
        clients=[riky],
        description="Dakkapel aan de achterkant",
        properties={"bouwhoogte": 6.5, "monument": False, "gebied": "regulier"},
    )
    wmo = services.start_case(
        WORKER, case_type="wmo-ondersteuning", clients=[riky], description="Hulp bij het huishouden"
    )
    choices.choose_provider(resident(portal_world.riky), wmo, "gemeente")
    return portal_world


def resident(party, actor: str = "demo-inwoner") -> AccessContext:  # type: ignore[no-untyped-def]
    return AccessContext(
        actor=actor,
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=party.pk,
    )
