"""The personal page's test world (fixtures registered for every test folder in tests/conftest.py): the demo pack, a small generated municipality, the
demo logins (Riky, her son Daan with a machtiging, a parent of a minor child, Riky's
business) and one more resident whose data must never show on anyone else's page."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test import Client

from klantocratie.demo.accounts import create_demo_accounts
from klantocratie.demo.generator import DEMO_RESIDENT_BSN, generate_municipality
from klantocratie.demo.portal_accounts import _account, create_portal_demo_accounts
from klantocratie.parties.models import Authorisation, IdentifierType, Party
from klantocratie.parties.selectors import find_party
from klantocratie.parties.services import register_party
from klantocratie.privacy.packs import load_choice_purposes
from klantocratie.registry.packs import load_pack
from klantocratie.sources.population.models import Person

# A generated resident outside the demo family: the "other resident" of access tests.
OTHER_USERNAME = "demo-ander"


@dataclass
class PortalWorld:
    riky: Party
    daan: Party
    parent: Party
    child: Party
    business: Party
    other: Party

    @staticmethod
    def bsn(party: Party) -> str:
        return party.identifiers.get(identifier_type=IdentifierType.BSN).value


@pytest.fixture
def portal_world(db: None, settings) -> PortalWorld:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    load_pack(django_settings.DEMO_PACK_DIR)
    load_choice_purposes(django_settings.DEMO_PACK_DIR)
    generate_municipality(persons=60)
    create_demo_accounts(django_settings.DEMO_PACK_DIR, DEMO_RESIDENT_BSN)
    names = create_portal_demo_accounts(DEMO_RESIDENT_BSN)
    assert names == ["demo-inwoner", "demo-inwoner-daan", "demo-ouder", "demo-ondernemer"]
    riky = find_party("bsn", DEMO_RESIDENT_BSN)
    daan_auth = Authorisation.objects.get(represented=riky)
    parental = Authorisation.objects.get(kind="gezag")
    family = {
        DEMO_RESIDENT_BSN,
        *(
            i.value
            for a in (daan_auth, parental)
            for p in (a.representative, a.represented)
            for i in p.identifiers.all()
        ),
    }
    other_person = Person.objects.exclude(bsn__in=family).order_by("bsn")[10]
    other = register_party("person", {"bsn": other_person.bsn})
    _account(OTHER_USERNAME, "Andere Inwoner", other)
    business = Party.objects.filter(membership__user__username="demo-ondernemer").distinct().get()
    assert riky is not None
    return PortalWorld(
        riky=riky,
        daan=daan_auth.representative,
        parent=parental.representative,
        child=parental.represented,
        business=business,
        other=other,
    )


@pytest.fixture
def login_as(portal_world: PortalWorld) -> Callable[[str], Client]:
    """A test client logged in on the personal page as a demo user."""

    def login(username: str) -> Client:
        client = Client()
        response = client.post(f"/mijn/inloggen/demo/{username}/")
        assert response.status_code == 302, response
        return client

    return login


@pytest.fixture
def riky_client(login_as: Callable[[str], Client]) -> Client:
    return login_as("demo-inwoner")


@pytest.fixture
def other_client(login_as: Callable[[str], Client]) -> Client:
    return login_as(OTHER_USERNAME)
