"""Participation tests run in the personal page's world, with the pack's themes and
council members loaded and a helper to make polls."""

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.participation.models import Breakdown, Poll, PollOption, PollStatus, Theme
from klantocratie.participation.packs import load_participation
from klantocratie.parties.models import Party
from klantocratie.privacy.gate import AccessContext
from tests.support.portal import PortalWorld

MakePoll = Callable[..., Poll]


def resident_ctx(party: Party, actor: str = "demo-inwoner") -> AccessContext:
    """The context the personal page gives a resident acting for themselves."""
    return AccessContext(
        actor=actor,
        role=Role.RESIDENT,
        organisation="gemeente-almelo",
        activity="inzage-eigen-gegevens",
        actor_party_id=party.pk,
    )


@pytest.fixture
def world(portal_world: PortalWorld) -> PortalWorld:
    load_participation(django_settings.DEMO_PACK_DIR)
    return portal_world


@pytest.fixture
def make_poll(world: PortalWorld) -> MakePoll:
    def make(
        title: str = "Peiling",
        *,
        theme: str = "afval",
        options: Sequence[str] = ("Ja", "Nee"),
        status: str = PollStatus.PUBLISHED,
        opens_in: timedelta = -timedelta(days=1),
        runs: timedelta = timedelta(weeks=2),
        breakdown: str = Breakdown.NONE,
        **fields: Any,
    ) -> Poll:
        opens_at = timezone.now() + opens_in
        poll = Poll.objects.create(
            title=title,
            question=f"{title}?",
            theme=Theme.objects.get(code=theme),
            opens_at=opens_at,
            closes_at=opens_at + runs,
            status=status,
            breakdown=breakdown,
            **fields,
        )
        for position, label in enumerate(options, start=1):
            PollOption.objects.create(poll=poll, position=position, label=label)
        return poll

    return make
