"""Demo participation: the pack's themes and council members, and three polls.

- a closed poll on parking, answered by generated residents, with results per wijk in
  which small cells are hidden;
- an open poll on waste collection that the demo resident follows (a notice on her page
  and, if the contact register has her address, an e-mail), not yet answered by her;
- a draft for the griffie to publish in the admin.

Generated residents answer through the same service as on the personal page, each with
their own resident context, so their addresses are read through the gate and logged.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db.models import Exists, OuterRef
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.accounts.roles import Role
from klantocratie.demo.generator import DEMO_RESIDENT_BSN
from klantocratie.demo.portal_accounts import PORTAL_ACTIVITY, PORTAL_ORGANISATION
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy import gate
from klantocratie.registry.models import PartyType

from .models import Answer, Breakdown, CouncilMember, Poll, PollOption, Theme
from .packs import load_participation
from .services import answer_poll, close_poll, email_on_file, publish_poll, subscribe

DEMO_SEED = 20261122
PUBLISHER = "load_demo"


@dataclass(frozen=True)
class DemoPoll:
    title: str
    question: str
    theme: str
    council_member: str
    options: tuple[tuple[str, float], ...]  # label and the share of demo answers
    breakdown: str = Breakdown.NONE
    areas: tuple[str, ...] = ()


PARKING = DemoPoll(
    title="Parkeren in de binnenstad",
    question="De gemeente wil de binnenstad autoluwer maken. Wat vindt u van parkeren in het centrum?",
    theme="verkeer",
    council_member="anouk-velthuis",
    options=(
        ("Meer parkeerplaatsen aan de rand, minder in het centrum", 0.45),
        ("Laten zoals het is", 0.3),
        ("Meer parkeerplaatsen in het centrum", 0.19),
        ("Geen mening", 0.06),
    ),
    breakdown=Breakdown.WIJK,
)
GREEN_WASTE = DemoPoll(
    title="Groene container vaker legen in de zomer?",
    question="Moet de groene container (gft) in juni, juli en augustus elke week worden geleegd, "
    "ook als de afvalstoffenheffing daardoor iets stijgt?",
    theme="afval",
    council_member="erik-nijhuis",
    options=(("Ja, elke week", 0.55), ("Nee, om de week is genoeg", 0.35), ("Weet ik niet", 0.1)),
)
TREES = DemoPoll(
    title="Meer bomen in de Binnenstad",
    question="Waar wilt u in de Binnenstad het liefst nieuwe bomen?",
    theme="groen",
    council_member="lotte-de-vries",
    options=(("Op pleinen", 0.4), ("Langs de straten", 0.4), ("In binnentuinen", 0.2)),
    breakdown=Breakdown.BUURT,
    areas=("WK014110",),
)


def _create(spec: DemoPoll, opens_in: timedelta, runs: timedelta) -> Poll:
    opens_at = timezone.now() + opens_in
    poll = Poll.objects.create(
        title=spec.title,
        question=spec.question,
        theme=Theme.objects.get(code=spec.theme),
        council_member=CouncilMember.objects.get(code=spec.council_member),
        opens_at=opens_at,
        closes_at=opens_at + runs,
        breakdown=spec.breakdown,
        areas=list(spec.areas),
    )
    PollOption.objects.bulk_create(
        PollOption(poll=poll, position=position, label=label)
        for position, (label, _share) in enumerate(spec.options, start=1)
    )
    return poll


def _generated_residents(count: int) -> list[Party]:
    """Generated persons without a demo login, so the demo logins have answered nothing."""
    has_login = Membership.objects.filter(party=OuterRef("pk"))
    return list(
        Party.objects.filter(party_type=PartyType.PERSON)
        .exclude(Exists(has_login))
        .prefetch_related("identifiers")
        .order_by("pk")[:count]
    )


def _answer_as_residents(poll: Poll, spec: DemoPoll, residents: list[Party], seed: int) -> int:
    chooser = random.Random(seed)
    options = list(poll.options.all())
    weights = [share for _label, share in spec.options]
    for resident in residents:
        ctx = gate.AccessContext(
            actor="demo-deelnemer",
            role=Role.RESIDENT,
            organisation=PORTAL_ORGANISATION,
            activity=PORTAL_ACTIVITY,
            actor_party_id=resident.pk,
        )
        option = chooser.choices(options, weights)[0]
        answer_poll(ctx, resident, poll, option.pk)
    return len(residents)


def _follow_as_demo_resident() -> None:
    """The demo resident follows waste, as if she had ticked it on her page."""
    riky = find_party("bsn", DEMO_RESIDENT_BSN)
    if riky is None:
        return
    ctx = gate.AccessContext(
        actor="demo-inwoner",
        role=Role.RESIDENT,
        organisation=PORTAL_ORGANISATION,
        activity=PORTAL_ACTIVITY,
        actor_party_id=riky.pk,
    )
    email = email_on_file(ctx, riky)
    subscribe(riky, theme=Theme.objects.get(code="afval"), wants_email=bool(email), email=email)


def load_demo_participation(pack_dir: Path, respondents: int = 200) -> str:
    """Load the pack's participation file and, once, the demo polls; describe them."""
    summary = load_participation(pack_dir)
    if not Poll.objects.filter(title=PARKING.title).exists():
        residents = _generated_residents(respondents)
        parking = _create(PARKING, opens_in=-timedelta(weeks=6), runs=timedelta(weeks=8))
        publish_poll(parking, by=PUBLISHER)
        _answer_as_residents(parking, PARKING, residents, DEMO_SEED)
        close_poll(parking)
        # Demo history: the poll ran four weeks and closed a fortnight ago.
        ended = parking.opens_at + timedelta(weeks=4)
        Poll.objects.filter(pk=parking.pk).update(closes_at=ended, closed_at=ended)

        _follow_as_demo_resident()
        waste = _create(GREEN_WASTE, opens_in=-timedelta(days=1), runs=timedelta(weeks=3))
        publish_poll(waste, by=PUBLISHER)
        _answer_as_residents(waste, GREEN_WASTE, residents[: len(residents) // 4], DEMO_SEED + 1)

        _create(TREES, opens_in=timedelta(days=7), runs=timedelta(weeks=4))
    return (
        f"{summary.themes} thema's, {summary.council_members} raadsleden, "
        f"{Poll.objects.count()} peilingen met {Answer.objects.count()} antwoorden"
    )
