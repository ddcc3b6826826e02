"""The Zaken and Catalogi endpoints on the demo pack: reads through the gate (one
processing-log record per client on a page), writes through the case services, bad
input refused with the field named and nothing saved."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from klantocratie.cases import choices, services
from klantocratie.cases.models import Case, CaseResult, CaseRole, CaseStatus
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy import log
from klantocratie.privacy.models import ProcessingLogRecord
from tests.cases.conftest import resident, worker
from tests.support.schemathesis_run import server_errors, wsgi_in_the_test_transaction  # noqa: F401

pytestmark = pytest.mark.django_db

ZAKEN = "/api/zaken/v1"
CATALOGI = "/api/catalogi/v1"
# Valid (eleven test) but given to nobody in the demo.
UNKNOWN_BSN = "111222333"


def login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def zaaktype(client: Client, identification: str) -> dict[str, Any]:
    page = client.get(f"{CATALOGI}/zaaktypen", {"identificatie": identification}).json()
    assert page["count"] == 1
    return page["results"][0]


def catalogue(client: Client, resource: str, zaaktype_url: str) -> dict[str, dict[str, Any]]:
    """A zaaktype's status, result or role types by their omschrijving."""
    page = client.get(f"{CATALOGI}/{resource}", {"zaaktype": zaaktype_url}).json()
    return {item["omschrijving"]: item for item in page["results"]}


def other_person(demo: Party) -> tuple[Party, str]:
    party = (
        Party.objects.filter(party_type="person", identifiers__identifier_type="bsn")
        .exclude(pk=demo.pk)
        .order_by("pk")
        .first()
    )
    assert party is not None
    return party, party.primary_identifier().value


def start(party: Party, case_type: str = "parkeervergunning", **extra: Any) -> Case:
    return services.start_case(
        worker(),
        case_type=case_type,
        clients=[services.Client(party)],
        description="Aanvraag via de API-test",
        **extra,
    )


def new_log_records(before: set[int]) -> list[str]:
    return sorted(
        ProcessingLogRecord.objects.exclude(pk__in=before).values_list("data_subject_id", flat=True)
    )


def log_ids() -> set[int]:
    return set(ProcessingLogRecord.objects.values_list("pk", flat=True))


# --- reading ----------------------------------------------------------------------------


def test_a_bsn_filter_lists_that_persons_cases_and_logs_each_client_on_the_page_once(
    case_types: Party, case_worker: Client
) -> None:
    other, other_bsn = other_person(case_types)
    mine = {start(case_types).identification, start(case_types).identification}
    start(other)
    before = log_ids()

    response = case_worker.get(
        f"{ZAKEN}/zaken",
        {"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": DEMO_RESIDENT_BSN},
    )

    assert response.status_code == 200, response.json()
    page = response.json()
    assert {zaak["identificatie"] for zaak in page["results"]} == mine
    assert page["count"] == 2
    assert new_log_records(before) == [log.pseudonymise("bsn", DEMO_RESIDENT_BSN)]

    before = log_ids()
    everything = case_worker.get(f"{ZAKEN}/zaken").json()
    assert everything["count"] == 3
    assert new_log_records(before) == sorted(
        [log.pseudonymise("bsn", DEMO_RESIDENT_BSN), log.pseudonymise("bsn", other_bsn)]
    )


