"""Ask once: request forms pre-filled from the sources through the gate, confirmed, then
sent as a case for the page's subject, and for nobody else."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from klantocratie.cases.models import Case
from klantocratie.cases.packs import load_case_types
from klantocratie.cases.services import Client as CaseClient
from klantocratie.cases.services import start_case
from klantocratie.parties.models import Party
from klantocratie.portal.askonce.definitions import age_on
from klantocratie.portal.askonce.models import RequestForm
from klantocratie.portal.askonce.packs import FormPackError, load_request_forms
from klantocratie.privacy import log
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import ProcessingLogRecord
from klantocratie.registry.models import Source
from klantocratie.sources.population.models import Person
from tests.support.portal import PortalWorld

PACK = Path(settings.DEMO_PACK_DIR)
FORMS_DIR = PACK / "forms"
PARKING = "/mijn/aanvragen/parkeervergunning/"
BIJSTAND = "/mijn/aanvragen/bijstand-levensonderhoud/"
BUILDING = "/mijn/aanvragen/omgevingsvergunning-bouwen/"
TOKEN = re.compile(r'name="antwoorden" value="([^"]+)"')


@pytest.fixture
def forms(portal_world: PortalWorld) -> PortalWorld:
    load_case_types(PACK / "cases")
    load_request_forms(FORMS_DIR)
    return portal_world


def _logged(party: Party, operation: str) -> int:
    bsn = PortalWorld.bsn(party)
    return ProcessingLogRecord.objects.filter(
        data_subject_id=log.pseudonymise("bsn", bsn), operation=operation
    ).count()


def _check(client: Client, url: str, data: dict[str, str]) -> str:
    response = client.post(url, {"stap": "controleren", **data})
    assert response.status_code == 200, response.content.decode()
    page = response.content.decode()
    assert "Stap 2 van 3" in page
    match = TOKEN.search(page)
    assert match is not None
    return match.group(1)


def _send(client: Client, url: str, token: str, **extra: str) -> str:
    response = client.post(url, {"stap": "versturen", "antwoorden": token, **extra}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _cases_of(party: Party) -> list[Case]:
    return list(Case.objects.filter(roles__party=party).distinct())


# --- the pack ---------------------------------------------------------------------------


def test_the_demo_forms_load_and_a_second_load_changes_nothing(forms: PortalWorld) -> None:
    assert RequestForm.objects.count() == 4
    again = load_request_forms(FORMS_DIR)
    assert again.loaded == [] and len(again.unchanged) == 4


BAD_FORM = """
code: Kapot Formulier
version: 1
state: published
valid_from: 2024-01-01
title: Kapot
intro: Dit formulier klopt niet.
case_type: parkeervergunning
for: [organisation, alien]
description: "Vergunning {bestaat-niet}"
fields:
  - code: kenteken
    property: kleur
  - code: adres
    label: Adres
    known: {element: person.address, path: huisnr}
    to: explanation
  - code: geboren
    label: Geboren
    known: {element: person.birth, path: geboorteplaats, as: leeftijd}
    to: explanation
  - code: mail
    label: E-mail
    known: {element: person.email, path: adres}
    to: explanation
  - code: inkomen
    label: Inkomen
    known: {element: income.annual, path: verzamelinkomen}
    to: explanation
  - code: onbekend
    label: Iets
    known: {element: person.schoenmaat}
    to: explanation
  - code: zonder-doel
    label: Zonder doel
  - code: zonder-label
    to: explanation
