import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.gate import AccessContext


@pytest.fixture
def demo(db: None) -> Party:
    """The demo municipality, small; returns the demo resident."""
    call_command("load_demo", persons=60, verbosity=0)
    party = find_party("bsn", DEMO_RESIDENT_BSN)
    assert party is not None
    return party


def kcc(**overrides: str) -> AccessContext:
    values = {
        "actor": "demo-kcc",
        "role": "kcc_agent",
        "organisation": "gemeente-almelo",
        "activity": "kcc-dienstverlening",
    }
    values.update(overrides)
    return AccessContext(**values)


@pytest.fixture
def agent(demo: Party) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="demo-kcc"))
    return client
