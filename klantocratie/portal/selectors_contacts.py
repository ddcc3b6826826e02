"""Reads of the resident's contacts for the personal page: every contact with every
organisation, with the answer given.

A contact marked confidential is listed with its date, channel and organisation only:
the connector of the contact registry hands out no more of it to anyone outside the
organisation that registered it, and the page keeps to that rule.

Every read passes the gate for the party whose page it is, with the portal's context.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from klantocratie.contacts.models import Contact
from klantocratie.contacts.services import HISTORY, TASKS, guarded
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.registry.models import Organisation

PAGE_SIZE = 20


@dataclass(frozen=True)
class ContactPage:
    page: Page
    organisations: list[Organisation]


def _contacts(party: Party) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(involvements__party=party)
        .distinct()
        .select_related("channel", "organisation")
        .order_by("-occurred_at", "-id")
    )


def contacts_of(
    ctx: gate.AccessContext, party: Party, *, organisation: str = "", page: str | None = None
) -> ContactPage:
    """One page of the party's contacts, newest first, optionally at one organisation.

    Raises GateError when the party may not be read.
    """
    contacts = _contacts(party)
    organisations = list(
        Organisation.objects.filter(contacts__involvements__party=party).distinct().order_by("name")
    )
    if organisation:
        contacts = contacts.filter(organisation__code=organisation)
    with guarded(ctx, [party], [HISTORY], operation="eigen contacten inzien"):
        current = Paginator(contacts, PAGE_SIZE).get_page(page)
        current.object_list = list(current.object_list)
    return ContactPage(current, organisations)


def contact_of(ctx: gate.AccessContext, party: Party, contact_uuid: str) -> Contact | None:
    """One of the party's contacts with its attachments and follow-up; None when it is not
    theirs. Raises GateError when the party may not be read."""
    contact = (
        _contacts(party).filter(uuid=contact_uuid).prefetch_related("attachments", "tasks").first()
    )
    if contact is None:
        return None
    with guarded(ctx, [party], [HISTORY, TASKS], operation="eigen contact inzien"):
        pass
    return contact
