"""Giving and withdrawing a person's own privacy choices.

A choice is never edited: each decision is a new record and the latest one counts, so
the history (and every receipt) stays. Giving and withdrawing are the same call, so
withdrawing is exactly as easy as giving. The write goes through the gate (it is
processing of the person's data, logged and audited), is sealed for its receipt and
announced as an event in the same transaction, so consumers such as the signals never
miss a change of mind.

Choices are personal. A parent with authority over a minor child and a legal
representative (guardianship, administration) decide for the person in law; a
voluntary machtiging lets someone arrange matters, not decide about the person's
privacy, so its holder may look but not choose.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from klantocratie.events.services import emit
from klantocratie.parties.models import AuthorisationKind, Party
from klantocratie.parties.selectors import authorisations_in_force

from . import gate, receipts
from .errors import AccessDenied
from .models import ChoicePurpose, ChoiceStatus, CollectionChannel, PrivacyChoice
from .selectors import activities_of, in_force, latest_choice, organisations_concerned

CHOICE_CHANGED = "nl.klantocratie.keuze.gewijzigd"
EVENT_SOURCE = "urn:klantocratie:privacy"
OPERATION = "privacykeuze vastleggen"

# The authorisations under which someone decides for the person in law.
PERSONAL_KINDS = frozenset({AuthorisationKind.PARENTAL_AUTHORITY, AuthorisationKind.REPRESENTATIVE})

NOT_PERSONAL = (
    "Privacykeuzes zijn persoonlijk. Alleen de persoon zelf, een ouder met gezag of een "
    "wettelijk vertegenwoordiger kan ze maken; met een machtiging kunt u ze wel bekijken."
)


def representation_for(ctx: gate.AccessContext, party: Party) -> str:
    """Under which authorisation the actor decides for `party`: '' for themselves.

    Raises AccessDenied when the actor may not make this person's choices.
    """
    if ctx.actor_party_id == party.pk:
        return ""
    kinds = set(
        authorisations_in_force()
        .filter(representative_id=ctx.actor_party_id, represented=party)
        .values_list("kind", flat=True)
    )
    personal = sorted(kinds & PERSONAL_KINDS)
    if ctx.actor_party_id is None or not personal:
        raise AccessDenied(NOT_PERSONAL, field="keuze")
    return personal[0]


def may_decide(ctx: gate.AccessContext, party: Party) -> bool:
    try:
        representation_for(ctx, party)
    except AccessDenied:
        return False
    return True


def decide(
    ctx: gate.AccessContext, party: Party, purpose_code: str, *, give: bool
) -> PrivacyChoice:
    """Give (or withdraw) the person's choice about a purpose, via the personal page.

    For an opt-in purpose giving is consent; for an opt-out purpose giving is the
    objection. Raises ValidationError naming the field, or AccessDenied.
    """
    purpose = ChoicePurpose.objects.filter(code=purpose_code).first()
    if purpose is None:
        raise ValidationError({"doel": f"Over {purpose_code!r} kunt u geen keuze maken."})
    try:
        representation = representation_for(ctx, party)
    except AccessDenied as refusal:
        gate.record_refusal(ctx, party, OPERATION, refusal.message)
        raise
    latest = latest_choice(party, purpose)
    if give == in_force(latest):
        objection = purpose.kind == "opt_out"
        already = {
            (True, True): "U heeft hier al bezwaar tegen gemaakt.",
            (True, False): "U heeft hier al toestemming voor gegeven.",
            (False, True): "U heeft hier geen bezwaar tegen gemaakt; er is niets in te trekken.",
            (
                False,
                False,
            ): "U heeft hier geen toestemming voor gegeven; er is niets in te trekken.",
        }
        raise ValidationError({"keuze": already[(give, objection)]})
    decided_at = timezone.now()
    if latest is not None and decided_at <= latest.decided_at:
        # The latest record counts: a new decision must never tie with the one before.
        decided_at = latest.decided_at + timedelta(microseconds=1)
    choice = PrivacyChoice(
        party=party,
        purpose=purpose.code,
        kind=purpose.kind,
        status=ChoiceStatus.GIVEN if give else ChoiceStatus.WITHDRAWN,
        decided_at=decided_at,
        collected_via=CollectionChannel.PORTAL,
        statement=purpose.statement if give else purpose.withdraw_statement,
        representation=representation,
        organisations=organisations_concerned(activities_of(purpose)),
    )
    with gate.access(ctx, [party], [], operation=OPERATION, change=True) as permit:
        receipts.seal(choice)
        choice.save()
        emit(
            CHOICE_CHANGED,
            source=EVENT_SOURCE,
            subject=str(party.uuid),
            data={
                "partij": str(party.uuid),
                "doel": purpose.code,
                "soort": purpose.kind,
                "keuze": choice.status,
                "verwerkingen": list(purpose.activities),
                "vastgelegdOp": decided_at.isoformat(),
                "kanaal": choice.collected_via,
                "namens": representation,
                "bewijsnummer": str(choice.uuid),
            },
            trace_id=permit.trace_id,
        )
    return choice
