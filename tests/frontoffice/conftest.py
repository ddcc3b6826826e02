import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.knowledge.packs import load_demo_knowledge
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.gate import AccessContext
from klantocratie.registry.packs import load_pack


@pytest.fixture
def demo(db: None) -> Party:
    """The demo municipality's registries and accounts, small; returns the demo resident.

    The knowledge base and demo contacts of `load_demo` are left out (see demo_knowledge):
    importing the product list takes longer than all desk tests together.
    """
    load_pack(settings.DEMO_PACK_DIR)
    generate_municipality(persons=60)
    create_demo_accounts(settings.DEMO_PACK_DIR, DEMO_RESIDENT_BSN)
    party = find_party("bsn", DEMO_RESIDENT_BSN)
    assert party is not None
    return party


@pytest.fixture
def demo_knowledge(demo: Party) -> None:
    load_demo_knowledge(settings.DEMO_PACK_DIR)


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