def test_a_case_is_served_in_the_zaken_shape(case_types: Party, case_worker: Client) -> None:
    case = start(
        case_types,
        case_type="bijstand-levensonderhoud",
        channel="balie",
        properties={"leeftijd": 42, "leefsituatie": "alleenstaand"},
    )
    services.suspend(worker(), case, reason="Wacht op bankafschriften")
    before = log_ids()

    zaak = case_worker.get(f"{ZAKEN}/zaken/{case.uuid}").json()

    assert new_log_records(before) == [log.pseudonymise("bsn", DEMO_RESIDENT_BSN)]
    assert zaak["identificatie"] == case.identification
    assert zaak["bronorganisatie"] == "00000001001589623000"  # Almelo's OIN
    assert zaak["zaaktype"] == zaaktype(case_worker, "bijstand-levensonderhoud")["url"]
    assert zaak["communicatiekanaal"] == "urn:klantocratie:communicatiekanaal:balie"
    assert zaak["vertrouwelijkheidaanduiding"] == "vertrouwelijk"
    assert zaak["uiterlijkeEinddatumAfdoening"] == (case.start_date + timedelta(56)).isoformat()
    assert zaak["einddatum"] is None and zaak["resultaat"] is None and zaak["verlenging"] is None
    assert zaak["opschorting"] == {"indicatie": True, "reden": "Wacht op bankafschriften"}
    status = case_worker.get(zaak["status"]).json()
    assert status["indicatieLaatstGezetteStatus"] is True
    assert case_worker.get(status["statustype"]).json()["omschrijving"] == "Aangevraagd"
    (rol,) = [case_worker.get(url).json() for url in zaak["rollen"]]
    assert rol["betrokkeneType"] == "natuurlijk_persoon"
    assert rol["betrokkeneIdentificatie"] == {"inpBsn": DEMO_RESIDENT_BSN}
    assert rol["omschrijvingGeneriek"] == "initiator"
    assert rol["betrokkene"].endswith(f"/api/klantinteracties/v1/partijen/{case_types.uuid}")
    eigenschappen = case_worker.get(f"{ZAKEN}/zaken/{case.uuid}/zaakeigenschappen").json()
    assert {e["naam"]: e["waarde"] for e in eigenschappen} == {
        "leeftijd": "42",
        "leefsituatie": "alleenstaand",
    }
    assert sorted(e["url"] for e in eigenschappen) == sorted(zaak["eigenschappen"])
    assert case_worker.get(zaak["eigenschappen"][0]).json()["zaak"] == zaak["url"]


def test_the_catalogue_serves_case_type_versions_with_iso_durations(
    case_types: Party, case_worker: Client
) -> None:
    bijstand = zaaktype(case_worker, "bijstand-levensonderhoud")
    assert bijstand["doorlooptijd"] == "P56D" and bijstand["servicenorm"] == "P28D"
    assert bijstand["opschortingEnAanhoudingMogelijk"] is True
    assert bijstand["verlengingMogelijk"] is False and bijstand["verlengingstermijn"] is None
    assert bijstand["concept"] is False and bijstand["indicatieInternOfExtern"] == "extern"
    statustypen = case_worker.get(f"{CATALOGI}/statustypen", {"zaaktype": bijstand["url"]}).json()[
        "results"
    ]
    assert [s["url"] for s in statustypen] == bijstand["statustypen"]
    assert [s["volgnummer"] for s in statustypen] == [1, 2, 3, 4, 5]
    assert [s["isEindstatus"] for s in statustypen] == [False] * 4 + [True]
    assert case_worker.get(statustypen[-1]["url"]).json()["isEindstatus"] is True
    roles = catalogue(case_worker, "roltypen", bijstand["url"])
    assert roles["Partner"]["omschrijvingGeneriek"] == "mede_initiator"
    results = catalogue(case_worker, "resultaattypen", bijstand["url"])
    assert set(results) == {"Toegekend", "Afgewezen", "Beëindigd"}
    assert case_worker.get(f"{CATALOGI}/zaaktypen", {"status": "concept"}).json()["count"] == 0
    everything = case_worker.get(f"{CATALOGI}/zaaktypen", {"status": "alles"}).json()
    assert everything["count"] == case_worker.get(f"{CATALOGI}/zaaktypen").json()["count"] > 0
    # Configuration, not personal data: no processing-log record, and open to analysts.
    assert login("demo-beleid").get(f"{CATALOGI}/zaaktypen").status_code == 200
    assert login("demo-beleid").get(f"{ZAKEN}/zaken").status_code == 403


