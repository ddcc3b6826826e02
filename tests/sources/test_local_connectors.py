"""The nine local source registries, read through their connectors.

The demo municipality is generated once for this module (inside a transaction that is
rolled back afterwards); each test reads it through the connector the pack names.
"""

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from hypothesis import given
from hypothesis import strategies as st

from klantocratie.connectors.base import (
    ChangeRejected,
    Concerning,
    Connector,
    PartyRef,
    connector_class,
)
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.registry.models import Source
from klantocratie.sources.contactdetails.connector import clean_phone
from klantocratie.sources.contactdetails.models import ContactDetails
from klantocratie.sources.population.models import Residence
from klantocratie.sources.traderegister.models import BusinessRole

BRP_TEST_PERSON = "000009830"  # first person of the official BRP test set
# Numbers that neither the BRP test set nor the generator uses.
UNKNOWN_BSN = "111222333"
NEW_BSN = "123456782"


def _pack(name: str) -> list[dict[str, Any]]:
    with open(settings.DEMO_PACK_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)[name]


ELEMENTS = _pack("elements")
SOURCE_CONNECTORS = {source["code"]: source["connector"] for source in _pack("sources")}
ELEMENT_CONNECTOR = {e["code"]: SOURCE_CONNECTORS[e["source"]] for e in ELEMENTS}
ORGANISATION_ELEMENTS = {e["code"] for e in ELEMENTS if e["party_type"] == "organisation"}


def connector(key: str) -> Connector:
    return connector_class(key)(Source(code=key.replace(".", "-"), connector=key))


def read(element: str, ref: PartyRef) -> Any:
    value = connector(ELEMENT_CONNECTOR[element]).read(ref, [element])[element]
    if isinstance(value, Concerning):
        # Values about other persons too name them as PartyRefs, for the gate's log.
        assert all(isinstance(subject, PartyRef) for subject in value.subjects)
        value = value.value
    json.dumps(value)  # everything a reader returns goes to JSON unchanged
    return value


