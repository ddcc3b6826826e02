"""The choices a case offers beyond its standard path, and the first line's shortcut.

The resident answers offers on a decision, asks for a second opinion on an advice, and
chooses (or switches) their provider; the desk registers and completes a simple case
in one step. Each is a case-type feature switched on in the pack. Like every write to
a case, they go through the gate and land in the case history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from klantocratie.contacts.models import Contact
from klantocratie.events.services import emit
from klantocratie.privacy import gate

from .models import Case, CaseOffer, CaseTask, OfferState, SecondOpinion, TaskState
from .services import (
    EVENT_SOURCE,
    OFFER_ANSWERED,
    Client,
    _record,
    guarded,
    parties_acted_for,
    set_result,
    set_status,
    set_task_aside,
    start_case,
    version_in_force,
)


@dataclass(frozen=True)
class SecondOpinionOffer:
    """What the applicant may ask for now: the first advice and the other committees."""

    first_advice: CaseTask
    committees: list[str]
    cost_eur: Decimal
    until: datetime


def second_opinion_open(case: Case) -> SecondOpinionOffer | None:
    """Whether the applicant may ask for a second opinion now, and from whom; None if not."""
    try:
        return _second_opinion_terms(case)
    except ValidationError:
        return None


def _second_opinion_terms(case: Case) -> SecondOpinionOffer:
    rule = getattr(case.case_type_version, "second_opinion_rule", None)
    if rule is None:
        raise ValidationError({"zaak": "Bij dit zaaktype is geen second opinion mogelijk."})
    if hasattr(case, "second_opinion"):
        raise ValidationError({"zaak": "Er is al een second opinion gevraagd."})
    if not case.is_open:
        raise ValidationError({"zaak": "De zaak is afgesloten."})
    first = (
        case.tasks.filter(task_type__advice_step=True, state=TaskState.DONE)
        .order_by("completed_at")
        .first()
    )
    if first is None or first.completed_at is None:
        raise ValidationError({"zaak": "Er is nog geen advies om een second opinion op te vragen."})
    until = first.completed_at + timedelta(days=rule.request_days)
    if timezone.now() > until:
        raise ValidationError(
            {"zaak": f"De termijn van {rule.request_days} dagen na het advies is verstreken."}
        )
    others = [c for c in rule.committees if c != first.data.get("commissie")]
    return SecondOpinionOffer(first, others, rule.cost_eur, until)


def request_second_opinion(ctx: gate.AccessContext, case: Case, *, committee: str) -> SecondOpinion:
    """The applicant asks another committee for a second advice, at their own cost."""
    terms = _second_opinion_terms(case)
    rule = case.case_type_version.second_opinion_rule
    first = terms.first_advice
    if committee not in rule.committees:
        raise ValidationError(
            {"commissie": f"Kies een van de commissies: {', '.join(rule.committees)}."}
        )
    if committee == first.data.get("commissie"):
        raise ValidationError(
            {"commissie": "Kies een andere commissie dan die van het eerste advies."}
        )
    now = timezone.now()
    with guarded(ctx, parties_acted_for(ctx, case), operation="second opinion aanvragen"):
        assert first.task_type is not None
        second = CaseTask.objects.create(
            case=case,
            task_type=first.task_type,
            name=f"{first.task_type.name} (second opinion)",
            created_at=now,
            added_by_choice=True,
            reason=f"Second opinion door {committee}, op verzoek en kosten van de aanvrager.",
        )
        opinion = SecondOpinion.objects.create(
            case=case,
            first_task=first,
            second_task=second,
            committee=committee,
            cost_eur=rule.cost_eur,
            requested_at=now,
            requested_by=ctx.actor,
        )
        _record(
            case,
            ctx,
            "second_opinion",
            f"Second opinion gevraagd bij {committee} (kosten € {rule.cost_eur}).",
        )
    return opinion


def answer_offer(ctx: gate.AccessContext, offer: CaseOffer, *, accept: bool) -> CaseOffer:
    """The resident accepts or declines an offer; accepting starts the follow-up."""
    if offer.state != OfferState.OFFERED:
        raise ValidationError({"aanbod": f"Dit aanbod is al {offer.get_state_display().lower()}."})
    now = timezone.now()
    if timezone.localdate(now) > offer.expires_on:
        raise ValidationError({"aanbod": f"Dit aanbod was geldig tot {offer.expires_on:%d-%m-%Y}."})
    case = offer.case
    with guarded(ctx, [offer.party], operation="aanbod beantwoorden"):
        offer.state = OfferState.ACCEPTED if accept else OfferState.DECLINED
        offer.answered_at = now
        fields = ["state", "answered_at"]
        if accept:
            # Only one offer per decision can be taken up; the others lapse.
            case.offers.filter(state=OfferState.OFFERED).exclude(pk=offer.pk).update(
                state=OfferState.EXPIRED, answered_at=now
            )
            discount = offer.offer_type.discount_percent
            amount = case.properties.get("bedrag")
            if discount and isinstance(amount, int | float):
                reduced = round(amount * (100 - discount) / 100, 2)
                case.properties = {
                    **case.properties,
                    "bedrag": reduced,
                    "oorspronkelijk_bedrag": amount,
                }
                case.save(update_fields=["properties"])
            if offer.offer_type.follow_up_case_type:
                follow_up = start_case(
                    ctx,
                    case_type=offer.offer_type.follow_up_case_type,
                    clients=[Client(offer.party)],
                    description=f"{offer.offer_type.name} (aanbod bij {case.identification})",
                    channel="persoonlijke pagina",
                )
                follow_up.related_cases.add(case)
                offer.follow_up = follow_up
                fields.append("follow_up")
        offer.save(update_fields=fields)
        verb = "aanvaard" if accept else "afgewezen"
        _record(case, ctx, "offer_answered", f"Aanbod {verb}: {offer.offer_type.name}.")
        emit(
            OFFER_ANSWERED,
            source=EVENT_SOURCE,
            subject=case.identification,
            data={"zaak": str(case.uuid), "aanbod": offer.offer_type.code, "aanvaard": accept},
        )
    return offer


def choose_provider(ctx: gate.AccessContext, case: Case, provider_code: str) -> Case:
    """The resident picks who delivers the service. They may switch once the chosen
    provider let its response time pass without making contact."""
    options = {p.code: p for p in case.case_type_version.providers.select_related("organisation")}
    if not options:
        raise ValidationError({"aanbieder": "Bij dit zaaktype is er geen keuze van aanbieder."})
    provider = options.get(provider_code)
    if provider is None:
        raise ValidationError({"aanbieder": f"Kies uit: {', '.join(sorted(options))}."})
    if not case.is_open:
        raise ValidationError({"aanbieder": "De zaak is afgesloten."})
    now = timezone.now()
    previous = case.provider
    if previous is not None:
        if previous.pk == provider.pk:
            raise ValidationError({"aanbieder": "Dit is al uw aanbieder."})
        if case.provider_reached_at is not None:
            raise ValidationError(
                {
                    "aanbieder": f"{previous} heeft al contact met u opgenomen; wisselen kan niet meer."
                }
            )
        switch_from = provider_deadline(case)
        if switch_from is not None and now < switch_from:
            raise ValidationError(
                {
                    "aanbieder": f"U kunt wisselen als {previous} vóór "
                    f"{timezone.localtime(switch_from):%d-%m-%Y} geen contact opneemt."
                }
            )
    with guarded(ctx, parties_acted_for(ctx, case), operation="aanbieder kiezen"):
        case.provider = provider
        case.provider_chosen_at = now
        case.provider_reached_at = None
        case.save(update_fields=["provider", "provider_chosen_at", "provider_reached_at"])
        what = (
            f"Gewisseld van {previous} naar {provider}"
            if previous
            else f"Aanbieder gekozen: {provider}"
        )
        _record(case, ctx, "provider", f"{what}.", provider=provider.code)
    return case


def provider_deadline(case: Case) -> datetime | None:
    if case.provider is None or case.provider_chosen_at is None:
        return None
    return case.provider_chosen_at + timedelta(days=case.provider.response_days)


def record_provider_contact(ctx: gate.AccessContext, case: Case) -> Case:
    if case.provider is None:
        raise ValidationError({"aanbieder": "Er is nog geen aanbieder gekozen."})
    with guarded(ctx, parties_acted_for(ctx, case), operation="contact aanbieder vastleggen"):
        case.provider_reached_at = timezone.now()
        case.save(update_fields=["provider_reached_at"])
        _record(case, ctx, "provider_contact", f"{case.provider} heeft contact opgenomen.")
    return case


def expire_offers(today: date | None = None) -> int:
    """Offers not answered in time lapse; the decision stands without them."""
    today = today or timezone.localdate()
    return CaseOffer.objects.filter(state=OfferState.OFFERED, expires_on__lt=today).update(
        state=OfferState.EXPIRED, answered_at=timezone.now()
    )


def complete_at_first_line(
    ctx: gate.AccessContext,
    *,
    case_type: str,
    clients: Sequence[Client],
    description: str,
    result: str,
    contact: Contact | None = None,
    explanation: str = "",
) -> Case:
    """The desk handles a simple case itself: registered, decided and closed at once."""
    version = version_in_force(case_type, timezone.localdate())
    if not version.first_line_can_handle:
        raise ValidationError(
            {"zaaktype": f"'{version.description}' hoort bij de tweede lijn; vraag een zaak aan."}
        )
    if not version.result_types.filter(code=result).exists():
        raise ValidationError(
            {"resultaattype": f"Resultaat {result!r} hoort niet bij dit zaaktype."}
        )
    with transaction.atomic():
        case = start_case(
            ctx,
            case_type=case_type,
            clients=clients,
            description=description,
            channel="balie",
            contact=contact,
            explanation=explanation,
        )
        set_result(ctx, case, result)
        for task in case.tasks.filter(state=TaskState.OPEN):
            set_task_aside(ctx, task, reason="Direct afgehandeld in de eerste lijn.")
        final = case.case_type_version.status_types.order_by("-order").first()
        assert final is not None
        set_status(ctx, case, final.code, explanation="Direct afgehandeld in de eerste lijn.")
    return case