def test_another_organisation_sees_none_of_the_cases(case_types: Party) -> None:
    case = start(case_types)
    before = log_ids()
    uwv = login("demo-uwv")

    assert uwv.get(f"{ZAKEN}/zaken").json()["count"] == 0
    assert uwv.get(f"{ZAKEN}/zaken/{case.uuid}").status_code == 404
    assert uwv.get(f"{ZAKEN}/rollen").json()["count"] == 0
    zaak_url = f"http://testserver{ZAKEN}/zaken/{case.uuid}"
    statustype = case.case_type_version.status_types.order_by("-order")[0]
    response = post(
        login("demo-belasting"),
        f"{ZAKEN}/statussen",
        {
            "zaak": zaak_url,
            "statustype": f"http://testserver{CATALOGI}/statustypen/{statustype.uuid}",
        },
    )
    assert response.status_code == 400 and "zaak" in response.json()["fields"]
    assert new_log_records(before) == []


def test_the_provider_the_resident_chose_sees_the_case_too(case_types: Party) -> None:
    case = start(case_types, case_type="wmo-ondersteuning")
    housing = login("demo-wonen")
    assert housing.get(f"{ZAKEN}/zaken").json()["count"] == 0

    choices.choose_provider(resident(case_types), case, "woonstichting")

    listed = housing.get(f"{ZAKEN}/zaken").json()
    assert [zaak["uuid"] for zaak in listed["results"]] == [str(case.uuid)]
    assert listed["results"][0]["bronorganisatie"] == "00000001001589623000"


def test_a_role_without_a_grant_for_case_files_is_refused_by_the_gate(
    case_types: Party,
) -> None:
    case = start(case_types)
    before = log_ids()
    privacy_officer = login("demo-privacy")

    listed = privacy_officer.get(f"{ZAKEN}/zaken")
    one = privacy_officer.get(f"{ZAKEN}/zaken/{case.uuid}")
    statuses = privacy_officer.get(f"{ZAKEN}/statussen")

    assert listed.status_code == one.status_code == statuses.status_code == 403
    assert listed.json()["code"] == "access_denied"
    assert new_log_records(before) == []


# --- writing ----------------------------------------------------------------------------


def test_register_a_case_add_roles_set_a_status_and_a_result(
    case_types: Party, case_worker: Client
) -> None:
    bijstand = zaaktype(case_worker, "bijstand-levensonderhoud")
    _, partner_bsn = other_person(case_types)

    created = post(
        case_worker,
        f"{ZAKEN}/zaken",
        {
            "zaaktype": bijstand["url"],
            "omschrijving": "Bijstand na ontslag",
            "communicatiekanaal": "urn:klantocratie:communicatiekanaal:balie",
            "initiator": {"inpBsn": DEMO_RESIDENT_BSN},
        },
    )
    assert created.status_code == 201, created.json()
    zaak = created.json()
    case = Case.objects.get(uuid=zaak["uuid"])
    assert case.channel == "balie" and zaak["bronorganisatie"] == "00000001001589623000"
    assert case.roles.get().party == case_types

    roles = catalogue(case_worker, "roltypen", bijstand["url"])
    partner = post(
        case_worker,
        f"{ZAKEN}/rollen",
        {
            "zaak": zaak["url"],
            "roltype": roles["Partner"]["url"],
            "betrokkeneType": "natuurlijk_persoon",
            "betrokkeneIdentificatie": {"inpBsn": partner_bsn},
            "roltoelichting": "Woont samen met de aanvrager",
        },
    )
    assert partner.status_code == 201, partner.json()
    assert partner.json()["omschrijvingGeneriek"] == "mede_initiator"
    manager = post(
        case_worker,
        f"{ZAKEN}/rollen",
        {
            "zaak": zaak["url"],
            "roltype": roles["Klantmanager"]["url"],
            "betrokkeneType": "medewerker",
            "betrokkeneIdentificatie": {"identificatie": "demo-zaak"},
        },
    )
    assert manager.status_code == 201, manager.json()
    assert manager.json()["betrokkene"] == ""
    assert case.history.filter(kind="role_added").count() == 2

    statustypen = catalogue(case_worker, "statustypen", bijstand["url"])
    status = post(
        case_worker,
        f"{ZAKEN}/statussen",
        {
            "zaak": zaak["url"],
            "statustype": statustypen["Onderzoek"]["url"],
            "statustoelichting": "Stukken opgevraagd",
        },
    )
    assert status.status_code == 201, status.json()
    assert status.json()["indicatieLaatstGezetteStatus"] is True

    results = catalogue(case_worker, "resultaattypen", bijstand["url"])
    result = post(
        case_worker,
        f"{ZAKEN}/resultaten",
        {"zaak": zaak["url"], "resultaattype": results["Toegekend"]["url"]},
    )
    assert result.status_code == 201, result.json()

    again = case_worker.get(zaak["url"]).json()
    assert again["status"] == status.json()["url"]
    assert again["resultaat"] == result.json()["url"]
    assert len(again["rollen"]) == 3
    assert (
        case_worker.get(
            f"{ZAKEN}/rollen", {"zaak": zaak["url"], "betrokkeneType": "natuurlijk_persoon"}
        ).json()["count"]
        == 2
    )
    assert (
        case_worker.get(
            f"{ZAKEN}/statussen", {"zaak": zaak["url"], "indicatieLaatstGezetteStatus": "false"}
        ).json()["count"]
        == 1
    )
    by_partner = case_worker.get(
        f"{ZAKEN}/zaken",
        {"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": partner_bsn},
    ).json()
    assert [z["uuid"] for z in by_partner["results"]] == [zaak["uuid"]]


