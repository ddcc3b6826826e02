"""Giving feedback: a satisfaction answer after a contact or a closed case, free text,
and switching provider with the reason one leaves.

Every function works for one party (the resident or business, or whom their user acts
for) and reaches the contact or case only through that party's own records: a contact
they were involved in, a case in which they have a role. Anything else is unknown to
them (``UnknownItem``; the page answers 404) and nothing is stored. The privacy gate
checks again that the user may act for the party, and logs the processing.

Feedback is a klantinteractie: the gate covers it with the contact registry's element
for the party (contact.history or contact.business_history), so no extra element or
grant is needed for residents to give and see their own.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, transaction

from klantocratie.cases import choices as case_choices
from klantocratie.cases.models import Case
from klantocratie.contacts import services as contact_services
from klantocratie.contacts.models import Contact
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.registry.models import Organisation
from klantocratie.validation import FieldErrors

from . import selectors
from .models import SCORES, TEXT_MAX, ExitReason, Feedback, FeedbackKind

ABOUT_CONTACT = "contact"
ABOUT_CASE = "zaak"


class UnknownItem(ObjectDoesNotExist):
    """The contact or case is not one of the party's own (or does not exist)."""


def _score(errors: FieldErrors, value: Any) -> int | None:
    try:
        score = int(value)
    except (TypeError, ValueError):
        errors.add("score", "Kies hoe tevreden u bent: een antwoord van 1 tot en met 5.")
        return None
    if score not in SCORES:
        errors.add("score", "Kies hoe tevreden u bent: een antwoord van 1 tot en met 5.")
        return None
    return score


def _text(errors: FieldErrors, value: Any, *, required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors.add("toelichting", "Schrijf uw feedback op.")
    if len(text) > TEXT_MAX:
        errors.add(
            "toelichting",
            f"Uw toelichting is {len(text)} tekens; het maximum is {TEXT_MAX}.",
        )
    return text


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise UnknownItem from None


def give_satisfaction(
    ctx: gate.AccessContext,
    party: Party,
    *,
    about: str,
    item_uuid: str,
    score: Any,
    text: str = "",
) -> Feedback:
    """Answer the satisfaction question about one of the party's own handled contacts
    (``about="contact"``) or closed cases (``about="zaak"``), once."""
    if about not in (ABOUT_CONTACT, ABOUT_CASE):
        raise UnknownItem
    item = _uuid(item_uuid)
    target = (
        selectors.own_handled_contact(ctx, party, item)
        if about == ABOUT_CONTACT
        else selectors.own_case(party, item)
    )
    if target is None:
        raise UnknownItem
    errors = FieldErrors()
    if isinstance(target, Case) and target.is_open:
        errors.add("zaak", "Deze zaak loopt nog; u kunt uw mening geven als hij is afgerond.")
    chosen = _score(errors, score)
    comment = _text(errors, text)
    if selectors.already_answered(party, about, item):
        errors.add("score", "U hebt deze vraag al beantwoord. Dank u wel.")
    errors.raise_if_any()
    try:
        with contact_services.guarded(
            ctx,
            [party],
            [contact_services.HISTORY],
            operation="tevredenheid geven",
            change=True,
        ):
            return Feedback.objects.create(
                party=party,
                given_by=ctx.actor,
                score=chosen,
                text=comment,
                **_about(target),
            )
    except IntegrityError:
        # Two submissions at once: the constraint lets one through.
        raise ValidationError({"score": "U hebt deze vraag al beantwoord. Dank u wel."}) from None


def _about(target: Contact | Case) -> dict[str, Any]:
    if isinstance(target, Contact):
        return {
            "kind": FeedbackKind.CONTACT_SATISFACTION,
            "contact_uuid": target.uuid,
            "reference": target.nummer,
            "product": selectors.contact_product(target),
            "organisation": target.organisation,
        }
    provider = target.provider
    return {
        "kind": FeedbackKind.CASE_SATISFACTION,
        "case_uuid": target.uuid,
        "reference": target.identification,
        "product": selectors.case_product(target),
        "case_type": target.case_type_version.case_type.identification,
        "organisation": target.organisation,
        "provider": provider.organisation if provider else None,
        "provider_code": provider.code if provider else "",
    }


def give_feedback(
    ctx: gate.AccessContext, party: Party, *, text: str, organisation: str = ""
) -> Feedback:
    """Free-text feedback, about one organisation or about the service in general."""
    errors = FieldErrors()
    comment = _text(errors, text, required=True)
    concerns: Organisation | None = None
    if organisation:
        concerns = Organisation.objects.filter(code=organisation).first()
        if concerns is None:
            errors.add("organisatie", "Kies een organisatie uit de lijst, of laat dit leeg.")
    errors.raise_if_any()
    with contact_services.guarded(
        ctx, [party], [contact_services.HISTORY], operation="feedback geven", change=True
    ):
        return Feedback.objects.create(
            kind=FeedbackKind.FREE_TEXT,
            party=party,
            given_by=ctx.actor,
            text=comment,
            organisation=concerns,
        )


def switch_provider(
    ctx: gate.AccessContext,
    party: Party,
    *,
    case_uuid: str,
    provider_code: str,
    reason: str,
    text: str = "",
) -> Feedback:
    """Leave the case's current provider for another one the case type offers, and
    record why, for the provider that is left. Both happen, or neither."""
    case = selectors.own_case(party, _uuid(case_uuid))
    if case is None:
        raise UnknownItem
    errors = FieldErrors()
    option = selectors.switch_option(case)
    if option is None:
        errors.add("aanbieder", "Bij deze zaak kunt u niet van aanbieder wisselen.")
    elif option.blocked:
        errors.add("aanbieder", option.blocked)
    elif not provider_code:
        errors.add("aanbieder", "Kies de aanbieder waarnaar u wilt overstappen.")
    elif provider_code not in {p.code for p in option.alternatives}:
        errors.add(
            "aanbieder",
            "Kies een van de andere aanbieders: "
            + ", ".join(str(p) for p in option.alternatives)
            + ".",
        )
    if reason not in ExitReason.values:
        errors.add("reden", "Kies waarom u van aanbieder wisselt.")
    comment = _text(errors, text)
    errors.raise_if_any()
    left = case.provider
    assert left is not None  # switch_option is None without a current provider
    with transaction.atomic():
        case_choices.choose_provider(ctx, case, provider_code)
        with contact_services.guarded(
            ctx,
            [party],
            [contact_services.HISTORY],
            operation="reden wisselen aanbieder vastleggen",
            change=True,
        ):
            return Feedback.objects.create(
                kind=FeedbackKind.PROVIDER_EXIT,
                party=party,
                given_by=ctx.actor,
                exit_reason=reason,
                text=comment,
                case_uuid=case.uuid,
                reference=case.identification,
                product=selectors.case_product(case),
                case_type=case.case_type_version.case_type.identification,
                organisation=case.organisation,
                provider=left.organisation,
                provider_code=left.code,
            )
