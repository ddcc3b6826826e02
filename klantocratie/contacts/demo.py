"""Demo contacts and tasks for the demo family, registered through the services (and so
through the privacy gate) the way agents would. Fixed content and dates: the same every
load; a second load adds nothing."""

from __future__ import annotations

from datetime import datetime
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction

from klantocratie.demo.generator import BSN_BASE, DEMO_FAMILY_SIZE, eleven_test_sequence
from klantocratie.parties.selectors import find_party
from klantocratie.privacy.gate import AccessContext
from klantocratie.registry.models import Organisation

from . import services
from .channels import load_channels
from .models import Actor, ActorKind, Contact

_AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# (code, name) of the municipality's teams, and who works in which.
_TEAMS = (
    ("burgerzaken", "Team Burgerzaken"),
    ("belastingen", "Team Belastingen"),
    ("werk-inkomen", "Team Werk en Inkomen"),
)
_EMPLOYEES = (
    ("demo-kcc", "Kim de Vries", ("burgerzaken",)),
    ("demo-zaak", "Zeynep Bakker", ("belastingen", "werk-inkomen")),
    ("demo-sociaal", "Sanne Jansen", ("werk-inkomen",)),
)


def _ctx(actor: str, organisation: str) -> AccessContext:
    return AccessContext(
        actor=actor, role="kcc_agent", organisation=organisation, activity="kcc-dienstverlening"
    )


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=_AMSTERDAM)


def _actors(municipality: Organisation) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    for code, name in _TEAMS:
        actors[code], _ = Actor.objects.get_or_create(
            organisation=municipality,
            kind=ActorKind.TEAM,
            identifier=code,
            defaults={"name": name},
        )
    for username, name, teams in _EMPLOYEES:
        employee = services.ensure_employee(username, name, municipality)
        employee.teams.set([actors[team] for team in teams])
        actors[username] = employee
    return actors


@transaction.atomic
def load_demo_contacts(pack_dir: Path) -> int:
    """Channels from the pack, the municipality's teams, and the family's contacts."""
    load_channels(pack_dir)
    municipality = Organisation.objects.get(code="gemeente-almelo")
    actors = _actors(municipality)
    family = [
        party
        for bsn in islice(eleven_test_sequence(BSN_BASE), DEMO_FAMILY_SIZE)
        if (party := find_party("bsn", bsn)) is not None
    ]
    if not family or Contact.objects.filter(involvements__party__in=family).exists():
        return 0
    kim = _ctx("demo-kcc", "gemeente-almelo")
    resident = family[0]
    services.add_digital_address(
        kim, resident, kind="email", address="demo.inwoner@example.nl", is_default=True
    )
    services.register_contact(
        kim,
        resident,
        channel="telefoon",
        subject="Aanslag afvalstoffenheffing",
        content="Vraagt waarom de aanslag afvalstoffenheffing hoger is dan vorig jaar.",
        answer="Uitgelegd: het tarief is per 1 januari verhoogd en er staat een extra container op het adres.",
        succeeded=True,
        occurred_at=_at("2026-09-14T10:12"),
        subject_objects=[services.SubjectObjectInput("product", "afvalstoffenheffing")],
    )
    own = AccessContext(
        actor="demo-inwoner",
        role="resident",
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=resident.pk,
    )
    moving = services.register_contact(
        own,
        resident,
        channel="webformulier",
        subject="Verhuizing binnen Almelo",
        content="Wij verhuizen per 1 december binnen Almelo. Wat moet ik allemaal regelen?",
        occurred_at=_at("2026-10-02T21:40"),
    )
    services.request_callback(
        kim,
        moving,
        assign_to=[actors["burgerzaken"]],
        explanation="Inwoner wil graag uitleg over verhuizen met kinderen en de parkeervergunning.",
    )
    benefit = services.register_contact(
        _ctx("demo-uwv", "uwv"),
        resident,
        channel="balie",
        subject="WW-uitkering en bijverdiensten",
        content="Heeft een tijdelijke baan van 12 uur per week naast de WW; vraagt hoe dit door te geven.",
        answer="Uitgelegd hoe inkomsten per maand worden doorgegeven; vraag over bijzondere bijstand doorgezet naar de gemeente.",
        succeeded=True,
        occurred_at=_at("2026-10-20T14:05"),
    )
    services.handover(
        _ctx("demo-uwv", "uwv"),
        benefit,
        assign_to=[actors["werk-inkomen"]],
        explanation="Klant vraagt naar bijzondere bijstand voor een wasmachine.",
    )
    for party, channel, subject, content in (
        (
            family[1] if len(family) > 1 else resident,
            "telefoon",
            "Parkeervergunning bewoners",
            "Wil weten of een tweede parkeervergunning mogelijk is.",
        ),
        (
            family[2] if len(family) > 2 else resident,
            "chat",
            "Kwijtschelding gemeentelijke belastingen",
            "Vraagt of zij in aanmerking komt voor kwijtschelding van de rioolheffing.",
        ),
    ):
        contact = services.register_contact(
            kim,
            party,
            channel=channel,
            subject=subject,
            content=content,
            succeeded=channel == "telefoon",
            occurred_at=_at("2026-11-03T09:30"),
        )
        if channel == "chat":
            services.create_internal_task(
                kim,
                contact,
                requested_action="Kwijtschelding beoordelen en klant informeren",
                assign_to=[actors["demo-zaak"]],
            )
    return Contact.objects.filter(involvements__party__in=family).distinct().count()
