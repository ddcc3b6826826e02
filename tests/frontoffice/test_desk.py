"""The desk end to end on the demo municipality: find, see, register, hand over, change."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from klantocratie.connectors.models import ChangeStatus, SourceChange
from klantocratie.contacts.models import InternalTask, TaskKind
from klantocratie.contacts.services import ensure_employee, register_contact
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.frontoffice.life_events import derive_life_events
from klantocratie.frontoffice.selectors import desk_client
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.registry.models import Organisation
from klantocratie.sources.casestatus.models import CaseStatus
from klantocratie.sources.contactdetails.models import ContactDetails
from klantocratie.sources.municipaltax.models import TaxpayerAccount
from klantocratie.sources.population.models import Residence
from klantocratie.sources.traderegister.models import BusinessRole

from .conftest import kcc

DESK = reverse("frontoffice:desk")


def _page(party: Party) -> str:
    return reverse("frontoffice:client", kwargs={"party_uuid": party.uuid})


def _search(agent: Client, text: str):  # type: ignore[no-untyped-def]
    return agent.post(DESK, {"query": text})


def _demo_address() -> str:
    home = Residence.objects.get(bsn=DEMO_RESIDENT_BSN, valid_to__isnull=True)
    return f"{home.postcode[:4]} {home.postcode[4:]} {home.house_number}{home.house_letter}"


def _demo_case() -> str:
    return CaseStatus.objects.filter(bsn=DEMO_RESIDENT_BSN, organisation="UWV").get().case_number


@pytest.mark.parametrize(
    "query",
    [
        lambda: DEMO_RESIDENT_BSN,
        lambda: "ter Horst 19-05-1971",
        _demo_address,
        lambda: "06 87 65 43 21",
        lambda: "Riky.TerHorst@example.com",
        _demo_case,
    ],
    ids=["bsn", "name-birth", "postcode-number", "phone", "email", "case"],
)
def test_each_identifier_finds_the_demo_resident(agent: Client, demo: Party, query) -> None:  # type: ignore[no-untyped-def]
    response = _search(agent, query())
    assert response.status_code == 302
    assert response.url == _page(demo)


def test_kvk_number_finds_her_business(agent: Client, demo: Party) -> None:
    kvk = BusinessRole.objects.get(bsn=DEMO_RESIDENT_BSN).business_id
    business = find_party("kvk", kvk)
    assert business is not None
    assert _search(agent, kvk).url == _page(business)
    page = agent.get(_page(business)).content.decode()
    assert "Naaiatelier Riky" in page


def test_a_role_with_few_grants_sees_only_what_it_may(demo: Party) -> None:
    officer = Client()
    officer.force_login(User.objects.get(username="demo-privacy"))
    page = officer.get(_page(demo)).content.decode()
    assert "Hendrika Johanna ter Horst" in page
    assert "U mag voor dit doel geen zaken van deze klant inzien" in page
    assert "U mag voor dit doel geen gegevens van deze klant wijzigen" in page
    assert "Herbeoordeling" not in page


def test_contact_number_finds_the_client_of_the_contact(agent: Client, demo: Party) -> None:
    contact = register_contact(
        kcc(), demo, channel="telefoon", subject="WW en atelier", content="Vraag over inkomsten"
    )
    assert _search(agent, contact.nummer.lower()).url == _page(demo)


def test_several_matches_are_listed_to_choose_from(agent: Client, demo: Party) -> None:
    shared = (
        Residence.objects.filter(valid_to__isnull=True, house_letter="", house_number_addition="")
        .exclude(postcode="")
        .values("postcode", "house_number")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("postcode", "house_number")
        .first()
    )
    assert shared is not None
    postcode = shared["postcode"]
    response = _search(agent, f"{postcode} {shared['house_number']}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{shared['n']} klanten gevonden op postcode en huisnummer" in page
    assert page.count("data-result") == shared["n"]
    assert ProcessingLogRecord.objects.filter(operation="search").count() == shared["n"]


def test_unknown_and_invalid_input_get_dutch_feedback_and_no_log(
    agent: Client, demo: Party
) -> None:
    invalid = _search(agent, "123456789")
    assert invalid.status_code == 200 and "elfproef" in invalid.content.decode()
    nobody = _search(agent, "0611111111")
    assert "Geen klant gevonden op telefoonnummer 0611111111" in nobody.content.decode()
    assert not ProcessingLogRecord.objects.exists()


def test_client_page_shows_cases_at_several_organisations(agent: Client, demo: Party) -> None:
    page = agent.get(_page(demo)).content.decode()
    for organisation in ("UWV", "Belastingdienst", "Gemeente Almelo", "Woonstichting Twentehuis"):
        assert organisation in page
    assert "Herbeoordeling WW-uitkering" in page
    assert "losliggende stoeptegels" not in page  # closed cases are not open cases
    assert 'data-life-event="starten-bedrijf"' in page


def test_knowledge_base_is_filtered_by_the_clients_life_events(
    agent: Client, demo: Party, demo_knowledge: None
) -> None:
    page = agent.get(_page(demo)).content.decode()
    unemployed = page.split('data-life-event="werkloos-worden"')[1].split("</article>")[0]
    assert "WW-uitkering sinds 01-05-2026" in unemployed
    assert "<details>" in unemployed  # answers from the knowledge base, with their source
    assert "Bron:" in unemployed
    asked = agent.get(_page(demo), {"vraag": "hoeveel mag ik bijverdienen"}).content.decode()
    assert 'value="hoeveel mag ik bijverdienen"' in asked


def test_a_question_searches_the_whole_knowledge_base(
    agent: Client, demo: Party, demo_knowledge: None
) -> None:
    page = agent.get(_page(demo), {"vraag": "parkeervergunning aanvragen"}).content.decode()
    everything = page.split('data-life-event=""')[1].split("</article>")[0]
    assert "Alle onderwerpen" in everything
    assert "arkeervergunning" in everything
    assert 'data-subject="kennisartikel:' in everything or 'data-subject="product:' in everything
    # The looked-up question is the client's question: the contact form has it already.
    assert "parkeervergunning aanvragen</textarea>" in page


def test_answer_from_the_knowledge_base_is_what_the_contact_was_about(
    agent: Client, demo: Party, demo_knowledge: None
) -> None:
    from klantocratie.contacts.models import SubjectObject
    from klantocratie.knowledge.models import QuestionAnswer
    from klantocratie.knowledge.selectors import most_asked

    answer = (
        QuestionAnswer.objects.filter(status="actief").first() or QuestionAnswer.objects.first()
    )
    assert answer is not None
    response = agent.post(
        reverse("frontoffice:contact", kwargs={"party_uuid": demo.uuid}),
        {
            "channel": "telefoon",
            "subject": answer.question[:200],
            "question": answer.question,
            "answer": answer.answer,
            "succeeded": "ja",
            "subject_object": f"kennisartikel:{answer.uuid}",
        },
    )
    assert response.status_code == 302
    about = SubjectObject.objects.get()
    assert (about.object_type, about.object_id) == ("kennisartikel", str(answer.uuid))
    asked = most_asked(10)
    assert [(item.item, item.count) for item in asked] == [(answer, 1)]


def test_a_forged_knowledge_reference_is_refused(agent: Client, demo: Party) -> None:
    response = agent.post(
        reverse("frontoffice:contact", kwargs={"party_uuid": demo.uuid}),
        {
            "channel": "telefoon",
            "subject": "Vraag",
            "question": "Vraag",
            "succeeded": "ja",
            "subject_object": "zaak:'; drop table",
        },
    )
    assert response.status_code == 400
    assert "Het gekozen kennisartikel is niet herkend." in response.content.decode()


def test_life_events_follow_from_the_data_with_their_reason(demo: Party) -> None:
    client = desk_client(kcc(), demo, today=date(2026, 11, 1))
    events = derive_life_events(client.view.values, date(2026, 11, 1))
    by_slug = {event.slug: event.reason for event in events}
    assert by_slug["werkloos-worden"] == "WW-uitkering sinds 01-05-2026."
    assert "15-08-2026" in by_slug["gezinssituatie-verandert"]
    assert "Naaiatelier Riky" in by_slug["starten-bedrijf"]
    assert "met-pensioen" not in by_slug
    assert "met-pensioen" in {
        e.slug for e in derive_life_events(client.view.values, date(2037, 6, 1))
    }


def test_phone_change_reaches_the_source_and_the_log(agent: Client, demo: Party) -> None:
    response = agent.post(
        reverse("frontoffice:change", kwargs={"party_uuid": demo.uuid}),
        {"element": "person.phone", "value": "06 1234 5678"},
    )
    assert (
        "Telefoonnummer is gewijzigd bij Klantregister contactgegevens" in response.content.decode()
    )
    assert ContactDetails.objects.get(bsn=DEMO_RESIDENT_BSN).phone == "0612345678"
    change = SourceChange.objects.get(element__code="person.phone")
    assert change.status == ChangeStatus.DELIVERED
    assert (
        ProcessingLogRecord.objects.filter(operation="change", trace_id=change.trace_id).count()
        == 1
    )


def test_iban_change_goes_to_the_municipal_tax_office(agent: Client, demo: Party) -> None:
    url = reverse("frontoffice:change", kwargs={"party_uuid": demo.uuid})
    before = TaxpayerAccount.objects.get(bsn=DEMO_RESIDENT_BSN).iban
    refused = agent.post(
        url, {"element": "person.iban_municipal_taxes", "value": "NL92ABNA0417164300"}
    )
    assert refused.status_code == 400
    assert "de controlecijfers passen niet" in refused.content.decode()
    assert TaxpayerAccount.objects.get(bsn=DEMO_RESIDENT_BSN).iban == before
    agent.post(url, {"element": "person.iban_municipal_taxes", "value": "nl91 abna 0417 1643 00"})
    assert TaxpayerAccount.objects.get(bsn=DEMO_RESIDENT_BSN).iban == "NL91ABNA0417164300"


def test_elements_outside_the_desk_cannot_be_changed_there(agent: Client, demo: Party) -> None:
    response = agent.post(
        reverse("frontoffice:change", kwargs={"party_uuid": demo.uuid}),
        {"element": "person.name", "value": "Iemand Anders"},
    )
    assert response.status_code == 400
    assert not SourceChange.objects.exists()


def test_register_contact_then_request_a_callback(agent: Client, demo: Party) -> None:
    team = ensure_employee(
        "demo-zaak", "Zeynep Bakker", Organisation.objects.get(code="gemeente-almelo")
    )
    registered = agent.post(
        reverse("frontoffice:contact", kwargs={"party_uuid": demo.uuid}),
        {
            "channel": "telefoon",
            "subject": "Betalingsregeling",
            "question": "Hoe zit het met mijn betalingsregeling?",
            "answer": "Belastingdienst vraagt nog stukken.",
            "succeeded": "nee",
        },
    )
    assert registered.status_code == 302
    number = registered.url.split("contact=")[1].split("#")[0]
    handed = agent.post(
        reverse("frontoffice:handover", kwargs={"party_uuid": demo.uuid}),
        {"kind": "terugbellen", "contact": number, "assign_to": team.pk, "phone": "0687654321"},
    )
    assert handed.status_code == 302
    confirmation = agent.get(handed.url).content.decode()
    assert f"is aangemaakt bij klantcontact {number}" in confirmation
    task = InternalTask.objects.get()
    assert task.kind == TaskKind.CALLBACK and task.contact.nummer == number
    assert list(task.assigned_to.all()) == [team]


@pytest.mark.parametrize("username", ["demo-beleid", "demo-inwoner", "demo-beheer"])
def test_the_desk_is_for_client_view_roles_only(demo: Party, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    assert client.get(DESK).status_code == 403
    assert client.get(_page(demo)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(demo: Party) -> None:
    response = Client().get(DESK)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_every_life_event_the_desk_derives_is_known_to_the_knowledge_base(
    demo_knowledge: None,
) -> None:
    from klantocratie.frontoffice.life_events import LIFE_EVENT_NAMES, LifeEvent
    from klantocratie.frontoffice.selectors import knowledge_for

    events = [LifeEvent(slug, name, "test") for slug, name in LIFE_EVENT_NAMES.items()]
    blocks = knowledge_for(events)
    assert [block.event.slug for block in blocks if not block.known] == []
    assert all(block.items for block in blocks)