@pytest.fixture(scope="module")
def town(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        generate_municipality(persons=200)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo_kvk(town: None, db: None) -> str:
    return BusinessRole.objects.get(bsn=DEMO_RESIDENT_BSN).business_id


def ref_for(element: str, kvk: str) -> PartyRef:
    if element in ORGANISATION_ELEMENTS:
        return PartyRef("kvk", kvk)
    return PartyRef("bsn", DEMO_RESIDENT_BSN)


ISO_DATE = "iso-date"
# Per element: a dict's keys and value types, or a list item's ("list", {...}).
SHAPES: dict[str, Any] = {
    "person.name": {"voornamen": str, "voorvoegsel": str, "geslachtsnaam": str, "volledige_naam": str},
    "person.birth": {"geboortedatum": ISO_DATE, "geboorteplaats": str},
    "person.address": {
        "straat": str, "huisnummer": int, "huisletter": str, "huisnummertoevoeging": str,
        "postcode": str, "woonplaats": str, "buurtcode": str, "sinds": ISO_DATE,
    },
    "person.household": {"aantal_personen": int, "leden": list, "sinds": ISO_DATE},
    "income.annual": ("list", {"jaar": int, "verzamelinkomen": float}),
    "tax.assessments": ("list", {"jaar": int, "soort": str, "bedrag": float, "status": str}),
    "tax.arrears": {"openstaand_bedrag": float, "sinds": ISO_DATE, "aantal_aanslagen": int},
    "benefit.active": ("list", {"regeling": str, "sinds": ISO_DATE, "bedrag_per_maand": float}),
    "person.businesses": ("list", {"kvk_nummer": str, "handelsnaam": str, "rol": str}),
    "business.registration": {
        "handelsnaam": str, "kvk_nummer": str, "rsin": type(None), "rechtsvorm": str,
        "sbi_code": str, "sbi_omschrijving": str, "adres": str, "thuisgevestigd": bool,
        "inschrijfdatum": ISO_DATE,
    },
    "business.establishments": ("list", {"vestigingsnummer": str, "adres": str, "hoofdvestiging": bool}),
    "tenancy.contract": {"adres": str, "ingangsdatum": ISO_DATE, "kale_huur": float},
    "tenancy.complaints": ("list", {"datum": ISO_DATE, "categorie": str, "omschrijving": str, "status": str}),
    "tenancy.rent_arrears": {"bedrag": float, "dagen_achterstand": int, "gemeld_op": ISO_DATE},
    "arrears.reports": ("list", {
        "soort": str, "schuldeiser": str, "bedrag": float, "achterstand_sinds": ISO_DATE,
        "gemeld_op": ISO_DATE, "terugmelding": str,
    }),
    "police.reports": ("list", {"datum": ISO_DATE, "soort": str, "omschrijving": str}),
    "waste.weighings": ("list", {"datum": ISO_DATE, "fractie": str, "kg": float}),
    "mail.undeliverable": ("list", {"datum": ISO_DATE, "afzender": str, "adres": str}),
    "cases.open": ("list", {
        "zaaknummer": str, "organisatie": str, "zaaktype": str, "status": str,
        "statusdatum": ISO_DATE, "verwachte_einddatum": ISO_DATE,
    }),
}  # fmt: skip
SCALARS: dict[str, Any] = {
    "person.gender": {"man", "vrouw", "onbekend"},
    "person.phone": str,
    "person.email": str,
    "person.correspondence_preference": {"post", "email", "berichtenbox"},
    "person.iban_municipal_taxes": str,
}


def assert_fields(value: Any, fields: dict[str, Any]) -> None:
    assert isinstance(value, dict)
    assert set(value) == set(fields)
    for key, expected in fields.items():
        if expected == ISO_DATE:
            date.fromisoformat(value[key])
        elif expected is int:
            assert isinstance(value[key], int) and not isinstance(value[key], bool), key
        else:
            assert isinstance(value[key], expected), key


def test_each_connector_serves_exactly_the_elements_the_pack_gives_its_source() -> None:
    for key in set(SOURCE_CONNECTORS.values()):
        expected = {code for code, owner in ELEMENT_CONNECTOR.items() if owner == key}
        assert connector(key).provides() == expected, key
    # The contact registry, the case system, the signal and linkage registers are domain
    # apps with their own tests.
    registries = {
        code
        for code, key in ELEMENT_CONNECTOR.items()
        if key not in ("local.contacts", "local.cases", "local.signals", "local.linkage")
    }
    assert set(SHAPES) | set(SCALARS) == registries


@pytest.mark.django_db
def test_every_connector_reports_healthy(town: None) -> None:
    for key in set(SOURCE_CONNECTORS.values()):
        assert connector(key).health().ok


@pytest.mark.django_db
@pytest.mark.parametrize("element", sorted(SHAPES))
def test_structured_elements_of_the_demo_resident(element: str, demo_kvk: str) -> None:
    value = read(element, ref_for(element, demo_kvk))
    shape = SHAPES[element]
    if isinstance(shape, tuple):
        assert isinstance(value, list) and value, "the demo resident has data in every source"
        for item in value:
            assert_fields(item, shape[1])
    else:
        assert_fields(value, shape)


@pytest.mark.django_db
@pytest.mark.parametrize("element", sorted(SCALARS))
def test_scalar_elements_of_the_demo_resident(element: str, town: None) -> None:
    value = read(element, PartyRef("bsn", DEMO_RESIDENT_BSN))
    expected = SCALARS[element]
    if isinstance(expected, set):
        assert value in expected
    else:
        assert isinstance(value, expected) and value


@pytest.mark.django_db
def test_unknown_party_gets_nothing_rather_than_an_error(town: None) -> None:
    for element in ELEMENT_CONNECTOR:
        key = "kvk" if element in ORGANISATION_ELEMENTS else "bsn"
        value = read(element, PartyRef(key, "12345678" if key == "kvk" else UNKNOWN_BSN))
        assert value in (None, []), element


@pytest.mark.django_db
def test_households_show_relations_and_birth_years_but_no_identities(town: None) -> None:
    shared = (
        Residence.objects.filter(valid_to__isnull=True, buurt_code__startswith="BU0141")
        .values("address_key")
        .annotate(size=Count("id"))
        .filter(size__gte=3)
        .values_list("address_key", flat=True)[:20]
    )
    residents = Residence.objects.filter(address_key__in=list(shared), valid_to__isnull=True)
    assert residents
    for resident in residents:
        household = read("person.household", PartyRef("bsn", resident.bsn))
        others = residents.filter(address_key=resident.address_key).exclude(bsn=resident.bsn)
        assert household["aantal_personen"] == others.count() + 1
        for member in household["leden"]:
            assert set(member) == {"relatie", "geboortejaar"}
            assert member["relatie"] in {"partner", "kind", "ouder", "overig"}
        text = json.dumps(household)
        assert not any(other.bsn in text for other in others)


@pytest.mark.django_db
def test_residents_saved_one_by_one_share_a_household() -> None:
    address = {
        "street": "Proefstraat",
        "house_number": 12,
        "house_letter": "A",
        "postcode": "9999ZZ",
    }
    for bsn in (UNKNOWN_BSN, NEW_BSN):
        Residence.objects.create(bsn=bsn, valid_from=date(2020, 1, 1), **address)
    household = read("person.household", PartyRef("bsn", UNKNOWN_BSN))
    assert household == {
        "aantal_personen": 2,
        "leden": [{"relatie": "overig", "geboortejaar": None}],
        "sinds": "2020-01-01",
    }


@pytest.mark.django_db
def test_lists_are_newest_first(demo_kvk: str) -> None:
    bsn = PartyRef("bsn", DEMO_RESIDENT_BSN)
    years = [row["jaar"] for row in read("income.annual", bsn)]
    assert years == sorted(years, reverse=True)
    for element in (
        "tenancy.complaints",
        "police.reports",
        "waste.weighings",
        "mail.undeliverable",
    ):
        days = [row["datum"] for row in read(element, bsn)]
        assert days == sorted(days, reverse=True), element


@pytest.mark.django_db
def test_weighings_cover_the_twelve_months_up_to_the_latest(town: None) -> None:
    days = [
        date.fromisoformat(r["datum"])
        for r in read("waste.weighings", PartyRef("bsn", DEMO_RESIDENT_BSN))
    ]
    assert days[0] - days[-1] < timedelta(days=365)
    assert len({(d.year, d.month) for d in days}) == 12


@pytest.mark.django_db
def test_tax_arrears_sum_the_assessments_in_collection(town: None) -> None:
    bsn = PartyRef("bsn", DEMO_RESIDENT_BSN)
    in_collection = [a for a in read("tax.assessments", bsn) if a["status"] == "invordering"]
    arrears = read("tax.arrears", bsn)
    assert arrears["aantal_aanslagen"] == len(in_collection)
    assert arrears["openstaand_bedrag"] <= sum(a["bedrag"] for a in in_collection)


@pytest.mark.django_db
def test_brp_test_person_is_read_as_loaded(town: None) -> None:
    ref = PartyRef("bsn", BRP_TEST_PERSON)
    assert read("person.name", ref) == {
        "voornamen": "Theodoor-Christiaan R. Philip",
        "voorvoegsel": "van der",
        "geslachtsnaam": "Ven-Van Roedelrode tot Broekzucht",
        "volledige_naam": "Theodoor-Christiaan R. Philip van der Ven-Van Roedelrode tot Broekzucht",
    }
    assert read("person.birth", ref) == {
        "geboortedatum": "1975-07-07",
        "geboorteplaats": "Enschede",
    }
    address = read("person.address", ref)
    assert (address["straat"], address["huisnummer"], address["postcode"]) == (
        "Boulevard 1945",
        144,
        "7511AG",
    )
    assert address["woonplaats"] == "Enschede"


# --- Contact details: the one source with writers ---------------------------------------

CONTACT = "local.contactdetails"
BSN = PartyRef("bsn", NEW_BSN)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("element", "value", "stored"),
    [
        ("person.phone", "06 12345678", "0612345678"),
        ("person.phone", "+31 6-1234 5678", "+31612345678"),
        ("person.phone", "053-1234567", "0531234567"),
        ("person.email", " inwoner@example.com ", "inwoner@example.com"),
        ("person.correspondence_preference", "berichtenbox", "berichtenbox"),
    ],
)
def test_contact_writers_accept_valid_values(element: str, value: str, stored: str) -> None:
    connector(CONTACT).change(BSN, element, value)
    assert connector(CONTACT).read(BSN, [element]) == {element: stored}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("element", "value", "message"),
    [
        ("person.phone", "12345", "telefoonnummer"),
        ("person.phone", "06-1234567", "telefoonnummer"),
        ("person.phone", "+32612345678", "telefoonnummer"),
        ("person.phone", "0012345678", "telefoonnummer"),
        ("person.phone", 612345678, "tekst"),
        ("person.email", "geen-adres", "e-mailadres"),
        ("person.email", "inwoner@localhost", "e-mailadres"),
        ("person.email", "inwoner@voorbeeld", "e-mailadres"),
        ("person.correspondence_preference", "fax", "voorkeur"),
        ("person.correspondence_preference", None, "voorkeur"),
    ],
)
def test_contact_writers_reject_invalid_values(element: str, value: Any, message: str) -> None:
    with pytest.raises(ChangeRejected, match=message):
        connector(CONTACT).change(BSN, element, value)
    assert not ContactDetails.objects.filter(bsn=BSN.value).exists()


