"""My contacts on the personal page: every contact with every organisation, with the
answer given, and no way to reach another resident's contact by its id."""

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from klantocratie.contacts import services
from klantocratie.contacts.models import Actor, Contact
from klantocratie.parties.models import Party
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.registry.models import Organisation
from tests.support.portal import PortalWorld

from .test_cases import acting_for_riky

CONTACTS = "/mijn/contacten/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def agent(organisation: str = "gemeente-almelo") -> AccessContext:
    return AccessContext(
        actor="demo-kcc" if organisation == "gemeente-almelo" else "demo-uwv",
        role="kcc_agent",
        organisation=organisation,
        activity="kcc-dienstverlening",
    )


def contact(
    party: Party,
    subject: str = "Afvalpas kwijt",
    *,
    organisation: str = "gemeente-almelo",
    days_ago: int = 1,
    **extra: object,
) -> Contact:
    return services.register_contact(
        agent(organisation),
        party,
        channel="telefoon",
        subject=subject,
        content=extra.pop("content", "Mevrouw is haar afvalpas kwijt."),  # type: ignore[arg-type]
        answer=extra.pop("answer", "Een nieuwe pas wordt binnen 5 werkdagen gestuurd."),  # type: ignore[arg-type]
        occurred_at=timezone.now() - timedelta(days=days_ago),
        **extra,  # type: ignore[arg-type]
    )


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_every_contact_with_every_organisation_newest_first(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    older = contact(portal_world.riky, "Afvalpas kwijt", days_ago=10)
    newer = contact(portal_world.riky, "WW en eigen bedrijf", organisation="uwv", days_ago=2)
    page = page_of(riky_client, CONTACTS)
    assert page.index(newer.subject) < page.index(older.subject)
    assert "UWV" in page and "Gemeente Almelo" in page
    assert "Een nieuwe pas wordt binnen 5 werkdagen gestuurd." in page


def test_contacts_are_filtered_by_organisation(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    contact(portal_world.riky, "Afvalpas kwijt")
    contact(portal_world.riky, "WW en eigen bedrijf", organisation="uwv")
    page = page_of(riky_client, f"{CONTACTS}?organisatie=uwv")
    assert "WW en eigen bedrijf" in page and "Afvalpas kwijt" not in page
    assert '<option value="uwv" selected>' in page
    page = page_of(riky_client, f"{CONTACTS}?organisatie=politie-twente")
    assert "U had geen contact met deze organisatie." in page


def test_contacts_are_paginated_keeping_the_filter(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    for day in range(21):
        contact(portal_world.riky, f"Vraag nummer {day:02d}", days_ago=day + 1)
    contact(portal_world.riky, "Bij het UWV", organisation="uwv")
    first = page_of(riky_client, CONTACTS)
    assert "Pagina 1 van 2" in first and "Vraag nummer 00" in first
    second = page_of(riky_client, f"{CONTACTS}?pagina=2")
    assert "Vraag nummer 20" in second and "Vraag nummer 00" not in second
    almelo = page_of(riky_client, f"{CONTACTS}?organisatie=gemeente-almelo")
    assert 'href="?organisatie=gemeente-almelo&amp;pagina=2"' in almelo


def test_a_contact_shows_the_question_the_answer_and_the_attachments(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    item = contact(
        portal_world.riky,
        "Bijzondere bijstand",
        content="Kan ik bijzondere bijstand krijgen voor een wasmachine?",
        answer="Ja, vraag het aan via Mijn pagina; u krijgt binnen 8 weken antwoord.",
        attachments=[services.Upload("offerte.pdf", PDF)],
    )
    team = Actor.objects.create(
        name="Team Inkomen",
        kind="organisatorische_eenheid",
        identifier="inkomen",
        organisation=Organisation.objects.get(code="gemeente-almelo"),
    )
    services.create_internal_task(
        agent(),
        item,
        requested_action="Terugbellen over de wasmachine",
        assign_to=[team],
        explanation="Intern: klant eerder geweigerd, dossier nakijken.",
        kind="terugbelverzoek",
    )
    page = page_of(riky_client, f"{CONTACTS}{item.uuid}/")
    assert "Kan ik bijzondere bijstand krijgen voor een wasmachine?" in page
    assert "u krijgt binnen 8 weken antwoord" in page
    assert "offerte.pdf" in page and "Terugbelverzoek" in page and "nog open" in page
    # What staff record for each other stays with them.
    assert "dossier nakijken" not in page and "demo-kcc" not in page


def test_a_confidential_contact_is_listed_without_its_content(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    item = contact(
        portal_world.riky,
        "Gesprek over veiligheid thuis",
        content="Vertrouwelijk gesprek.",
        confidential=True,
    )
    page = page_of(riky_client, CONTACTS)
    assert "Vertrouwelijk contact" in page and "veiligheid thuis" not in page
    page = page_of(riky_client, f"{CONTACTS}{item.uuid}/")
    assert "Vertrouwelijk gesprek." not in page and item.nummer in page


def test_a_resident_without_contacts_sees_an_empty_state(
    portal_world: PortalWorld, other_client: Client
) -> None:
    assert "Er is nog geen contact van u" in page_of(other_client, CONTACTS)


def test_reading_contacts_is_in_the_residents_processing_log(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    item = contact(portal_world.riky)
    before = ProcessingLogRecord.objects.count()
    page_of(riky_client, CONTACTS)
    page_of(riky_client, f"{CONTACTS}{item.uuid}/")
    assert ProcessingLogRecord.objects.count() == before + 2


def test_another_resident_cannot_see_rikys_contacts(
    portal_world: PortalWorld, other_client: Client
) -> None:
    item = contact(portal_world.riky, "Afvalpas kwijt")
    assert "Afvalpas kwijt" not in page_of(other_client, CONTACTS)
    assert other_client.get(f"{CONTACTS}{item.uuid}/").status_code == 404


def test_a_business_sees_its_own_contacts(
    portal_world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    own = contact(portal_world.business, "Terrasvergunning")
    private = contact(portal_world.riky, "Afvalpas kwijt")
    business = login_as("demo-ondernemer")
    page = page_of(business, CONTACTS)
    assert "Terrasvergunning" in page and "Afvalpas kwijt" not in page
    assert business.get(f"{CONTACTS}{private.uuid}/").status_code == 404
    assert "Terrasvergunning" in page_of(business, f"{CONTACTS}{own.uuid}/")


def test_daan_reads_rikys_contacts_for_her(
    portal_world: PortalWorld, login_as: Callable[[str], Client]
) -> None:
    item = contact(portal_world.riky, "Afvalpas kwijt")
    daan = login_as("demo-inwoner-daan")
    assert daan.get(f"{CONTACTS}{item.uuid}/").status_code == 404
    daan = acting_for_riky(login_as, portal_world)
    assert "Afvalpas kwijt" in page_of(daan, f"{CONTACTS}{item.uuid}/")
