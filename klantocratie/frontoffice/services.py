"""Writes of the desk: changes of basic data, the contact and its hand-over.

Each is a thin step over the service that owns the data: gate.change routes a change to
the one source that owns the element, the contact registry registers contacts and tasks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from klantocratie.contacts import services as contacts
from klantocratie.contacts.models import Actor, Contact, InternalTask
from klantocratie.contacts.selectors import contact_by_number
from klantocratie.parties.models import Party
from klantocratie.privacy import gate

from .selectors import CHANGEABLE_AT_DESK


class HandoverKind:
    WARM_TRANSFER = "overdracht"
    CALLBACK = "terugbellen"
    INTERNAL_TASK = "taak"
    NEW_CASE = "nieuwe-zaak"

    choices = (
        (WARM_TRANSFER, "Warme overdracht aan een collega"),
        (CALLBACK, "Terugbelverzoek"),
        (INTERNAL_TASK, "Interne taak"),
        (NEW_CASE, "Aanvraag nieuwe zaak"),
    )


def change_basic_data(
    ctx: gate.AccessContext, party: Party, element: str, value: Any
) -> gate.ChangeResult:
    """Change one of the desk's basic data at its source; the result says what happened."""
    if element not in CHANGEABLE_AT_DESK:
        raise ValidationError({"element": "Dit gegeven kan niet aan de balie worden gewijzigd."})
    return gate.change(ctx, party, element, value)


def register_desk_contact(
    ctx: gate.AccessContext,
    party: Party,
    *,
    channel: str,
    subject: str,
    question: str,
    answer: str,
    succeeded: bool,
    subject_object: str = "",
) -> Contact:
    """Register the contact; an answer taken from the knowledge base is what it was about."""
    about = []
    if subject_object:
        object_type, _, object_id = subject_object.partition(":")
        about.append(contacts.SubjectObjectInput(object_type=object_type, object_id=object_id))
    return contacts.register_contact(
        ctx,
        party,
        channel=channel,
        subject=subject,
        content=question,
        answer=answer,
        succeeded=succeeded,
        subject_objects=about,
    )


def _contact_of(ctx: gate.AccessContext, party: Party, number: str) -> Contact:
    contact = contact_by_number(ctx, number)
    if contact is None or party not in contacts.parties_of(contact):
        raise ValidationError(
            {"contact": f"Klantcontact {number} hoort niet bij deze klant of bestaat niet."}
        )
    return contact


@transaction.atomic
def hand_over(
    ctx: gate.AccessContext,
    party: Party,
    *,
    kind: str,
    contact_number: str,
    assign_to: Sequence[Actor],
    action: str = "",
    explanation: str = "",
    phone: str = "",
) -> InternalTask:
    """Hand a contact over so the client never has to repeat their story.

    `action` is the requested action of an internal task, or the case type of a new
    case request; the colleague opens the contact by its number and reads the rest.
    """
    contact = _contact_of(ctx, party, contact_number)
    if kind == HandoverKind.WARM_TRANSFER:
        return contacts.handover(ctx, contact, assign_to=assign_to, explanation=explanation)
    if kind == HandoverKind.CALLBACK:
        return contacts.request_callback(
            ctx, contact, assign_to=assign_to, explanation=explanation, phone=phone
        )
    if kind == HandoverKind.INTERNAL_TASK:
        return contacts.create_internal_task(
            ctx, contact, requested_action=action, assign_to=assign_to, explanation=explanation
        )
    if kind == HandoverKind.NEW_CASE:
        if not action.strip():
            raise ValidationError({"actie": "Geef aan welke zaak de klant wil aanvragen."})
        return contacts.create_internal_task(
            ctx,
            contact,
            requested_action=f"Nieuwe zaak aanvragen: {action.strip()}",
            assign_to=assign_to,
            explanation=explanation,
        )
    raise ValidationError({"soort": "Kies een soort overdracht."})