@pytest.mark.django_db
def test_contact_writers_upsert_one_row_and_can_clear_a_value() -> None:
    contact = connector(CONTACT)
    contact.change(BSN, "person.phone", "0612345678")
    contact.change(BSN, "person.email", "inwoner@example.com")
    contact.change(BSN, "person.phone", None)
    assert ContactDetails.objects.filter(bsn=BSN.value).count() == 1
    assert contact.read(
        BSN, ["person.phone", "person.email", "person.correspondence_preference"]
    ) == {
        "person.phone": None,
        "person.email": "inwoner@example.com",
        "person.correspondence_preference": "post",
    }


def test_read_only_sources_refuse_changes() -> None:
    with pytest.raises(ChangeRejected):
        connector("local.population").change(BSN, "person.name", "Iemand Anders")


@given(st.from_regex(r"(0|\+31)[1-9][0-9]{8}", fullmatch=True))
def test_every_dutch_number_is_accepted_as_typed(number: str) -> None:
    spaced = f"{number[:-8]} {number[-8:-4]}-{number[-4:]}"
    assert clean_phone(spaced) == number


@given(st.text(alphabet="0123456789+ -", max_size=16))
def test_phone_cleaning_accepts_only_ten_digit_dutch_numbers(text: str) -> None:
    try:
        cleaned = clean_phone(text)
    except ChangeRejected:
        return
    assert cleaned == "" or len(cleaned.removeprefix("+31")) in (9, 10)


@pytest.mark.django_db
def test_elements_of_one_row_are_read_with_one_query(town: None) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = PartyRef("bsn", DEMO_RESIDENT_BSN)
    with CaptureQueriesContext(connection) as queries:
        values = connector("local.population").read(
            person, ["person.name", "person.birth", "person.gender"]
        )
        connector("local.contactdetails").read(
            person, ["person.phone", "person.email", "person.correspondence_preference"]
        )
    assert values["person.name"] and values["person.birth"] and values["person.gender"]
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in queries.captured_queries]
    assert tables.count('"source_population_person"') == 1
    assert tables.count('"source_contactdetails_contactdetails"') == 1
    # Outside a read nothing is remembered: the next read sees the source as it is now.
    with CaptureQueriesContext(connection) as again:
        connector("local.population").read(person, ["person.name"])
    assert len(again.captured_queries) == 1
