"""The case worker's pages, through the Django test client (residents: tests/portal)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.cases import choices, services
from klantocratie.cases.models import Case, OfferState, TaskState
from klantocratie.parties.models import Party
from klantocratie.privacy.models import ProcessingLogRecord
from tests.cases.conftest import worker
from tests.cases.test_services import fine, permit

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_queue_lists_open_cases_of_the_own_organisation_only(
    case_worker: Client, case_types: Party
) -> None:
    mine = permit(case_types)
    other = fine(case_types)
    page = case_worker.get("/zaken/").content.decode()
    assert mine.identification in page and other.identification not in page
    assert "900000004" not in page  # no client identities in the queue


def test_queue_filters_and_sorts(case_worker: Client, case_types: Party) -> None:
    first = permit(case_types)
    services.start_case(
        worker(),
        case_type="wmo-ondersteuning",
        clients=[services.Client(case_types)],
        description="Traplift",
    )
    page = case_worker.get("/zaken/", {"zaaktype": "wmo-ondersteuning"}).content.decode()
    assert "Traplift" in page and first.identification not in page
    assert "Geen zaken" in case_worker.get("/zaken/", {"termijn": "overdue"}).content.decode()
    assert case_worker.get("/zaken/", {"sorteer": "onzin", "pagina": "x"}).status_code == 200


def test_the_case_page_shows_the_client_beside_it_and_is_logged(
    case_worker: Client, case_types: Party
) -> None:
    case = permit(case_types)
    before = ProcessingLogRecord.objects.filter(operation="zaak inzien").count()
    response = case_worker.get(f"/zaken/{case.uuid}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Volledigheid toetsen" in page and "Klantbeeld" in page
    assert ProcessingLogRecord.objects.filter(operation="zaak inzien").count() == before + 1


def test_another_organisations_case_is_refused(case_types: Party) -> None:
    case = permit(case_types)
    response = login("demo-belasting").get(f"/zaken/{case.uuid}/")
    assert response.status_code == 403
    response = login("demo-belasting").post(f"/zaken/{case.uuid}/toewijzen/")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).assigned_to is None


def test_a_task_is_completed_and_the_status_set_from_the_page(
    case_worker: Client, case_types: Party
) -> None:
    case = permit(case_types)
    task = case.tasks.get(task_type__code="volledigheid")
    case_worker.post(f"/zaken/{case.uuid}/afronden/", {"taak": task.pk, "veld_compleet": "on"})
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.data["compleet"] is True
    response = case_worker.post(
        f"/zaken/{case.uuid}/status/", {"status": "in-behandeling"}, follow=True
    )
    assert "Status is nu" in response.content.decode()


def test_errors_are_shown_and_nothing_is_saved(case_worker: Client, case_types: Party) -> None:
    case = permit(case_types)
    response = case_worker.post(
        f"/zaken/{case.uuid}/resultaat/", {"resultaat": "uitgevoerd"}, follow=True
    )
    assert "hoort niet bij dit zaaktype" in response.content.decode()
    response = case_worker.post(f"/zaken/{case.uuid}/status/", {"status": "besluit"}, follow=True)
    assert "nog niet afgerond" in response.content.decode()
    case.refresh_from_db()
    assert case.current_status.status_type.code == "ontvangen"


def test_advice_and_deviation_from_the_page(case_worker: Client, case_types: Party) -> None:
    case = permit(case_types)
    task = case.tasks.get(task_type__code="welstandsadvies")
    case_worker.post(
        f"/zaken/{case.uuid}/advies/",
        {
            "taak": task.pk,
            "invoer_gebied": "regulier",
            "invoer_monument": "nee",
            "invoer_bouwhoogte": "11",
        },
    )
    evaluation = task.evaluations.get()
    assert evaluation.advice["route"] == "commissie"
    data = {
        "taak": task.pk,
        "veld_commissie": "Ambtelijk",
        "veld_advies": "Past",
        "uitkomst_route": "ambtelijk",
        "uitkomst_toelichting": evaluation.advice["toelichting"],
    }
    response = case_worker.post(f"/zaken/{case.uuid}/afronden/", data, follow=True)
    assert "zeg waarom" in response.content.decode()
    case_worker.post(
        f"/zaken/{case.uuid}/afronden/",
        {**data, "reden_afwijking": "Aanbouw achter, niet zichtbaar."},
    )
    evaluation.refresh_from_db()
    assert evaluation.outcome["route"] == "ambtelijk" and evaluation.deviates


def test_a_case_starts_from_a_desk_contact_number(case_worker: Client, case_types: Party) -> None:
    response = case_worker.post(
        "/zaken/nieuw/",
        {"zaaktype": "bijstand-levensonderhoud", "bsn": "999999999", "omschrijving": "x"},
        follow=True,
    )
    assert "bekende klant" in response.content.decode()
    response = case_worker.post(
        "/zaken/nieuw/",
        {
            "zaaktype": "bijstand-levensonderhoud",
            "bsn": "900000004",
            "omschrijving": "Aanvraag bijstand",
        },
    )
    case = Case.objects.get(description="Aanvraag bijstand")
    assert response.url == f"/zaken/{case.uuid}/"


def test_the_desk_completes_a_first_line_case(case_types: Party) -> None:
    desk = login("demo-kcc")
    page = desk.get(f"/balie/klant/{case_types.uuid}/").content.decode()
    assert "Direct afhandelen" in page and "Parkeervergunning bewoners" in page
    response = desk.post(
        f"/zaken/eerste-lijn/{case_types.uuid}/",
        {"zaaktype": "parkeervergunning", "resultaat": "verleend", "omschrijving": "Vergunning"},
        follow=True,
    )
    assert "direct afgehandeld" in response.content.decode()
    case = Case.objects.get(description="Vergunning")
    assert case.end_date is not None and case.channel == "balie"
    response = desk.post(
        f"/zaken/eerste-lijn/{case_types.uuid}/",
        {"zaaktype": "omgevingsvergunning-bouwen", "resultaat": "verleend", "omschrijving": "X"},
        follow=True,
    )
    assert "tweede lijn" in response.content.decode()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_document_is_added_recognised_by_content_and_downloaded(
    case_worker: Client, case_types: Party, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case = permit(case_types)
    fake = SimpleUploadedFile("tekening.pdf", b"MZ\x90\x00 not a pdf")
    response = case_worker.post(
        f"/zaken/{case.uuid}/document/", {"documenttype": "tekening", "bestand": fake}, follow=True
    )
    assert "niet aanvaard" in response.content.decode()
    assert not case.documents.exists()
    real = SimpleUploadedFile("tekening.pdf", PDF)
    case_worker.post(
        f"/zaken/{case.uuid}/document/",
        {"documenttype": "tekening", "titel": "Gevel oost", "bestand": real},
    )
    document = case.documents.get()
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    download = case_worker.get(f"/zaken/{case.uuid}/documenten/{document.uuid}/")
    assert b"".join(download.streaming_content) == PDF
    assert (
        login("demo-belasting").get(f"/zaken/{case.uuid}/documenten/{document.uuid}/").status_code
        == 403
    )


def test_properties_are_checked_and_recorded(case_worker: Client, case_types: Party) -> None:
    case = permit(case_types)
    response = case_worker.post(
        f"/zaken/{case.uuid}/eigenschappen/", {"eigenschap_bouwhoogte": "hoog"}, follow=True
    )
    assert "verwacht een getal" in response.content.decode()
    case_worker.post(
        f"/zaken/{case.uuid}/eigenschappen/",
        {"eigenschap_bouwhoogte": "8,5", "eigenschap_gebied": "beschermd gezicht"},
    )
    case.refresh_from_db()
    assert case.properties["bouwhoogte"] == 8.5 and case.properties["gebied"] == "beschermd gezicht"
    assert case.history.filter(kind="properties").exists()


def test_cases_are_related_both_ways_and_assigned_to_a_colleague(
    case_worker: Client, case_types: Party
) -> None:
    first, second = permit(case_types), permit(case_types)
    case_worker.post(f"/zaken/{first.uuid}/relateren/", {"zaaknummer": second.identification})
    assert list(second.related_cases.all()) == [first]
    colleague = User.objects.get(username="demo-zaak")
    case_worker.post(f"/zaken/{first.uuid}/toewijzen/", {"behandelaar": colleague.pk})
    first.refresh_from_db()
    assert first.assigned_to == colleague
    outsider = User.objects.get(username="demo-belasting")
    response = case_worker.post(
        f"/zaken/{first.uuid}/toewijzen/", {"behandelaar": outsider.pk}, follow=True
    )
    assert "Kies een behandelaar" in response.content.decode()


def test_unanswered_offers_lapse(case_types: Party) -> None:
    from datetime import timedelta

    from django.utils import timezone

    case = fine(case_types)
    assert choices.expire_offers(timezone.localdate() + timedelta(days=29)) == 0
    assert choices.expire_offers(timezone.localdate() + timedelta(days=31)) == 2
    assert not case.offers.filter(state=OfferState.OFFERED).exists()


def test_a_provider_sees_the_case_it_was_chosen_for(case_types: Party) -> None:
    from tests.cases.conftest import resident

    case = services.start_case(
        worker(),
        case_type="wmo-ondersteuning",
        clients=[services.Client(case_types)],
        description="Hulp bij de trap",
    )
    housing = login("demo-wonen")
    assert case.identification not in housing.get("/zaken/").content.decode()
    choices.choose_provider(resident(case_types), case, "woonstichting")
    assert case.identification in housing.get("/zaken/").content.decode()
    assert housing.get(f"/zaken/{case.uuid}/").status_code == 200


def test_a_case_starts_from_an_internal_task_and_keeps_the_client_and_story(
    case_worker: Client, case_types: Party
) -> None:
    from klantocratie.contacts import services as contact_services
    from klantocratie.registry.models import Organisation
    from tests.frontoffice.conftest import kcc

    contact = contact_services.register_contact(
        kcc(),
        case_types,
        channel="telefoon",
        subject="Aanvraag bijstand",
        content="Mevrouw verloor haar baan en vraagt bijstand aan.",
    )
    colleague = contact_services.ensure_employee(
        "demo-zaak", "Zeynep Bakker", Organisation.objects.get(code="gemeente-almelo")
    )
    task = contact_services.create_internal_task(
        kcc(), contact, requested_action="Zaak bijstand starten", assign_to=[colleague]
    )
    form = case_worker.get(f"/contacten/taken/{task.uuid}/").content.decode()
    assert f"/zaken/nieuw/?interne_taak={task.nummer}" in form
    response = case_worker.post(
        "/zaken/nieuw/",
        {
            "zaaktype": "bijstand-levensonderhoud",
            "omschrijving": "Bijstand na ontslag",
            "interne_taak": task.nummer,
        },
    )
    case = Case.objects.get(description="Bijstand na ontslag")
    assert response.url == f"/zaken/{case.uuid}/"
    assert case.internal_task == task and case.contact == contact
    assert case.roles.get().party == case_types
    page = case_worker.get(f"/zaken/{case.uuid}/").content.decode()
    assert task.nummer in page and contact.nummer in page
    # The contact's content is read on its own page, through the gate for contacts.
    assert "verloor haar baan" not in page
