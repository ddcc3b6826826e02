"""The demo municipality with its case types: the desk's demo fixture plus the pack's cases/."""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.cases.packs import load_case_types
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.models import Party
from klantocratie.privacy.gate import AccessContext
from tests.frontoffice.conftest import demo  # noqa: F401  (re-exported fixture)

CASES_DIR = Path(settings.DEMO_PACK_DIR) / "cases"


@pytest.fixture
def case_types(demo: Party) -> Party:  # noqa: F811
    """Loads the demo pack's case types; returns the demo resident."""
    load_case_types(CASES_DIR)
    return demo


def worker(organisation: str = "gemeente-almelo", actor: str = "demo-zaak") -> AccessContext:
    return AccessContext(
        actor=actor, role="case_worker", organisation=organisation, activity="zaakbehandeling"
    )


def resident(party: Party) -> AccessContext:
    return AccessContext(
        actor=f"bsn:{DEMO_RESIDENT_BSN}",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=party.pk,
    )


@pytest.fixture
def case_worker(case_types: Party) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="demo-zaak"))
    return client
