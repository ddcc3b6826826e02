"""A small demo municipality with partner records that name residents without a BSN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.linkage.models import Link, LinkMethod, LinkStatus, PartnerRecord
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.gate import AccessContext
from klantocratie.registry.models import Source
from klantocratie.sources.police.models import Report
from klantocratie.sources.population.models import Person, Residence
from tests.frontoffice.conftest import demo  # noqa: F401  (re-exported fixture)

REVIEWER = AccessContext(
    actor="demo-koppel",
    role="linkage_reviewer",
    organisation="gemeente-almelo",
    activity="koppelen-partnergegevens",
)


@dataclass
class PartnerWorld:
    police: Source
    person: Person
    party: Party

    def record_of(self, person: Person, reference: str, **changes: object) -> PartnerRecord:
        """A partner's record naming `person` as the register does, with `changes`."""
        home = Residence.objects.filter(bsn=person.bsn, valid_to__isnull=True).first()
        fields: dict[str, object] = {
            "surname": person.surname,
            "surname_prefix": person.surname_prefix,
            "given_names": person.given_names,
            "birth_date": person.birth_date,
            "street": home.street if home else "",
            "house_number": home.house_number if home else None,
            "house_number_addition": home.house_number_addition if home else "",
            "postcode": home.postcode if home else "",
            "city": home.city if home else "",
        }
        fields.update(changes)
        return PartnerRecord.objects.create(source=self.police, reference=reference, **fields)

    def report(self, reference: str, bsn: str = "") -> Report:
        return Report.objects.create(
            bsn=bsn,
            date=date(2026, 10, 1),
            kind="overlast",
            description="Geluidsoverlast gemeld",
            reference=reference,
        )

    def link(self, record: PartnerRecord, status: str = LinkStatus.REVIEW, **fields: object) -> Link:
        values: dict[str, object] = {
            "method": LinkMethod.PROBABILISTIC,
            "match_weight": 9.5,
            "match_probability": 0.93,
            "levels": [{"vergelijking": "achternaam", "niveau": "exact", "gewicht": 6.1}],
        }
        values.update(fields)
        return Link.objects.create(record=record, party=self.party, status=status, **values)


@pytest.fixture
def partners(demo: Party) -> PartnerWorld:  # noqa: F811
    police = Source.objects.get(code="politie-meldingen")
    bsn = demo.primary_identifier().value
    return PartnerWorld(police=police, person=Person.objects.get(bsn=bsn), party=demo)


@pytest.fixture
def reviewer(demo: Party) -> Client:  # noqa: F811
    client = Client()
    client.force_login(User.objects.get(username="demo-koppel"))
    return client


def party_of(bsn: str) -> Party:
    party = find_party("bsn", bsn)
    assert party is not None
    return party