"""


def test_the_loader_names_file_field_and_problem_for_everything_wrong(
    forms: PortalWorld, tmp_path: Path
) -> None:
    (tmp_path / "kapot-v1.yaml").write_text(BAD_FORM, encoding="utf-8")
    (tmp_path / "zaaktype-v1.yaml").write_text(
        BAD_FORM.replace("case_type: parkeervergunning", "case_type: hondenbelasting").replace(
            "Kapot Formulier", "ander"
        ),
        encoding="utf-8",
    )
    with pytest.raises(FormPackError) as raised:
        load_request_forms(tmp_path)
    problems = [str(p) for p in raised.value.problems]
    text = "\n".join(problems)
    expected = [
        "kapot-v1.yaml, code: alleen kleine letters",
        "kapot-v1.yaml, for: 'alien' is niet toegestaan",
        "kapot-v1.yaml, fields 1 (kenteken), property: zaaktype 'parkeervergunning' kent "
        "eigenschap 'kleur' niet",
        "kapot-v1.yaml, fields 2 (adres), known, path: 'huisnr' bestaat niet in person.address",
        "kapot-v1.yaml, fields 2 (adres), known, element: 'person.address' hoort bij een "
        "persoon, maar het formulier is voor organisation",
        "kapot-v1.yaml, fields 3 (geboren), known, as: 'leeftijd' geldt alleen voor een datum",
        "kapot-v1.yaml, fields 4 (mail), known, path: 'person.email' is één waarde",
        "kapot-v1.yaml, fields 5 (inkomen), known, element: 'income.annual' kan een formulier "
        "niet vooraf invullen",
        "kapot-v1.yaml, fields 6 (onbekend), known, element: onbekend gegeven 'person.schoenmaat'",
        "kapot-v1.yaml, fields 7 (zonder-doel), to: noem property",
        "kapot-v1.yaml, fields 8 (zonder-label), label: verplicht veld ontbreekt",
        "kapot-v1.yaml, description: {bestaat-niet} is geen veld van dit formulier",
        "zaaktype-v1.yaml, case_type: onbekend zaaktype 'hondenbelasting'",
    ]
    for message in expected:
        assert message in text, f"missing: {message}\n{text}"
    # Nothing of a folder with problems is loaded.
    assert not RequestForm.objects.filter(code="ander").exists()


def test_a_published_form_version_cannot_change(forms: PortalWorld, tmp_path: Path) -> None:
    source = (FORMS_DIR / "parkeervergunning-v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "parkeervergunning-v1.yaml").write_text(
        source.replace("Parkeervergunning aanvragen", "Parkeervergunning"), encoding="utf-8"
    )
    with pytest.raises(FormPackError, match="gepubliceerd en kan niet meer veranderen"):
        load_request_forms(tmp_path)
    (tmp_path / "parkeervergunning-v1.yaml").unlink()
    (tmp_path / "parkeervergunning-v2.yaml").write_text(
        source.replace("version: 1", "version: 2").replace(
            "valid_from: 2024-01-01", "valid_from: 2025-01-01"
        ),
        encoding="utf-8",
    )
    assert load_request_forms(tmp_path).loaded == ["parkeervergunning v2"]


def test_a_missing_forms_folder_is_one_clear_problem(forms: PortalWorld, tmp_path: Path) -> None:
    with pytest.raises(FormPackError, match="map bestaat niet"):
        load_request_forms(tmp_path / "forms")


# --- the catalogue ---------------------------------------------------------------------


def _worker() -> AccessContext:
    return AccessContext(
        actor="demo-zaak",
        role="case_worker",
        organisation="gemeente-almelo",
        activity="zaakbehandeling",
    )


def test_the_catalogue_puts_the_subjects_most_used_forms_first(
    forms: PortalWorld, riky_client: Client
) -> None:
    for description in ("Lantaarnpaal", "Losse stoeptegel"):
        start_case(
            _worker(),
            case_type="melding-openbare-ruimte",
            clients=[CaseClient(forms.riky)],
            description=description,
        )
    start_case(
        _worker(),
        case_type="parkeervergunning",
        clients=[CaseClient(forms.riky)],
        description="Parkeervergunning",
    )
    # Another resident's cases do not count for Riky.
    for _ in range(3):
        start_case(
            _worker(),
            case_type="bijstand-levensonderhoud",
            clients=[CaseClient(forms.other)],
            description="Bijstand",
        )
    page = riky_client.get("/mijn/aanvragen/").content.decode()
    titles = re.findall(r'href="/mijn/aanvragen/([a-z-]+)/"', page)
    assert titles == [
        "melding-openbare-ruimte",
        "parkeervergunning",
        "bijstand-levensonderhoud",
        "omgevingsvergunning-bouwen",
    ]
    assert "Eerder aangevraagd: 2 keer" in page


def test_a_business_sees_only_the_forms_for_businesses(forms: PortalWorld, login_as) -> None:  # type: ignore[no-untyped-def]
    business = login_as("demo-ondernemer")
    page = business.get("/mijn/aanvragen/").content.decode()
    assert re.findall(r'href="/mijn/aanvragen/([a-z-]+)/"', page) == ["omgevingsvergunning-bouwen"]
    assert business.get(PARKING).status_code == 404
    form = business.get(BUILDING).content.decode()
    # A business's known data is its registration, not a person's name or address.
    assert "Handelsregister" in form and "KvK-nummer" in form
    assert "Woonadres" not in form


def test_without_forms_the_catalogue_says_so(
    portal_world: PortalWorld, riky_client: Client
) -> None:
    page = riky_client.get("/mijn/aanvragen/").content.decode()
    assert "Er zijn nu geen formulieren die u hier kunt gebruiken." in page


# --- filling in ------------------------------------------------------------------------


def test_known_values_come_through_the_gate_with_their_source(
    forms: PortalWorld, riky_client: Client
) -> None:
    before = _logged(forms.riky, "formulier vooraf invullen")
    page = riky_client.get(PARKING).content.decode()
    assert _logged(forms.riky, "formulier vooraf invullen") == before + 1
    assert "Hendrika Johanna ter Horst" in page
    assert "Bekend bij: Gemeente Almelo — Basisregistratie Personen (Almelo)" in page
    # Known values are shown, never offered as inputs.
    assert 'name="naam"' not in page and 'name="woonadres"' not in page
    assert 'name="kenteken"' in page
    assert "Kloppen deze gegevens?" in page


def test_a_known_field_whose_source_is_down_is_asked_instead(
    forms: PortalWorld, riky_client: Client
) -> None:
    Source.objects.filter(code="klantregister-almelo").update(active=False)
    page = riky_client.get(PARKING).content.decode()
    assert 'name="e-mail"' in page
    assert "Niet vooraf ingevuld: Gemeente Almelo is nu niet bereikbaar. Vul het zelf in." in page
    assert 'aria-describedby="veld-e-mail-noot"' in page
    # The other sources still fill in what they know.
    assert "Hendrika Johanna ter Horst" in page


def test_a_known_field_the_source_has_no_value_for_is_asked(
    forms: PortalWorld, riky_client: Client
) -> None:
    Person.objects.filter(bsn=PortalWorld.bsn(forms.riky)).update(birth_date="")
    page = riky_client.get(BIJSTAND).content.decode()
    assert 'name="leeftijd"' in page
    assert "Gemeente Almelo heeft dit gegeven niet" in page


def test_validation_errors_name_the_field_and_are_linked_to_it(
    forms: PortalWorld, riky_client: Client
) -> None:
    response = riky_client.post(PARKING, {"stap": "controleren"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Geef aan of de gegevens die wij al hebben kloppen." in page
    assert "Vul &#x27;Kenteken van de auto&#x27; in." in page
    assert 'aria-describedby="veld-kenteken-uitleg veld-kenteken-fout"' in page
    assert 'href="#veld-kenteken"' in page and 'id="veld-kenteken"' in page

    response = riky_client.post(
        BUILDING,
        {
            "stap": "controleren",
            "kloppen": "ja",
            "bouwplan": "x" * 81,
            "bouwlocatie": "Tuin",
            "bouwhoogte": "hoog",
            "monument": "misschien",
            "gebied": "maanlandschap",
        },
    )
    page = response.content.decode()
    assert "Hoogstens 80 tekens, nu 81." in page
    assert "Hoogte van het bouwwerk in meters: verwacht een getal." in page
    assert "Is het gebouw een monument?: verwacht ja of nee." in page
    assert "Welstandsgebied: &#x27;maanlandschap&#x27; is geen toegestane waarde." in page


def test_a_wrong_known_value_is_corrected_at_the_source_not_in_the_form(
    forms: PortalWorld, riky_client: Client
) -> None:
    page = riky_client.post(
        PARKING, {"stap": "controleren", "kloppen": "nee", "kenteken": "AB-123-C"}
    ).content.decode()
    assert "U kunt dit niet in het formulier veranderen" in page
    assert 'href="/mijn/gegevens/"' in page
    assert "Stap 1 van 3" in page and 'name="antwoorden"' not in page
    # What was typed is kept for when they come back.
    assert 'value="AB-123-C"' in page


# --- sending ---------------------------------------------------------------------------


def test_sending_starts_a_case_with_the_right_properties_and_client(
    forms: PortalWorld, riky_client: Client
) -> None:
    token = _check(riky_client, PARKING, {"kloppen": "ja", "kenteken": "AB-123-C"})
    page = _send(riky_client, PARKING, token)
    [case] = _cases_of(forms.riky)
    assert "Uw aanvraag is verstuurd" in page
    assert case.identification in page
    assert f'href="/mijn/zaken/{case.uuid}/"' in page
    assert case.case_type_version.case_type.identification == "parkeervergunning"
    assert case.properties == {"kenteken": "AB-123-C"}
    assert case.channel == "webformulier"
    assert case.description == "Parkeervergunning voor AB-123-C"
    assert [r.party for r in case.roles.all()] == [forms.riky]
    assert "Woonadres: " in case.explanation and "(bevestigd; bekend bij Gemeente Almelo" in (
        case.explanation
    )
    # A second send of the same preview starts nothing new.
    _send(riky_client, PARKING, token)
    assert len(_cases_of(forms.riky)) == 1


def test_a_known_value_fills_a_case_property(forms: PortalWorld, riky_client: Client) -> None:
    token = _check(
        riky_client,
        BIJSTAND,
        {"kloppen": "ja", "leefsituatie": "alleenstaand", "reden": "Mijn WW stopt."},
    )
    _send(riky_client, BIJSTAND, token)
    [case] = _cases_of(forms.riky)
    birth = Person.objects.get(bsn=PortalWorld.bsn(forms.riky)).birth_date
    assert case.properties == {
        "leeftijd": age_on(date.fromisoformat(birth), date.today()),
        "leefsituatie": "alleenstaand",
    }
    assert "Waarom vraagt u bijstand aan?: Mijn WW stopt." in case.explanation


def test_posted_known_values_are_ignored(forms: PortalWorld, riky_client: Client) -> None:
    token = _check(
        riky_client,
        PARKING,
        {
            "kloppen": "ja",
            "kenteken": "AB-123-C",
            "naam": "Iemand Anders",
            "woonadres": "Nepstraat 1, 1234 AB Nergens",
        },
    )
    page = _send(riky_client, PARKING, token, naam="Iemand Anders")
    assert "Uw aanvraag is verstuurd" in page
    [case] = _cases_of(forms.riky)
    assert "Iemand Anders" not in case.explanation and "Nepstraat" not in case.explanation
    assert "Hendrika Johanna ter Horst" in case.explanation


def test_altered_answers_are_refused(forms: PortalWorld, riky_client: Client) -> None:
    token = _check(riky_client, PARKING, {"kloppen": "ja", "kenteken": "AB-123-C"})
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    page = _send(riky_client, PARKING, tampered)
    assert "Het formulier is onderweg veranderd; vul het opnieuw in." in page
    assert _cases_of(forms.riky) == []
    # Another form's answers cannot be sent with this one.
    bijstand = _check(
        riky_client, BIJSTAND, {"kloppen": "ja", "leefsituatie": "gehuwd", "reden": "Ontslag"}
    )
    page = _send(riky_client, PARKING, bijstand)
    assert "Deze antwoorden horen bij een ander formulier" in page
    assert _cases_of(forms.riky) == []


def test_a_posted_party_never_changes_for_whom_the_case_is(
    forms: PortalWorld, other_client: Client
) -> None:
    riky = str(forms.riky.uuid)
    token = _check(
        other_client,
        PARKING,
        {"kloppen": "ja", "kenteken": "ZZ-999-Z", "party": riky, "subject": riky, "uuid": riky},
    )
    _send(other_client, PARKING, token, party=riky, subject=riky, uuid=riky)
    assert _cases_of(forms.riky) == []
    [case] = _cases_of(forms.other)
    assert [r.party for r in case.roles.all()] == [forms.other]


def test_answers_signed_for_one_resident_cannot_be_sent_by_another(
    forms: PortalWorld, riky_client: Client, other_client: Client
) -> None:
    token = _check(riky_client, PARKING, {"kloppen": "ja", "kenteken": "AB-123-C"})
    page = _send(other_client, PARKING, token)
    assert "Deze antwoorden horen bij een ander formulier" in page
    assert _cases_of(forms.riky) == [] and _cases_of(forms.other) == []


def test_a_confirmation_shows_only_a_case_sent_in_this_session(
    forms: PortalWorld, riky_client: Client, other_client: Client
) -> None:
    token = _check(riky_client, PARKING, {"kloppen": "ja", "kenteken": "AB-123-C"})
    response = riky_client.post(PARKING, {"stap": "versturen", "antwoorden": token})
    confirmation = response["Location"]
    [case] = _cases_of(forms.riky)
    assert case.identification in riky_client.get(confirmation).content.decode()
    stolen = other_client.get(confirmation)
    assert stolen.status_code == 302 and case.identification not in stolen.content.decode()
    by_uuid = other_client.get(f"{PARKING}?verstuurd={case.uuid}")
    assert by_uuid.status_code == 302


def test_acting_for_someone_fills_in_and_sends_for_them(forms: PortalWorld, login_as) -> None:  # type: ignore[no-untyped-def]
    daan = login_as("demo-inwoner-daan")
    daan.post("/mijn/namens/", {"subject": str(forms.riky.uuid)})
    page = daan.get(PARKING).content.decode()
    assert "U vult dit formulier in namens <strong>Hendrika Johanna ter Horst</strong>" in page
    assert "Hendrika Johanna ter Horst" in page.split("<h2>Wat wij al weten</h2>")[1]
    token = _check(daan, PARKING, {"kloppen": "ja", "kenteken": "AB-123-C"})
    _send(daan, PARKING, token)
    [case] = _cases_of(forms.riky)
    assert [r.party for r in case.roles.all()] == [forms.riky]
    assert "Ingediend door een gemachtigde" in case.explanation
    assert _cases_of(forms.daan) == []


def test_changing_the_answers_goes_back_with_them_filled_in(
    forms: PortalWorld, riky_client: Client
) -> None:
    token = _check(riky_client, PARKING, {"kloppen": "ja", "kenteken": "AB-123-C"})
    page = riky_client.post(PARKING, {"stap": "wijzigen", "antwoorden": token}).content.decode()
    assert "Stap 1 van 3" in page and 'value="AB-123-C"' in page
    assert 'id="kloppen-ja" name="kloppen" value="ja" checked' in page
