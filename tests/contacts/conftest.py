"""A contact registry on top of the `world` fixture: the source, its elements, grants."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klantocratie.accounts.models import Membership
from klantocratie.contacts import services
from klantocratie.contacts.models import Actor, ActorKind
from klantocratie.privacy.gate import AccessContext
from klantocratie.registry.models import DataElement, Source
from tests.conftest import World

CONTACT_ELEMENTS = [
    ("contact.history", "person"),
    ("contact.tasks", "person"),
    ("contact.addresses", "person"),
    ("contact.business_history", "organisation"),
    ("contact.business_tasks", "organisation"),
    ("contact.business_addresses", "organisation"),
]

# Smallest valid-looking files of each scan type: only the leading bytes are checked.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def eml(sender: str = "anna@example.nl", subject: str = "Vraag over mijn aanslag") -> bytes:
    return (
        f"From: Anna de Boer <{sender}>\r\n"
        "To: info@gemeente.example\r\n"
        f"Subject: {subject}\r\n"
        "Date: Mon, 02 Nov 2026 09:30:00 +0100\r\n"
        "Message-ID: <1@example.nl>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Beste gemeente,\r\n\r\nIk begrijp mijn aanslag niet. Kunt u mij bellen?\r\n"
    ).encode()


@dataclass
class Registry:
    world: World
    source: Source
    team: Actor
    colleague: Actor

    def agent(self, **overrides: object) -> AccessContext:
        return self.world.ctx(**overrides)


@pytest.fixture(autouse=True)
def _media(settings: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    yield tmp_path / "media"


@pytest.fixture
def registry(world: World) -> Registry:
    source = Source.objects.create(
        code="klantcontactregister",
        name="Klantcontactregister",
        organisation=world.municipality,
        connector="local.contacts",
    )
    for code, party_type in CONTACT_ELEMENTS:
        DataElement.objects.create(
            code=code,
            label=code,
            party_type=party_type,
            category="contact",
            source=source,
            changeable=True,
        )
    codes = [code for code, _ in CONTACT_ELEMENTS]
    world.grant_for(world.activity, codes, may_change=True)
    world.grant_for(world.activity, codes, may_change=True, organisation=world.housing)
    team = Actor.objects.create(
        name="Team Belastingen",
        kind=ActorKind.TEAM,
        identifier="belastingen",
        organisation=world.municipality,
    )
    colleague = Actor.objects.create(
        name="Karel Collega",
        kind=ActorKind.EMPLOYEE,
        identifier="karel",
        organisation=world.municipality,
    )
    colleague.teams.add(team)
    services.add_digital_address(
        world.ctx(), world.anna, kind="email", address="Anna@Example.nl", is_default=True
    )
    return Registry(world, source, team, colleague)


def login(
    client: Client, world: World, username: str, role: str = "kcc_agent", **extra: object
) -> User:
    user = User.objects.create_user(username)
    Membership.objects.create(
        user=user,
        organisation=extra.pop("organisation", world.municipality),  # type: ignore[arg-type]
        role=role,
        default_activity=str(extra.pop("activity", "kcc")),
        **extra,
    )
    client.force_login(user)
    return user
