"""A small demo municipality with partner records that name residents without a BSN."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.linkage import engine
from klantocratie.linkage.models import Link, LinkMethod, LinkStatus, PartnerRecord
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy import log
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

    def link(
        self, record: PartnerRecord, status: str = LinkStatus.REVIEW, **fields: object
    ) -> Link:
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


class ScriptedModel:
    """The engine, answering with the candidates a test scripts per partner record."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Keyed by record pk, or by reference for a record a test has not yet imported.
        self.answers: dict[int | str, list[tuple[str, float, float]]] = {}
        self.trainings = 0
        monkeypatch.setattr(engine, "train", self.train)
        monkeypatch.setattr(engine, "predict", self.predict)

    def answer(self, record: int | str, *candidates: tuple[str, float, float]) -> None:
        """(bsn, match probability, match weight) per candidate of a record pk or reference."""
        self.answers[record] = list(candidates)

    def train(self, partner: Any, persons: Any, **_: Any) -> engine.TrainedModel:
        self.trainings += 1
        return engine.TrainedModel(
            settings={"scripted": self.trainings},
            version=f"nl-1-test{self.trainings}",
            trained_on={},
        )

    def predict(
        self, model: Any, partner: Any, persons: Any, *, threshold_probability: float, **_: Any
    ) -> Iterator[engine.Candidate]:
        pending = set(partner.column("unique_id").to_pylist())
        pks = dict(PartnerRecord.objects.values_list("reference", "pk"))
        for record, candidates in self.answers.items():
            pk = str(pks.get(record, "") if isinstance(record, str) else record)
            if pk not in pending:
                continue
            for bsn, probability, weight in candidates:
                if probability < threshold_probability:
                    continue
                yield engine.Candidate(
                    partner_id=pk,
                    person_id=log.pseudonymise("bsn", bsn),
                    match_weight=weight,
                    match_probability=probability,
                    levels=(engine.LevelOutcome("achternaam", "exact", 64.0, 6.0),),
                )


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> ScriptedModel:
    return ScriptedModel(monkeypatch)
