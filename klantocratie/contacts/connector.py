"""Connector of the contact registry: recent contacts, open tasks and digital addresses of
a party, at every organisation, for the integral client view.

The gate decides who may see this; the connector does not know who asks, so it never
hands out the content of a confidential contact, only that there was one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from django.db.models import Q
from django.utils import timezone

from klantocratie.connectors.base import (
    STREAM_CHUNK,
    Fact,
    LocalRegistryConnector,
    PartyRef,
    register,
)
from klantocratie.parties.models import IdentifierType

from .models import Contact, DigitalAddress, InternalTask, Involvement, TaskStatus

RECENT_CONTACTS = 10


def _involving(party: PartyRef, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}involvements__party__identifiers__identifier_type": party.identifier_type,
            f"{prefix}involvements__party__identifiers__value": party.value,
        }
    )


def read_history(party: PartyRef) -> list[dict[str, Any]]:
    contacts = (
        Contact.objects.filter(_involving(party))
        .select_related("channel", "organisation")
        .distinct()
        .order_by("-occurred_at", "-id")[:RECENT_CONTACTS]
    )
    return [
        {
            "nummer": contact.nummer,
            "datum": timezone.localtime(contact.occurred_at).date().isoformat(),
            "kanaal": contact.channel.name,
            "organisatie": contact.organisation.name,
            "onderwerp": "Vertrouwelijk contact" if contact.confidential else contact.subject,
            "gelukt": contact.succeeded,
        }
        for contact in contacts
    ]


def read_tasks(party: PartyRef) -> list[dict[str, Any]]:
    tasks = (
        InternalTask.objects.filter(_involving(party, "contact__"), status=TaskStatus.TO_DO)
        .select_related("contact")
        .prefetch_related("assigned_to")
        .distinct()
        .order_by("assigned_at", "id")
    )
    return [
        {
            "nummer": task.nummer,
            "soort": task.get_kind_display(),
            "gevraagde_handeling": (
                "Vertrouwelijk" if task.contact.confidential else task.requested_action
            ),
            "toegewezen_aan": ", ".join(actor.name for actor in task.assigned_to.all()),
            "sinds": timezone.localtime(task.assigned_at).date().isoformat(),
            "klantcontact": task.contact.nummer,
        }
        for task in tasks
    ]


def read_addresses(party: PartyRef) -> list[dict[str, Any]]:
    addresses = DigitalAddress.objects.filter(
        party__identifiers__identifier_type=party.identifier_type,
        party__identifiers__value=party.value,
    )
    return [
        {
            "soort": address.get_kind_display(),
            "adres": address.address,
            "standaard": address.is_default,
            "omschrijving": address.description,
        }
        for address in addresses
    ]


def contact_facts(keys: Collection[str] | None) -> Iterator[Fact]:
    """Each contact a person was involved in, at the organisation it was with.

    A confidential contact's subject stays behind: trends count it, under no topic.
    """
    rows = Involvement.objects.filter(
        party__identifiers__identifier_type=IdentifierType.BSN, party__party_type="person"
    )
    if keys is not None:
        rows = rows.filter(party__identifiers__value__in=keys)
    for pk, bsn, occurred, subject, confidential, organisation in (
        rows.order_by("pk")
        .values_list(
            "pk",
            "party__identifiers__value",
            "contact__occurred_at",
            "contact__subject",
            "contact__confidential",
            "contact__organisation__code",
        )
        .iterator(chunk_size=STREAM_CHUNK)
    ):
        yield Fact(
            PartyRef("bsn", bsn),
            "contact",
            timezone.localtime(occurred).date(),
            "" if confidential else subject,
            organisation=organisation,
            reference=f"betrokkene-{pk}",
        )


@register("local.contacts")
class ContactRegistryConnector(LocalRegistryConnector):
    health_model = Contact
    readers = {
        "contact.history": read_history,
        "contact.business_history": read_history,
        "contact.tasks": read_tasks,
        "contact.business_tasks": read_tasks,
        "contact.addresses": read_addresses,
        "contact.business_addresses": read_addresses,
    }
    fact_readers = {"contact.history": contact_facts}
