import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from klantocratie.parties.models import Party
from klantocratie.parties.services import register_party
from klantocratie.privacy.gate import AccessContext
from klantocratie.privacy.models import ChoiceRule, GdprBasis, Grant, ProcessingActivity
from klantocratie.registry.models import DataElement, Organisation, Source
from tests.support.browser import browser  # noqa: F401  (the one session-wide Chromium)
from tests.support.memory_connector import MemoryConnector
from tests.support.portal import (  # noqa: F401  (the personal page's world, for every folder)
    login_as,
    other_client,
    portal_world,
    riky_client,
)

# Valid BSNs (11-test) used across tests.
BSN_ANNA = "999990019"
BSN_BERT = "999990020"
BSN_CARLA = "999990032"


@pytest.fixture(autouse=True)
def _reset_memory_connector() -> Iterator[None]:
    MemoryConnector.reset()
    yield
    MemoryConnector.reset()


@dataclass
class World:
    """A small region: a municipality with two in-memory sources, one activity, grants."""

    municipality: Organisation
    housing: Organisation
    population: Source
    tenancy: Source
    activity: ProcessingActivity
    grant: Grant
    anna: Party
    bert: Party

    def ctx(self, **overrides: Any) -> AccessContext:
        values = {
            "actor": "kim",
            "role": "kcc_agent",
            "organisation": self.municipality.code,
            "activity": self.activity.code,
        }
        values.update(overrides)
        return AccessContext(**values)

    def activity_version(self, code: str, **fields: Any) -> ProcessingActivity:
        defaults = {
            "version": 1,
            "name": code,
            "purpose": "test",
            "controller": self.municipality,
            "gdpr_basis": GdprBasis.PUBLIC_TASK,
            "legal_article": "Art. 1 Testwet",
            "retention": "1 jaar",
            "valid_from": dt.date(2020, 1, 1),
        }
        defaults.update(fields)
        return ProcessingActivity.objects.create(code=code, **defaults)

    def grant_for(self, activity: ProcessingActivity, codes: list[str], **fields: Any) -> Grant:
        defaults = {
            "organisation": self.municipality,
            "role": "kcc_agent",
            "valid_from": dt.date(2020, 1, 1),
        }
        defaults.update(fields)
        grant = Grant.objects.create(activity=activity, **defaults)
        grant.elements.set(DataElement.objects.filter(code__in=codes))
        return grant


@pytest.fixture
def world(db: None) -> World:
    municipality = Organisation.objects.create(
        code="gemeente", name="Gemeente Test", kind="municipality"
    )
    housing = Organisation.objects.create(
        code="woon", name="Woonstichting Test", kind="housing_corporation"
    )
    population = Source.objects.create(
        code="brp",
        name="BRP",
        organisation=municipality,
        connector="test.memory",
        config={"elements": ["person.name", "person.address", "person.email"]},
    )
    tenancy = Source.objects.create(
        code="huur",
        name="Huuradministratie",
        organisation=housing,
        connector="test.memory",
        config={"elements": ["tenancy.contract", "tenancy.complaints"]},
    )
    for code, source, changeable in [
        ("person.name", population, False),
        ("person.address", population, False),
        ("person.email", population, True),
        ("tenancy.contract", tenancy, False),
        ("tenancy.complaints", tenancy, False),
    ]:
        DataElement.objects.create(
            code=code,
            label=code,
            party_type="person",
            category="test",
            source=source,
            changeable=changeable,
        )
    anna = register_party("person", {"bsn": BSN_ANNA})
    bert = register_party("person", {"bsn": BSN_BERT})
    MemoryConnector.records = {
        "brp": {
            ("bsn", BSN_ANNA): {
                "person.name": "Anna de Boer",
                "person.address": "Grotestraat 1",
                "person.email": "anna@example.nl",
            },
            ("bsn", BSN_BERT): {"person.name": "Bert Smit", "person.address": "Kerkstraat 2"},
        },
        "huur": {
            ("bsn", BSN_ANNA): {
                "tenancy.contract": {"adres": "Grotestraat 1"},
                "tenancy.complaints": [],
            }
        },
    }
    partial = World(municipality, housing, population, tenancy, None, None, anna, bert)  # type: ignore[arg-type]
    partial.activity = partial.activity_version("kcc", choice_rule=ChoiceRule.NONE)
    partial.grant = partial.grant_for(
        partial.activity, ["person.name", "person.address", "tenancy.contract"]
    )
    partial.grant_for(partial.activity, ["person.email"], may_change=True)
    return partial
