"""Demo feedback, so the figures page has numbers to show.

Two parts, both from generated residents (never the demo logins' families, whose
questions stay open for the demo):

- a year of satisfaction answers on the imported contact history, as the previous
  survey tool would bring them in: about one contact in three was answered, the
  product taken from what the survey asked about (the history's subjects, mapped to
  their UPL names);
- an answer on each closed demo case, given through the service (and so through the
  privacy gate) in the resident's own name.

Fixed seed: the same answers on every load. A second load adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.cases.models import CaseRole
from klantocratie.contacts.models import Involvement
from klantocratie.demo.generator import BSN_BASE, DEMO_FAMILY_SIZE, eleven_test_sequence
from klantocratie.parties.models import PartyIdentifier
from klantocratie.privacy import gate
from klantocratie.privacy.errors import GateError

from . import services
from .models import Feedback, FeedbackKind

SEED = 20261124
ANSWER_SHARE = 0.35
IMPORTED_BY = "import"
# The history's subjects as the products the survey asked about, with how the answers
# fell (weights of scores 1 to 5): parking permits and taxes draw more complaints.
SURVEYED: dict[str, tuple[str, tuple[int, int, int, int, int]]] = {
    "Verhuizing doorgeven": ("verhuismelding", (1, 2, 5, 14, 9)),
    "Afvalpas en containers": ("afvalcontainer", (2, 3, 6, 12, 6)),
    "Gemeentelijke belastingen": ("onroerendezaakbelasting (ozb)", (4, 6, 8, 9, 3)),
    "Paspoort of identiteitskaart": ("paspoort", (1, 1, 4, 13, 12)),
    "Parkeervergunning": ("parkeervergunning", (6, 7, 7, 7, 3)),
    "Bijzondere bijstand": ("bijzonderebijstandsuitkering", (3, 4, 7, 10, 5)),
    "Overlast melden": ("melding openbare ruimte (algemeen)", (4, 5, 7, 8, 4)),
    "Starten als ondernemer": ("handelsregister inschrijving", (1, 2, 6, 12, 7)),
}
COMMENTS = {
    1: "Ik moest drie keer bellen voordat iemand het wist.",
    2: "Het antwoord klopte, maar het duurde lang.",
    4: "Vriendelijk geholpen.",
    5: "Snel en duidelijk, dank u.",
}


def _left_out() -> set[int]:
    """The demo logins' parties and the demo resident's family: their questions stay
    open, so the demo shows them."""
    family = list(islice(eleven_test_sequence(BSN_BASE), DEMO_FAMILY_SIZE))
    return set(
        PartyIdentifier.objects.filter(identifier_type="bsn", value__in=family).values_list(
            "party_id", flat=True
        )
    ) | set(Membership.objects.filter(party__isnull=False).values_list("party_id", flat=True))


def _summary() -> str:
    imported = Feedback.objects.filter(given_by=IMPORTED_BY).count()
    given = Feedback.objects.exclude(given_by=IMPORTED_BY).count()
    return f"{imported} survey answers imported, {given} given on the personal page"


def _import_survey(rng: random.Random, left_out: set[int]) -> None:
    now = timezone.now()
    answers: list[Feedback] = []
    for involvement in (
        Involvement.objects.filter(
            contact__nummer__startswith="KCH-",
            contact__subject__in=SURVEYED,
            party__isnull=False,
        )
        .exclude(party_id__in=left_out)
        .select_related("contact")
        .order_by("contact__nummer", "id")
    ):
        if rng.random() >= ANSWER_SHARE:
            continue
        contact = involvement.contact
        assert involvement.party_id is not None  # filtered on above
        product, weights = SURVEYED[contact.subject]
        score = rng.choices(range(1, 6), weights=weights)[0]
        answered = contact.occurred_at + timedelta(days=rng.randint(1, 5))
        answers.append(
            Feedback(
                kind=FeedbackKind.CONTACT_SATISFACTION,
                party_id=involvement.party_id,
                given_by=IMPORTED_BY,
                score=score,
                text=COMMENTS.get(score, "") if rng.random() < 0.2 else "",
                contact_uuid=contact.uuid,
                reference=contact.nummer,
                product=product,
                organisation_id=contact.organisation_id,
                created_at=min(answered, now),
            )
        )
    Feedback.objects.bulk_create(answers, batch_size=2000)


def _answer_closed_cases(rng: random.Random, left_out: set[int]) -> None:
    roles = (
        CaseRole.objects.filter(case__end_date__isnull=False, party__isnull=False)
        .exclude(party_id__in=left_out)
        .select_related("party", "case")
        .order_by("case__identification", "id")
    )
    for role in roles:
        party = role.party
        assert party is not None
        identifier = party.primary_identifier()
        ctx = gate.AccessContext(
            actor=f"{identifier.identifier_type}:{identifier.value}",
            role="resident",
            organisation="gemeente-almelo",
            activity="inzage-eigen-gegevens",
            actor_party_id=party.pk,
        )
        score = rng.choices(range(1, 6), weights=(1, 2, 4, 8, 5))[0]
        try:
            services.give_satisfaction(
                ctx, party, about=services.ABOUT_CASE, item_uuid=str(role.case.uuid), score=score
            )
        except (GateError, ValidationError, services.UnknownItem):
            # Skipped: a party the resident grants do not cover, or one already answered
            # (a party with two roles in the same case).
            continue


@transaction.atomic
def load_demo_feedback(seed: int = SEED) -> str:
    """Load the demo feedback (once) and describe it."""
    if Feedback.objects.exists():
        return _summary()
    rng = random.Random(seed)
    left_out = _left_out()
    _import_survey(rng, left_out)
    _answer_closed_cases(rng, left_out)
    return _summary()
