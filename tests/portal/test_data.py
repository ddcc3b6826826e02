"""My data: every element per organisation with who may use it; changes and corrections."""

from django.test import Client

from klantocratie.events.models import Event
from klantocratie.portal.corrections import record_progress
from klantocratie.portal.models import CorrectionRequest, CorrectionStatus
from klantocratie.privacy.log import pseudonymise
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.sources.contactdetails.models import ContactDetails
from tests.support.portal import PortalWorld


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def test_my_data_shows_every_organisation_and_who_may_use_each_element(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    response = riky_client.get("/mijn/gegevens/")
    assert response.status_code == 200
    page = _page(response)
    for organisation in ("Gemeente Almelo", "Belastingdienst", "UWV", "Woonstichting Twente"):
        assert organisation in page
    assert "Hendrika Johanna" in page
    # Who may see the address, and why, in plain words with the legal basis.
    assert "Wie mag woonadres zien, en waarom?" in page
    assert "Dienstverlening klantcontactcentrum" in page
    assert "Art. 160 Gemeentewet" in page
    # Cases, contacts and signals have their own sections, not rows here.
    assert 'id="gegeven-contact.history"' not in page
    assert 'id="gegeven-case.files"' not in page
    # The read is logged for Riky, once per activity read.
    subject = pseudonymise("bsn", portal_world.bsn(portal_world.riky))
    assert ProcessingLogRecord.objects.filter(
        data_subject_id=subject, processing_activity_id__startswith="inzage-eigen-gegevens"
    ).exists()


def test_a_resident_changes_their_phone_number_at_its_source(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    response = riky_client.post(
        "/mijn/gegevens/", {"element": "person.phone", "value": "06 12345678"}, follow=True
    )
    assert response.status_code == 200
    details = ContactDetails.objects.get(bsn=portal_world.bsn(portal_world.riky))
    assert details.phone == "0612345678"


def test_an_invalid_new_value_is_refused_beside_its_field(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    before = ContactDetails.objects.get(bsn=portal_world.bsn(portal_world.riky)).email
    response = riky_client.post(
        "/mijn/gegevens/", {"element": "person.email", "value": "geen-adres"}
    )
    assert response.status_code == 400
    page = _page(response)
    assert 'id="fout-person.email"' in page and 'aria-invalid="true"' in page
    assert ContactDetails.objects.get(bsn=portal_world.bsn(portal_world.riky)).email == before


def test_an_element_the_source_keeps_cannot_be_changed_directly(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    response = riky_client.post("/mijn/gegevens/", {"element": "person.name", "value": "Riky"})
    assert response.status_code == 400
    assert "vraag een correctie aan" in _page(response)


def test_a_correction_request_goes_to_the_source_and_shows_its_progress(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    form = riky_client.get("/mijn/gegevens/correctie/person.birth/")
    assert form.status_code == 200 and "Nu bekend" in _page(form)
    response = riky_client.post(
        "/mijn/gegevens/correctie/person.birth/",
        {"proposed_value": "19-05-1972", "explanation": "Zie mijn geboorteakte."},
    )
    assert response.status_code == 302
    correction = CorrectionRequest.objects.get(party=portal_world.riky)
    assert correction.proposed_value == "19-05-1972"
    assert correction.status == CorrectionStatus.FORWARDED
    event = Event.objects.get(type="nl.klantocratie.correctie.gevraagd")
    assert event.data["gegeven"] == "person.birth" and event.data["bron"] == "brp-almelo"

    record_progress(correction, status=CorrectionStatus.IN_PROGRESS)
    record_progress(correction, status=CorrectionStatus.REJECTED, note="De akte zegt 1971.")
    page = _page(riky_client.get(f"/mijn/gegevens/correcties/{correction.uuid}/"))
    assert "Doorgestuurd naar de bron" in page and "In behandeling bij de bron" in page
    assert "De akte zegt 1971." in page
    assert "Gemeente Almelo" in page
    # The request holds values about her: reading it is logged like reading the data.
    assert ProcessingLogRecord.objects.filter(operation="eigen correctieverzoek inzien").exists()
    riky_client.get("/mijn/gegevens/correcties/")
    assert ProcessingLogRecord.objects.filter(operation="eigen correctieverzoeken inzien").exists()


def test_a_correction_with_an_invalid_value_names_the_field(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    for element, value, message in (
        ("person.birth", "31-02-1971", "Schrijf de datum als dag-maand-jaar"),
        ("person.birth", "01-01-2999", "ligt niet in de toekomst"),
        ("person.address", "Nieuwstraat 12 Almelo", "Noem de postcode"),
        ("person.name", "R1ky", "Een naam bestaat uit letters"),
    ):
        response = riky_client.post(
            f"/mijn/gegevens/correctie/{element}/", {"proposed_value": value}
        )
        assert response.status_code == 400, element
        page = _page(response)
        assert message in page, (element, value)
        assert 'id="id_proposed_value-fout"' in page
    assert not CorrectionRequest.objects.exists()


def test_one_open_request_per_element(portal_world: PortalWorld, riky_client: Client) -> None:
    data = {"proposed_value": "Nieuwstraat 14, 7607 AB Almelo"}
    assert riky_client.post("/mijn/gegevens/correctie/person.address/", data).status_code == 302
    response = riky_client.post("/mijn/gegevens/correctie/person.address/", data)
    assert response.status_code == 400
    assert "loopt al een verzoek" in _page(response)


def test_another_resident_never_sees_or_reaches_a_correction(
    portal_world: PortalWorld, riky_client: Client, other_client: Client
) -> None:
    riky_client.post("/mijn/gegevens/correctie/person.birth/", {"proposed_value": "19-05-1972"})
    correction = CorrectionRequest.objects.get()
    assert other_client.get(f"/mijn/gegevens/correcties/{correction.uuid}/").status_code == 404
    assert str(correction.uuid) not in _page(other_client.get("/mijn/gegevens/correcties/"))
    assert "Hendrika" not in _page(other_client.get("/mijn/gegevens/"))


def test_daan_sees_his_mothers_data_only_while_acting_for_her(
    portal_world: PortalWorld, login_as
) -> None:  # type: ignore[no-untyped-def]
    daan = login_as("demo-inwoner-daan")
    assert "Hendrika Johanna" not in _page(daan.get("/mijn/gegevens/"))
    daan.post("/mijn/namens/", {"subject": str(portal_world.riky.uuid)})
    page = _page(daan.get("/mijn/gegevens/"))
    assert "Hendrika Johanna" in page and "U handelt namens" in page


def test_a_business_sees_its_trade_register_entry(portal_world: PortalWorld, login_as) -> None:  # type: ignore[no-untyped-def]
    page = _page(login_as("demo-ondernemer").get("/mijn/gegevens/"))
    assert "Inschrijving handelsregister" in page
    assert "Kamer van Koophandel" in page
