"""The demo generator: valid identifiers, reproducible data, households that change."""

import hashlib
import json
from datetime import date, timedelta
from itertools import islice

import pytest
from django.core.exceptions import ValidationError
from django.db import models, transaction
from hypothesis import given
from hypothesis import strategies as st

from klantocratie.connectors.base import PartyRef
from klantocratie.demo.generator import (
    BRP_TEST_PERSONS_FILE,
    BSN_BASE,
    DATA_DIR,
    DEMO_RESIDENT_BSN,
    REFERENCE_DATE,
    GeneratorError,
    eleven_test_sequence,
    generate_municipality,
)
from klantocratie.parties.models import (
    IDENTIFIER_VALIDATORS,
    IdentifierType,
    Party,
    PartyIdentifier,
)
from klantocratie.parties.validators import normalise_postcode, passes_eleven_test
from klantocratie.sources.contactdetails.models import ContactDetails
from klantocratie.sources.population.connector import household, read_household
from klantocratie.sources.population.models import FamilyRelation, Person, Residence
from klantocratie.sources.tax.models import AnnualIncome
from klantocratie.sources.traderegister.models import Business

BRP_BSNS = {
    record["burgerservicenummer"] for record in json.loads(BRP_TEST_PERSONS_FILE.read_text("utf-8"))
}


@given(st.integers(min_value=1, max_value=99_999_000))
def test_bsn_sequence_yields_only_eleven_test_numbers(start: int) -> None:
    numbers = list(islice(eleven_test_sequence(start), 30))
    assert numbers == sorted(set(numbers))
    assert all(len(n) == 9 and passes_eleven_test(n) for n in numbers)
    # Each 8-digit base has at most one valid check digit, so no base is used twice.
    assert len({n[:8] for n in numbers}) == len(numbers)


def test_bsn_sequence_needs_an_eight_digit_base() -> None:
    with pytest.raises(ValueError, match="start"):
        next(eleven_test_sequence(0))


def test_demo_resident_is_the_first_generated_bsn() -> None:
    assert next(eleven_test_sequence(BSN_BASE)) == DEMO_RESIDENT_BSN
    assert DEMO_RESIDENT_BSN not in BRP_BSNS


def test_almelo_reference_data_is_complete() -> None:
    cbs = json.loads((DATA_DIR / "almelo-cbs.json").read_text("utf-8"))
    assert cbs["gemeente"] == {"code": "GM0141", "naam": "Almelo"}
    assert len(cbs["wijken"]) == 12 and len(cbs["buurten"]) == 68
    assert len(BRP_BSNS) == 1176


@pytest.mark.django_db
def test_generates_residents_with_valid_identifiers() -> None:
    counts = generate_municipality(persons=200)
    generated = set(Person.objects.exclude(bsn__in=BRP_BSNS).values_list("bsn", flat=True))
    assert len(generated) == 200
    assert all(passes_eleven_test(bsn) for bsn in generated)
    # Every identifier the generator registers passes the platform's own validators.
    for identifier_type, value in PartyIdentifier.objects.values_list("identifier_type", "value"):
        IDENTIFIER_VALIDATORS[IdentifierType(identifier_type)](value)
    registered = set(
        PartyIdentifier.objects.filter(identifier_type="bsn").values_list("value", flat=True)
    )
    assert generated <= registered
    assert (
        Business.objects.count()
        == PartyIdentifier.objects.filter(identifier_type="kvk").count()
        > 0
    )
    assert counts["source_population.Person"] == Person.objects.count() == 200 + len(BRP_BSNS)
    assert counts["parties.Party"] == Party.objects.count()


@pytest.mark.django_db
def test_generated_addresses_are_in_almelo() -> None:
    generate_municipality(persons=200)
    cbs = json.loads((DATA_DIR / "almelo-cbs.json").read_text("utf-8"))
    buurten = {buurt["code"] for buurt in cbs["buurten"]}
    generated = Residence.objects.exclude(bsn__in=BRP_BSNS)
    for postcode, buurt, city in generated.values_list("postcode", "buurt_code", "city"):
        assert normalise_postcode(postcode) == postcode
        assert 7600 <= int(postcode[:4]) <= 7609
        assert buurt in buurten
        assert city in {"Almelo", "Aadorp", "Bornerbroek"}


def test_postcode_validation_would_catch_forbidden_letters() -> None:
    with pytest.raises(ValidationError):
        normalise_postcode("7600SA")


def _digest() -> str:
    tables: list[tuple[type[models.Model], tuple[str, ...]]] = [
        (Person, ("bsn", "given_names", "surname_prefix", "surname", "birth_date", "gender")),
        (Residence, ("bsn", "street", "house_number", "postcode", "valid_from", "valid_to")),
        (FamilyRelation, ("bsn", "related_bsn", "kind", "valid_from", "valid_to")),
        (ContactDetails, ("bsn", "phone", "email", "correspondence_preference")),
        (AnnualIncome, ("bsn", "year", "aggregate_income")),
        (Party, ("uuid", "party_type")),
    ]
    digest = hashlib.sha256()
    for model, fields in tables:
        for row in model._default_manager.order_by(*fields).values_list(*fields):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _generate_and_digest(seed: int) -> str:
    with transaction.atomic():
        generate_municipality(persons=60, seed=seed)
        digest = _digest()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_same_seed_gives_the_same_municipality_and_another_seed_another() -> None:
    first = _generate_and_digest(seed=7)
    assert _generate_and_digest(seed=7) == first
    assert _generate_and_digest(seed=8) != first


@pytest.mark.django_db
def test_demo_residents_last_child_left_home_this_year() -> None:
    generate_municipality(persons=200)
    read = read_household(PartyRef("bsn", DEMO_RESIDENT_BSN))
    year_ago = household(DEMO_RESIDENT_BSN, on=REFERENCE_DATE - timedelta(days=365))
    assert read is not None and year_ago is not None
    # Living alone now, the household concerns no one else: no other log records.
    assert read.subjects == ()
    now = read.value
    assert now["aantal_personen"] < year_ago["aantal_personen"]
    assert now["leden"] == []
    assert [member["relatie"] for member in year_ago["leden"]] == ["kind"]
    assert REFERENCE_DATE - timedelta(days=365) < date.fromisoformat(now["sinds"]) < REFERENCE_DATE


@pytest.mark.django_db
def test_second_run_refuses_instead_of_duplicating() -> None:
    generate_municipality(persons=20)
    persons = Person.objects.count()
    with pytest.raises(GeneratorError, match="already loaded"):
        generate_municipality(persons=20)
    assert Person.objects.count() == persons


@pytest.mark.django_db
def test_too_few_persons_for_the_demo_family_is_refused() -> None:
    with pytest.raises(GeneratorError, match="at least"):
        generate_municipality(persons=3)
    assert not Person.objects.exists()
