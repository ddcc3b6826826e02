"""The Klantinteracties endpoints: creation through the gate, pages logged per party."""

from typing import Any

import pytest
from django.test import Client

from klantocratie.contacts import services
from klantocratie.contacts.models import Contact, InternalTask
from klantocratie.privacy import log
from klantocratie.privacy.models import ProcessingLogRecord
from tests.conftest import BSN_ANNA, BSN_BERT

from .conftest import Registry, login

API = "/api/klantinteracties/v1"


def _maak(registry: Registry, **klantcontact: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "klantcontact": {
            "kanaal": "telefoon",
            "onderwerp": "Vraag over paspoort",
            "inhoud": "Wanneer is mijn paspoort klaar?",
            "reactie": "Volgende week dinsdag.",
            "indicatieContactGelukt": True,
            "taal": "nld",
            "vertrouwelijk": False,
            **klantcontact,
        },
        "betrokkene": {
            "wasPartij": {"uuid": str(registry.world.anna.uuid)},
            "rol": "klant",
            "initiator": True,
            "contactnaam": {"voornaam": "Anna", "achternaam": "de Boer"},
        },
        "onderwerpobject": {
            "klantcontact": None,
            "onderwerpobjectidentificator": {
                "objectId": "ZAAK-2026-0001",
                "codeObjecttype": "zaak",
                "codeRegister": "openzaak",
                "codeSoortObjectId": "identificatie",
            },
        },
    }
    return body


@pytest.fixture
def agent(client: Client, registry: Registry) -> Client:
    login(client, registry.world, "kim")
    return client