def test_cases_of_a_business_are_found_by_kvk_number(
    case_types: Party, case_worker: Client
) -> None:
    business = Party.objects.filter(party_type="organisation").order_by("pk").first()
    assert business is not None
    kvk = business.primary_identifier().value
    created = post(
        case_worker,
        f"{ZAKEN}/zaken",
        {
            "zaaktype": zaaktype(case_worker, "melding-openbare-ruimte")["url"],
            "omschrijving": "Losliggende stoeptegel voor de winkel",
            "initiator": {"kvkNummer": kvk},
        },
    )
    assert created.status_code == 201, created.json()
    found = case_worker.get(
        f"{ZAKEN}/zaken", {"rol__betrokkeneIdentificatie__nietNatuurlijkPersoon__kvkNummer": kvk}
    ).json()
    assert [z["uuid"] for z in found["results"]] == [created.json()["uuid"]]
    rol = case_worker.get(found["results"][0]["rollen"][0]).json()
    assert rol["betrokkeneType"] == "niet_natuurlijk_persoon"
    assert rol["betrokkeneIdentificatie"] == {"kvkNummer": kvk}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"zaaktype": "http://testserver/api/catalogi/v1/zaaktypen/0"}, "zaaktype"),
        ({"zaaktype": "http://testserver/api/zaken/v1/zaken"}, "zaaktype"),
        ({"uiterlijkeEinddatumAfdoening": "2020-01-01"}, "uiterlijkeEinddatumAfdoening"),
        ({"initiator": {"inpBsn": UNKNOWN_BSN}}, "initiator"),
        ({"initiator": {"inpBsn": "123456789"}}, "initiator"),
        ({"initiator": None}, "initiator"),
        ({"omschrijving": ""}, "omschrijving"),
        ({"communicatiekanaal": "https://example.org/kanalen/balie"}, "communicatiekanaal"),
        ({"bronorganisatie": "gbtwente"}, "bronorganisatie"),
    ],
)
def test_a_bad_case_is_refused_on_its_field_and_nothing_is_saved(
    case_types: Party, case_worker: Client, change: dict[str, Any], field: str
) -> None:
    assert find_party("bsn", UNKNOWN_BSN) is None
    body: dict[str, Any] = {
        "zaaktype": zaaktype(case_worker, "parkeervergunning")["url"],
        "omschrijving": "Parkeervergunning",
        "initiator": {"inpBsn": DEMO_RESIDENT_BSN},
        **change,
    }
    if body["initiator"] is None:
        del body["initiator"]

    response = post(case_worker, f"{ZAKEN}/zaken", body)

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"], response.json()
    assert not Case.objects.exists()
    assert not CaseRole.objects.exists()


