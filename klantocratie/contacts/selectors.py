"""Reads of the contact registry. Reads of a party's contacts and tasks pass the privacy
gate, with one processing-log record per data subject; a page of many parties logs one
record for each party on that page, before the page is handed out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet

from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.privacy.errors import AccessDenied

from .models import (
    Actor,
    ActorKind,
    Attachment,
    Contact,
    DigitalAddress,
    InternalTask,
    Involvement,
    TaskStatus,
)
from .services import ADDRESSES, HISTORY, TASKS, guarded, parties_of


def visible_contacts(ctx: gate.AccessContext) -> QuerySet[Contact]:
    """Contacts an organisation may see: confidential ones only at the organisation that
    registered them. No personal data is read until the queryset is evaluated."""
    return (
        Contact.objects.filter(Q(confidential=False) | Q(organisation__code=ctx.organisation))
        .select_related("channel", "organisation")
        .prefetch_related(
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("party").prefetch_related(
                    "party__identifiers"
                ),
            ),
            "subject_objects",
            "attachments",
            Prefetch("tasks", queryset=InternalTask.objects.prefetch_related("assigned_to")),
        )
    )


def involved_parties(contacts: Iterable[Contact]) -> list[Party]:
    """Every party involved in the contacts, using the prefetched involvements."""
    seen: dict[int, Party] = {}
    for contact in contacts:
        for involvement in contact.involvements.all():
            if involvement.party is not None:
                seen.setdefault(involvement.party.pk, involvement.party)
    return list(seen.values())


def log_page(ctx: gate.AccessContext, parties: Sequence[Party], aspects: Sequence[str]) -> None:
    """Check and log a read of a page of records about these parties (one record each)."""
    with guarded(ctx, parties, aspects, operation="read"):
        pass


def contacts_for_party(ctx: gate.AccessContext, party: Party, *, limit: int = 20) -> list[Contact]:
    """The party's most recent contacts at every organisation, newest first."""
    with guarded(ctx, [party], [HISTORY], operation="read"):
        return list(visible_contacts(ctx).filter(involvements__party=party).distinct()[:limit])


def _one_contact(ctx: gate.AccessContext, contact: Contact | None) -> Contact | None:
    if contact is None:
        return None
    log_page(ctx, involved_parties([contact]), [HISTORY])
    return contact


def contact_by_number(ctx: gate.AccessContext, nummer: str) -> Contact | None:
    """The contact with this number (warm transfer), or None when there is none to see."""
    number = nummer.strip().upper()
    contact = visible_contacts(ctx).filter(nummer=number).first()
    if contact is None and Contact.objects.filter(nummer=number).exists():
        raise AccessDenied(
            "Dit klantcontact is vertrouwelijk en alleen in te zien bij de organisatie die het "
            "registreerde.",
            field="nummer",
        )
    return _one_contact(ctx, contact)


def contact_by_uuid(ctx: gate.AccessContext, contact_uuid: str) -> Contact | None:
    return _one_contact(ctx, visible_contacts(ctx).filter(uuid=contact_uuid).first())


def tasks_queryset() -> QuerySet[InternalTask]:
    return InternalTask.objects.select_related(
        "contact__channel", "contact__organisation"
    ).prefetch_related(
        "assigned_to",
        Prefetch(
            "contact__involvements",
            queryset=Involvement.objects.select_related("party").prefetch_related(
                "party__identifiers"
            ),
        ),
    )


@dataclass
class WorkList:
    """One page of a work list of open tasks, oldest first."""

    tasks: list[InternalTask]
    total: int
    page: int
    pages: int


def actor_for_user(username: str, organisation_code: str) -> Actor | None:
    return (
        Actor.objects.filter(
            kind=ActorKind.EMPLOYEE, identifier=username, organisation__code=organisation_code
        )
        .prefetch_related("teams")
        .first()
    )


def open_tasks_for_actor(
    ctx: gate.AccessContext, actor: Actor, *, page: int = 1, per_page: int = 25
) -> WorkList:
    """Open tasks for an employee and the teams they belong to, or for a team itself."""
    actors = [actor, *actor.teams.all()] if actor.kind == ActorKind.EMPLOYEE else [actor]
    tasks = (
        tasks_queryset()
        .filter(status=TaskStatus.TO_DO, assigned_to__in=actors)
        .distinct()
        .order_by("assigned_at", "id")
    )
    paginator = Paginator(tasks, per_page)
    current = paginator.get_page(page)
    items = list(current.object_list)
    log_page(ctx, involved_parties(task.contact for task in items), [TASKS])
    return WorkList(items, paginator.count, current.number, paginator.num_pages)


def task_detail(ctx: gate.AccessContext, task_uuid: str) -> InternalTask | None:
    """A task with its originating contact: the colleague sees subject and content."""
    task = tasks_queryset().filter(uuid=task_uuid).first()
    if task is None:
        return None
    log_page(ctx, parties_of(task.contact), [TASKS, HISTORY])
    return task


def attachment_for_download(ctx: gate.AccessContext, attachment_uuid: str) -> Attachment | None:
    attachment = Attachment.objects.select_related("contact").filter(uuid=attachment_uuid).first()
    if attachment is None:
        return None
    contact = contact_by_uuid(ctx, str(attachment.contact.uuid))
    return attachment if contact is not None else None


def party_for_email(ctx: gate.AccessContext, email: str) -> Party | None:
    """The one party that gave this e-mail address, or None when none or several did.

    The lookup of the address is itself a processing of that party's data and is logged.
    """
    addresses = list(
        DigitalAddress.objects.filter(kind="email", address=email.strip().lower())
        .select_related("party")
        .prefetch_related("party__identifiers")[:2]
    )
    parties = {a.party_id: a.party for a in addresses}
    if len(parties) != 1:
        return None
    party = next(iter(parties.values()))
    with guarded(ctx, [party], [ADDRESSES], operation="match-sender"):
        return party