def test_maak_klantcontact_creates_contact_involvement_and_subject(
    agent: Client, registry: Registry
) -> None:
    response = agent.post(
        f"{API}/maak-klantcontact", _maak(registry), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    contact = Contact.objects.get()
    assert data["klantcontact"]["uuid"] == str(contact.uuid)
    assert data["klantcontact"]["url"].endswith(f"{API}/klantcontacten/{contact.uuid}")
    assert data["klantcontact"]["nummer"] == contact.nummer
    assert data["betrokkene"]["wasPartij"]["uuid"] == str(registry.world.anna.uuid)
    assert data["betrokkene"]["volledigeNaam"] == "Anna de Boer"
    assert data["onderwerpobject"]["onderwerpobjectidentificator"]["objectId"] == "ZAAK-2026-0001"
    assert ProcessingLogRecord.objects.filter(operation="register-contact").count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kanaal": "postduif"}, "kanaal"),
        ({"onderwerp": ""}, "onderwerp"),
        ({"inhoud": ""}, "inhoud"),
    ],
)
def test_maak_klantcontact_refuses_bad_input_and_saves_nothing(
    agent: Client, registry: Registry, change: dict[str, str], field: str
) -> None:
    response = agent.post(
        f"{API}/maak-klantcontact", _maak(registry, **change), content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert field in body["fields"] or field in body["fields"].get("klantcontact", {})
    assert not Contact.objects.exists()


def test_maak_klantcontact_without_a_party_registers_nothing(
    agent: Client, registry: Registry
) -> None:
    body = _maak(registry)
    body["betrokkene"]["wasPartij"] = None
    response = agent.post(f"{API}/maak-klantcontact", body, content_type="application/json")
    assert response.status_code == 400
    assert "anonieme" in response.json()["fields"]["partij"][0]
    assert not Contact.objects.exists()


def test_list_logs_one_record_per_party_on_the_page(agent: Client, registry: Registry) -> None:
    for party in (registry.world.anna, registry.world.bert, registry.world.anna):
        services.register_contact(
            registry.agent(), party, channel="balie", subject="Vraag", content="Inhoud"
        )
    before = set(ProcessingLogRecord.objects.values_list("pk", flat=True))
    response = agent.get(f"{API}/klantcontacten", {"pageSize": 2})
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    new = ProcessingLogRecord.objects.exclude(pk__in=before)
    # Newest first: Anna's last contact and Bert's are on the first page.
    assert sorted(new.values_list("data_subject_id", flat=True)) == sorted(
        [log.pseudonymise("bsn", BSN_ANNA), log.pseudonymise("bsn", BSN_BERT)]
    )
    filtered = agent.get(
        f"{API}/klantcontacten", {"hadBetrokkene__wasPartij__uuid": str(registry.world.bert.uuid)}
    )
    assert filtered.json()["count"] == 1


def test_role_without_grant_is_refused_by_the_gate(client: Client, registry: Registry) -> None:
    services.register_contact(
        registry.agent(), registry.world.anna, channel="balie", subject="Vraag", content="Inhoud"
    )
    login(client, registry.world, "priya", role="privacy_officer")
    response = client.get(f"{API}/klantcontacten")
    assert response.status_code == 403
    assert response.json()["code"] == "access_denied"


def test_policy_analyst_has_no_access_at_all(client: Client, registry: Registry) -> None:
    login(client, registry.world, "bram", role="policy_analyst")
    assert client.get(f"{API}/klantcontacten").status_code == 403


def test_internal_task_and_digital_address_are_created_through_the_api(
    agent: Client, registry: Registry
) -> None:
    contact = services.register_contact(
        registry.agent(), registry.world.anna, channel="balie", subject="Vraag", content="Inhoud"
    )
    response = agent.post(
        f"{API}/internetaken",
        {
            "gevraagdeHandeling": "Klant terugbellen over de aanslag",
            "aanleidinggevendKlantcontact": {"uuid": str(contact.uuid)},
            "toegewezenAanActoren": [{"uuid": str(registry.team.uuid)}],
            "toelichting": "Liefst na 17 uur.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "te_verwerken"
    assert InternalTask.objects.get().assigned_to.get() == registry.team
    listed = agent.get(f"{API}/internetaken", {"status": "te_verwerken"}).json()
    assert listed["results"][0]["gevraagdeHandeling"] == "Klant terugbellen over de aanslag"

    bad = agent.post(
        f"{API}/digitaleadressen",
        {
            "verstrektDoorPartij": {"uuid": str(registry.world.bert.uuid)},
            "adres": "geen e-mail",
            "soortDigitaalAdres": "email",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400 and "adres" in bad.json()["fields"]
    good = agent.post(
        f"{API}/digitaleadressen",
        {
            "verstrektDoorPartij": {"uuid": str(registry.world.bert.uuid)},
            "adres": "bert@example.nl",
            "soortDigitaalAdres": "email",
            "isStandaardAdres": True,
        },
        content_type="application/json",
    )
    assert good.status_code == 201
    partij = agent.get(f"{API}/partijen/{registry.world.bert.uuid}").json()
    assert partij["soortPartij"] == "persoon"
    assert partij["voorkeursDigitaalAdres"]["uuid"] == good.json()["uuid"]
    assert partij["partijIdentificatoren"][0]["partijIdentificator"] == {
        "codeObjecttype": "natuurlijk_persoon",
        "codeSoortObjectId": "bsn",
        "objectId": BSN_BERT,
        "codeRegister": "brp",
    }


def test_unknown_uuid_is_not_found(agent: Client, registry: Registry) -> None:
    response = agent.get(f"{API}/klantcontacten/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        ("2026-11-01T09:00:00+01:00", 200),
        # Valid ISO 8601 that PostgreSQL would refuse as is: moved to UTC first.
        ("0199-10-09T11:15:16+23:47", 200),
        # Before the first day of the calendar once in UTC: a clear refusal.
        ("0001-01-01T00:00:00+05:00", 400),
    ],
)
def test_date_time_filters_accept_any_offset_and_refuse_the_impossible(
    agent: Client, registry: Registry, moment: str, status: int
) -> None:
    response = agent.get(f"{API}/klantcontacten", {"plaatsgevondenOp": moment})
    assert response.status_code == status, response.content