def test_a_bad_status_result_or_role_is_refused_and_nothing_is_saved(
    case_types: Party, case_worker: Client
) -> None:
    case = start(case_types, case_type="bijstand-levensonderhoud")
    zaak_url = f"http://testserver{ZAKEN}/zaken/{case.uuid}"
    bijstand = zaaktype(case_worker, "bijstand-levensonderhoud")
    statustypen = catalogue(case_worker, "statustypen", bijstand["url"])
    assert (
        post(
            case_worker,
            f"{ZAKEN}/statussen",
            {"zaak": zaak_url, "statustype": statustypen["Onderzoek"]["url"]},
        ).status_code
        == 201
    )
    statuses = CaseStatus.objects.count()
    events = case.history.count()

    def refused(path: str, body: dict[str, Any], field: str) -> None:
        response = post(case_worker, f"{ZAKEN}/{path}", {"zaak": zaak_url, **body})
        assert response.status_code == 400, response.content
        assert field in response.json()["fields"], response.json()

    # Backwards, past a required task, and a status type of another case type.
    refused("statussen", {"statustype": statustypen["Aangevraagd"]["url"]}, "statustype")
    refused("statussen", {"statustype": statustypen["Besluit genomen"]["url"]}, "taken")
    parking = zaaktype(case_worker, "parkeervergunning")
    parking_status = catalogue(case_worker, "statustypen", parking["url"])["Afgehandeld"]
    refused("statussen", {"statustype": parking_status["url"]}, "statustype")
    # A result type of another case type, and one that is no URL of ours.
    parking_result = catalogue(case_worker, "resultaattypen", parking["url"])["Verleend"]
    refused("resultaten", {"resultaattype": parking_result["url"]}, "resultaattype")
    refused("resultaten", {"resultaattype": "urn:resultaat:verleend"}, "resultaattype")
    # Roles: unknown BSN, a BSN for a business, an unknown employee, a role twice.
    partner = catalogue(case_worker, "roltypen", bijstand["url"])["Partner"]["url"]
    applicant = catalogue(case_worker, "roltypen", bijstand["url"])["Aanvrager"]["url"]
    for kind, identification, roltype in [
        ("natuurlijk_persoon", {"inpBsn": UNKNOWN_BSN}, partner),
        ("niet_natuurlijk_persoon", {"inpBsn": DEMO_RESIDENT_BSN}, partner),
        ("medewerker", {"identificatie": "niemand"}, partner),
        ("natuurlijk_persoon", {"inpBsn": DEMO_RESIDENT_BSN}, applicant),
    ]:
        refused(
            "rollen",
            {
                "roltype": roltype,
                "betrokkeneType": kind,
                "betrokkeneIdentificatie": identification,
            },
            "betrokkeneIdentificatie",
        )

    assert CaseStatus.objects.count() == statuses
    assert not CaseResult.objects.exists()
    assert case.roles.count() == 1
    assert case.history.count() == events


def test_a_case_starts_on_the_version_in_force_only(case_types: Party, case_worker: Client) -> None:
    version = zaaktype(case_worker, "parkeervergunning")
    response = post(
        case_worker,
        f"{ZAKEN}/zaken",
        {
            "zaaktype": version["url"],
            "omschrijving": "Te vroeg",
            "startdatum": "2000-01-01",
            "initiator": {"inpBsn": DEMO_RESIDENT_BSN},
        },
    )
    assert response.status_code == 400 and "zaaktype" in response.json()["fields"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    later = post(
        case_worker,
        f"{ZAKEN}/zaken",
        {
            "zaaktype": version["url"],
            "omschrijving": "Te laat",
            "startdatum": tomorrow,
            "initiator": {"inpBsn": DEMO_RESIDENT_BSN},
        },
    )
    assert later.status_code == 400 and "startdatum" in later.json()["fields"]
    assert not Case.objects.exists()


# --- no server errors ---------------------------------------------------------------------

EXAMPLES_PER_OPERATION = 15


@pytest.mark.usefixtures("wsgi_in_the_test_transaction")
def test_no_zaken_or_catalogi_endpoint_answers_with_a_server_error(
    case_types: Party, case_worker: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("ERROR", logger="django.request")
    start(case_types, case_type="bijstand-levensonderhoud", properties={"leeftijd": 30})
    session = case_worker.cookies["sessionid"].value
    operations, failures = server_errors(
        session, examples=EXAMPLES_PER_OPERATION, paths=("/api/zaken/", "/api/catalogi/")
    )
    assert operations == 22
    assert failures == []
