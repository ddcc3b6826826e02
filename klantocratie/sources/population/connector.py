"""Connector of the population register: name, birth, gender, address and household."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, Subquery

from klantocratie.connectors.base import (
    Concerning,
    LocalRegistryConnector,
    PartyRef,
    SearchCriteria,
    SearchNotSupported,
    register,
    row_once,
)

from .facts import address_facts, birth_facts, household_facts
from .identities import read_identities
from .models import FamilyRelation, Gender, Person, RelationKind, Residence

_GENDER_WORDS = {code: str(label) for code, label in Gender.choices}
_RELATION_WORDS = {
    RelationKind.PARTNER: "partner",
    RelationKind.CHILD: "kind",
    RelationKind.PARENT: "ouder",
}


_PERSON_FIELDS = ("given_names", "surname_prefix", "surname", "birth_date", "birth_place", "gender")


def _person(bsn: str) -> dict[str, Any] | None:
    def fetch() -> dict[str, Any] | None:
        rows = list(Person.objects.filter(bsn=bsn).values(*_PERSON_FIELDS)[:1])
        return rows[0] if rows else None

    return row_once(("person", bsn), fetch)


def read_name(party: PartyRef) -> dict[str, str] | None:
    row = _person(party.value)
    if row is None:
        return None
    parts = (row["given_names"], row["surname_prefix"], row["surname"])
    return {
        "voornamen": row["given_names"],
        "voorvoegsel": row["surname_prefix"],
        "geslachtsnaam": row["surname"],
        "volledige_naam": " ".join(part for part in parts if part),
    }


def read_birth(party: PartyRef) -> dict[str, str | None] | None:
    row = _person(party.value)
    if row is None:
        return None
    return {
        "geboortedatum": row["birth_date"] or None,
        "geboorteplaats": row["birth_place"] or None,
    }


def read_gender(party: PartyRef) -> str | None:
    row = _person(party.value)
    return None if row is None else _GENDER_WORDS[row["gender"]]


def read_address(party: PartyRef) -> dict[str, Any] | None:
    rows = list(
        Residence.objects.filter(bsn=party.value, valid_to__isnull=True).values(
            "street",
            "house_number",
            "house_letter",
            "house_number_addition",
            "postcode",
            "city",
            "buurt_code",
            "valid_from",
        )[:1]
    )
    if not rows:
        return None
    row = rows[0]
    return {
        "straat": row["street"],
        "huisnummer": row["house_number"],
        "huisletter": row["house_letter"],
        "huisnummertoevoeging": row["house_number_addition"],
        "postcode": row["postcode"],
        "woonplaats": row["city"],
        "buurtcode": row["buurt_code"] or None,
        "sinds": row["valid_from"].isoformat() if row["valid_from"] else None,
    }


def _valid_on(on: date | None) -> Q:
    if on is None:
        return Q(valid_to__isnull=True)
    started = Q(valid_from__isnull=True) | Q(valid_from__lte=on)
    return started & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def household(bsn: str, on: date | None = None) -> dict[str, Any] | None:
    return _household(bsn, on)[0]


def _household(bsn: str, on: date | None) -> tuple[dict[str, Any] | None, list[str]]:
    """The household at the person's address on a date (None: now), in one query.

    Members are the other persons registered at the same dwelling on that date, each
    with their relation to the person and birth year only: never their identity.
    "sinds" is the date of the last arrival or departure at the dwelling, i.e. since
    when the household has had this composition.
    """
    own_address = Residence.objects.filter(_valid_on(on), bsn=bsn).values("address_key")[:1]
    rows = (
        Residence.objects.filter(address_key=Subquery(own_address))
        .annotate(
            member_birth_date=Subquery(
                Person.objects.filter(bsn=OuterRef("bsn")).values("birth_date")[:1]
            ),
            relation=Subquery(
                FamilyRelation.objects.filter(
                    _valid_on(on), bsn=bsn, related_bsn=OuterRef("bsn")
                ).values("kind")[:1]
            ),
        )
        .values_list("bsn", "valid_from", "valid_to", "member_birth_date", "relation")
    )
    members: list[dict[str, Any]] = []
    member_bsns: list[str] = []
    changes: list[date] = []
    present = False
    for member_bsn, valid_from, valid_to, birth_date, relation in rows:
        if valid_from is not None and (on is None or valid_from <= on):
            changes.append(valid_from)
        if valid_to is not None and (on is None or valid_to <= on):
            changes.append(valid_to)
        lives_there = (valid_from is None or on is None or valid_from <= on) and (
            valid_to is None if on is None else (valid_to is None or valid_to > on)
        )
        if not lives_there:
            continue
        if member_bsn == bsn:
            present = True
            continue
        member_bsns.append(member_bsn)
        members.append(
            {
                "relatie": _RELATION_WORDS.get(relation, "overig"),
                "geboortejaar": int(birth_date[:4]) if birth_date else None,
            }
        )
    if not present:
        return None, []
    members.sort(key=lambda m: (m["geboortejaar"] is None, m["geboortejaar"] or 0))
    composition = {
        "aantal_personen": len(members) + 1,
        "leden": members,
        "sinds": max(changes).isoformat() if changes else None,
    }
    return composition, member_bsns


def read_household(party: PartyRef) -> Concerning | None:
    composition, member_bsns = _household(party.value, None)
    if composition is None:
        return None
    return Concerning(composition, tuple(PartyRef("bsn", bsn) for bsn in sorted(member_bsns)))


# Persons born on one day or living at one address are few even in a city of a million;
# the name is then compared in Python, accent- and case-insensitively.
_CANDIDATE_LIMIT = 2000


def _name_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.lower().replace("-", " ").replace("'", " ").split()


def _name_matches(wanted: list[str], given_names: str, prefix: str, surname: str) -> bool:
    """Every word asked for starts a word of the name: 'hendr ter horst' finds her."""
    words = _name_words(f"{given_names} {prefix} {surname}")
    return all(any(word.startswith(part) for word in words) for part in wanted)


def find_persons(criteria: SearchCriteria) -> list[PartyRef]:
    """Persons by birth date and/or current address, narrowed by name.

    A name alone is never enough: it would list half the town.
    """
    persons = Person.objects.all()
    if "person.address" in criteria:
        address = criteria["person.address"]
        if (
            not isinstance(address, dict)
            or not address.get("postcode")
            or not address.get("huisnummer")
        ):
            raise SearchNotSupported("Zoek op een adres met postcode én huisnummer.")
        residents = Residence.objects.filter(
            postcode=address["postcode"],
            house_number=address["huisnummer"],
            valid_to__isnull=True,
        )
        if address.get("huisletter"):
            residents = residents.filter(house_letter=address["huisletter"])
        if address.get("toevoeging"):
            residents = residents.filter(house_number_addition=address["toevoeging"])
        persons = persons.filter(bsn__in=residents.values("bsn"))
    if "person.birth" in criteria:
        persons = persons.filter(birth_date=criteria["person.birth"])
    if "person.address" not in criteria and "person.birth" not in criteria:
        raise SearchNotSupported("Zoek op naam altijd samen met een geboortedatum of adres.")
    wanted = _name_words(criteria.get("person.name", ""))
    rows = persons.order_by("bsn").values_list("bsn", "given_names", "surname_prefix", "surname")[
        :_CANDIDATE_LIMIT
    ]
    return [
        PartyRef("bsn", bsn)
        for bsn, given, prefix, surname in rows
        if _name_matches(wanted, given, prefix, surname)
    ]


@register("local.population")
class PopulationConnector(LocalRegistryConnector):
    health_model = Person
    search_elements = frozenset({"person.name", "person.birth", "person.address"})
    finder = find_persons
    readers = {
        "person.name": read_name,
        "person.birth": read_birth,
        "person.gender": read_gender,
        "person.address": read_address,
        "person.household": read_household,
    }
    identity_reader = read_identities
    identity_made_of = frozenset({"person.name", "person.birth", "person.address"})
    fact_readers = {
        "person.birth": birth_facts,
        "person.address": address_facts,
        "person.household": household_facts,
    }
