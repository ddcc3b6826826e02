"""Writes of the contact registry. Each runs inside the privacy gate's access block, so
the processing-log record and the write share one transaction: no unlogged contact, and
no log record for a contact that was rolled back.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator
from django.db.models import F
from django.utils import timezone

from klantocratie.events.services import emit
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.registry.models import Organisation, PartyType
from klantocratie.validation import FieldErrors

from . import uploads
from .models import (
    Actor,
    ActorKind,
    Attachment,
    Channel,
    Contact,
    DigitalAddress,
    DigitalAddressKind,
    InternalTask,
    Involvement,
    InvolvementRole,
    NumberSeries,
    SubjectObject,
    TaskKind,
    TaskStatus,
)

# What the registry holds about a party, as data elements of the catalogue. An element
# belongs to one party type, so persons and businesses each have their own codes.
HISTORY = "history"
TASKS = "tasks"
ADDRESSES = "addresses"
ELEMENTS: dict[str, dict[str, str]] = {
    HISTORY: {
        PartyType.PERSON: "contact.history",
        PartyType.ORGANISATION: "contact.business_history",
    },
    TASKS: {PartyType.PERSON: "contact.tasks", PartyType.ORGANISATION: "contact.business_tasks"},
    ADDRESSES: {
        PartyType.PERSON: "contact.addresses",
        PartyType.ORGANISATION: "contact.business_addresses",
    },
}

EVENT_SOURCE = "/klantocratie/contacten"

# Limits of the Klantinteracties API, so what we store can always be served in its shape.
SUBJECT_MAX = 200
CONTENT_MAX = 1000
ANSWER_MAX = 4000
ACTION_MAX = 200
EXPLANATION_MAX = 1000
_LANGUAGE_RE = re.compile(r"^[a-z]{3}$")
# The phone pattern of the Klantinteracties API (Dutch, international or 00-prefixed).
_PHONE_RE = re.compile(r"^(0[1-9][0-9]{8}|\+[0-9]{9,15}|00[0-9]{7,13})$")
_validate_email = EmailValidator(allowlist=[])


@dataclass(frozen=True)
class Upload:
    """A file offered as an attachment. Only message/rfc822 is taken as declared (the
    e-mail intake parsed it); every other type is recognised from the bytes."""

    name: str
    data: bytes
    content_type: str = ""

    @classmethod
    def from_file(cls, file: UploadedFile) -> Upload:
        """Read an uploaded file, but one byte past the size limit at most: that is
        enough to refuse it as too large without holding a huge file in memory."""
        return cls(file.name or "bestand", file.read(uploads.max_bytes() + 1))


@dataclass(frozen=True)
class SubjectObjectInput:
    object_type: str
    object_id: str
    register: str = ""
    id_type: str = ""


@dataclass(frozen=True)
class PersonName:
    """How an involved person wants to be addressed (the spec's contactnaam)."""

    initials: str = ""
    first_name: str = ""
    surname_prefix: str = ""
    surname: str = ""


@dataclass(frozen=True)
class Representative:
    """Someone acting for the client who is not a known party (a neighbour, a carer)."""

    name: PersonName
    organisation_name: str = ""
    initiator: bool = True


@contextmanager
def guarded(
    ctx: gate.AccessContext,
    parties: Sequence[Party],
    aspects: Sequence[str],
    *,
    operation: str,
    change: bool = False,
) -> Iterator[str]:
    """gate.access over the registry's elements (per aspect) for the parties; yields the
    trace id."""
    elements: dict[str, list[str]] = {
        str(party_type): [ELEMENTS[aspect][party_type] for aspect in aspects]
        for party_type in (PartyType.PERSON, PartyType.ORGANISATION)
    }
    with gate.access_per_type(
        ctx, parties, elements, operation=operation, change=change
    ) as trace_id:
        yield trace_id


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _check_length(errors: FieldErrors, field: str, label: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(field, f"{label} is te lang: hoogstens {limit} tekens, nu {len(value)}.")


def _resolve_channel(errors: FieldErrors, channel: Channel | str | None) -> Channel | None:
    if isinstance(channel, Channel):
        return channel
    code = _text(channel)
    if not code:
        errors.add("kanaal", "Kanaal ontbreekt: kies het kanaal waarlangs de klant contact had.")
        return None
    found = Channel.objects.filter(code=code, active=True).first()
    if found is None:
        known = ", ".join(Channel.objects.filter(active=True).values_list("code", flat=True))
        errors.add("kanaal", f"Onbekend kanaal {code!r}. Kies uit: {known}.")
    return found


def _check_upload(errors: FieldErrors, upload: Upload) -> str | None:
    """The recognised content type of an acceptable upload, or None after adding an error."""
    name = upload.name or "bijlage"
    if not upload.data:
        errors.add("bijlagen", f"{name}: het bestand is leeg.")
        return None
    limit = uploads.max_bytes()
    if len(upload.data) > limit:
        errors.add(
            "bijlagen",
            f"{name}: het bestand is te groot ({uploads.human_size(len(upload.data))}); "
            f"de grens is {uploads.human_size(limit)}.",
        )
        return None
    allowed = uploads.allowed_types()
    if upload.content_type == uploads.EMAIL_CONTENT_TYPE:
        detected: str | None = uploads.EMAIL_CONTENT_TYPE
    else:
        detected = uploads.sniff_content_type(upload.data)
    if detected is None or detected not in allowed:
        errors.add(
            "bijlagen",
            f"{name}: dit soort bestand wordt niet aanvaard. Toegestaan: "
            f"{uploads.describe_types(allowed)}.",
        )
        return None
    return detected


def _next_number(prefix: str, on: datetime) -> str:
    """The next number of a yearly series, e.g. KC-2026-000123; call inside a transaction."""
    key = f"{prefix}-{timezone.localtime(on).year}"
    series, _ = NumberSeries.objects.select_for_update().get_or_create(key=key)
    NumberSeries.objects.filter(pk=series.pk).update(last=F("last") + 1)
    series.refresh_from_db(fields=["last"])
    return f"{key}-{series.last:06d}"


def _organisation(ctx: gate.AccessContext) -> Organisation:
    organisation = Organisation.objects.filter(code=ctx.organisation).first()
    if organisation is None:
        raise ValidationError({"organisatie": f"Onbekende organisatie {ctx.organisation!r}."})
    return organisation


def _store_attachments(
    contact: Contact, files: Sequence[tuple[Upload, str]], stored: list[Attachment]
) -> None:
    for upload, content_type in files:
        attachment = Attachment(
            contact=contact,
            original_name=(upload.name or "bijlage")[:255],
            content_type=content_type,
            size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(),
        )
        attachment.file.save(_storage_name(upload.name), ContentFile(upload.data), save=False)
        stored.append(attachment)
        attachment.save()


def _storage_name(original: str) -> str:
    # The original name is kept in the row; on disk only a safe suffix survives.
    suffix = re.sub(r"[^a-z0-9]", "", original.rsplit(".", 1)[-1].lower())[:8] if original else ""
    return f"bijlage.{suffix}" if suffix else "bijlage"


def _discard_files(stored: Sequence[Attachment]) -> None:
    for attachment in stored:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)


def register_contact(
    ctx: gate.AccessContext,
    party: Party | None,
    *,
    channel: Channel | str | None,
    subject: str,
    content: str,
    answer: str = "",
    succeeded: bool | None = None,
    language: str = "nld",
    confidential: bool = False,
    occurred_at: datetime | None = None,
    role: str = InvolvementRole.CLIENT,
    initiator: bool = True,
    name: PersonName | None = None,
    organisation_name: str = "",
    representative: Representative | None = None,
    subject_objects: Sequence[SubjectObjectInput] = (),
    attachments: Sequence[Upload] = (),
) -> Contact:
    """Register a contact with the party involved, what it was about and its attachments.

    Everything is validated before anything is written; the contact, its parts, the
    processing-log record and the event are one transaction. A caller who gives no
    identity gets no registered contact: there is no data subject to register it for.
    """
    errors = FieldErrors()
    if party is None:
        errors.add(
            "partij",
            "Een anonieme klant krijgt geen geregistreerd klantcontact: zoek eerst de klant op "
            "(BSN, KvK-nummer, e-mail of telefoon) of beantwoord de vraag zonder registratie.",
        )
    found_channel = _resolve_channel(errors, channel)
    subject, content, answer = _text(subject), _text(content), _text(answer)
    if not subject:
        errors.add(
            "onderwerp", "Onderwerp ontbreekt: vat in een paar woorden samen waarover het ging."
        )
    if not content:
        errors.add("inhoud", "Inhoud ontbreekt: beschrijf de vraag of het verzoek van de klant.")
    _check_length(errors, "onderwerp", "Het onderwerp", subject, SUBJECT_MAX)
    _check_length(errors, "inhoud", "De inhoud", content, CONTENT_MAX)
    _check_length(errors, "reactie", "De reactie", answer, ANSWER_MAX)
    if role not in InvolvementRole.values:
        errors.add("rol", f"Onbekende rol {role!r}: kies klant of vertegenwoordiger.")
    if not _LANGUAGE_RE.match(language or ""):
        errors.add("taal", "Taal: gebruik een taalcode van drie letters (ISO 639-2), bijv. nld.")
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + timedelta(minutes=5):
        errors.add("plaatsgevondenOp", "Een klantcontact kan niet in de toekomst plaatsvinden.")
    for index, item in enumerate(subject_objects, start=1):
        if not _text(item.object_type) or not _text(item.object_id):
            errors.add(
                "onderwerpobjecten",
                f"Onderwerpobject {index}: geef zowel de soort (bijv. zaak) als de identificatie.",
            )
    files = [(upload, _check_upload(errors, upload)) for upload in attachments]
    errors.raise_if_any()
    assert party is not None and found_channel is not None
    organisation = _organisation(ctx)

    stored: list[Attachment] = []
    try:
        with guarded(
            ctx, [party], [HISTORY], operation="register-contact", change=True
        ) as trace_id:
            contact = Contact.objects.create(
                nummer=_next_number("KC", occurred_at),
                channel=found_channel,
                subject=subject,
                content=content,
                answer=answer,
                succeeded=succeeded,
                language=language,
                confidential=confidential,
                occurred_at=occurred_at,
                organisation=organisation,
                registered_by=ctx.actor,
                trace_id=trace_id,
            )
            person = name or PersonName()
            Involvement.objects.create(
                contact=contact,
                party=party,
                role=role,
                initiator=initiator and representative is None,
                contact_initials=person.initials,
                contact_first_name=person.first_name,
                contact_surname_prefix=person.surname_prefix,
                contact_surname=person.surname,
                organisation_name=organisation_name,
            )
            if representative is not None:
                Involvement.objects.create(
                    contact=contact,
                    party=None,
                    role=InvolvementRole.REPRESENTATIVE,
                    initiator=representative.initiator,
                    contact_initials=representative.name.initials,
                    contact_first_name=representative.name.first_name,
                    contact_surname_prefix=representative.name.surname_prefix,
                    contact_surname=representative.name.surname,
                    organisation_name=representative.organisation_name,
                )
            SubjectObject.objects.bulk_create(
                SubjectObject(
                    contact=contact,
                    object_type=_text(item.object_type),
                    object_id=_text(item.object_id),
                    register=_text(item.register),
                    id_type=_text(item.id_type),
                )
                for item in subject_objects
            )
            _store_attachments(contact, [(u, t) for u, t in files if t is not None], stored)
            emit(
                "nl.klantocratie.contact.registered",
                source=EVENT_SOURCE,
                subject=str(contact.uuid),
                data={
                    "nummer": contact.nummer,
                    "kanaal": found_channel.code,
                    "organisatie": organisation.code,
                    "partij": str(party.uuid),
                    "plaatsgevondenOp": occurred_at.isoformat(),
                    "indicatieContactGelukt": succeeded,
                    "onderwerpobjecten": [
                        {"soort": o.object_type, "id": o.object_id} for o in subject_objects
                    ],
                },
                trace_id=trace_id,
            )
    except BaseException:
        _discard_files(stored)
        raise
    return contact


def add_subject_object(
    ctx: gate.AccessContext, contact: Contact, item: SubjectObjectInput
) -> SubjectObject:
    """Link a registered contact to what it turned out to be about (e.g. a new zaak)."""
    if not _text(item.object_type) or not _text(item.object_id):
        raise ValidationError(
            {
                "onderwerpobjectidentificator": "Geef zowel de soort (bijv. zaak) als de identificatie."
            }
        )
    with guarded(ctx, parties_of(contact), [HISTORY], operation="add-subject", change=True):
        return SubjectObject.objects.create(
            contact=contact,
            object_type=_text(item.object_type),
            object_id=_text(item.object_id),
            register=_text(item.register),
            id_type=_text(item.id_type),
        )


def parties_of(contact: Contact) -> list[Party]:
    """The data subjects of a contact: every involved party (representatives have none)."""
    return [
        involvement.party
        for involvement in contact.involvements.select_related("party").prefetch_related(
            "party__identifiers"
        )
        if involvement.party is not None
    ]


def _check_assignees(errors: FieldErrors, assign_to: Sequence[Actor]) -> None:
    if not assign_to:
        errors.add("toegewezenAanActoren", "Wijs de taak toe aan een medewerker of een team.")
    inactive = [actor.name for actor in assign_to if not actor.active]
    if inactive:
        errors.add(
            "toegewezenAanActoren",
            f"Niet (meer) actief, kies een ander: {', '.join(inactive)}.",
        )


def create_internal_task(
    ctx: gate.AccessContext,
    contact: Contact,
    *,
    requested_action: str,
    assign_to: Sequence[Actor],
    explanation: str = "",
    kind: str = TaskKind.INTERNAL,
) -> InternalTask:
    """Hand follow-up of a contact to an employee or a team, logged for its data subjects."""
    errors = FieldErrors()
    requested_action, explanation = _text(requested_action), _text(explanation)
    if not requested_action:
        errors.add("gevraagdeHandeling", "Gevraagde handeling ontbreekt: wat moet er gebeuren?")
    _check_length(
        errors, "gevraagdeHandeling", "De gevraagde handeling", requested_action, ACTION_MAX
    )
    _check_length(errors, "toelichting", "De toelichting", explanation, EXPLANATION_MAX)
    if kind not in TaskKind.values:
        errors.add("soort", f"Onbekende soort taak {kind!r}.")
    _check_assignees(errors, assign_to)
    errors.raise_if_any()
    now = timezone.now()
    with guarded(
        ctx, parties_of(contact), [TASKS], operation=f"create-{kind}", change=True
    ) as trace_id:
        task = InternalTask.objects.create(
            nummer=_next_number("IT", now),
            kind=kind,
            requested_action=requested_action,
            contact=contact,
            explanation=explanation,
            assigned_at=now,
            created_by=ctx.actor,
        )
        task.assigned_to.set(assign_to)
        emit(
            "nl.klantocratie.task.created",
            source=EVENT_SOURCE,
            subject=str(task.uuid),
            data={
                "nummer": task.nummer,
                "soort": kind,
                "klantcontact": str(contact.uuid),
                "toegewezenAanActoren": [str(actor.uuid) for actor in assign_to],
            },
            trace_id=trace_id,
        )
    return task


def request_callback(
    ctx: gate.AccessContext,
    contact: Contact,
    *,
    assign_to: Sequence[Actor],
    explanation: str = "",
    phone: str = "",
) -> InternalTask:
    """A callback request (terugbelverzoek) to a person or team, on the number given."""
    phone = re.sub(r"[\s\-]", "", _text(phone))
    if phone and not _PHONE_RE.match(phone):
        raise ValidationError(
            {"telefoonnummer": "Dit is geen geldig telefoonnummer, bijv. 0612345678."}
        )
    action = f"Terugbellen op {phone}" if phone else "Terugbellen"
    return create_internal_task(
        ctx,
        contact,
        requested_action=action,
        assign_to=assign_to,
        explanation=explanation,
        kind=TaskKind.CALLBACK,
    )


def handover(
    ctx: gate.AccessContext,
    contact: Contact,
    *,
    assign_to: Sequence[Actor],
    explanation: str = "",
) -> InternalTask:
    """A warm transfer: the colleague opens the contact by its number and sees the story."""
    return create_internal_task(
        ctx,
        contact,
        requested_action=f"Overdracht {contact.nummer}: {contact.subject}"[:ACTION_MAX],
        assign_to=assign_to,
        explanation=explanation,
        kind=TaskKind.HANDOVER,
    )


def complete_task(ctx: gate.AccessContext, task: InternalTask, *, note: str = "") -> InternalTask:
    """Mark a task done; the note is added to its explanation so the story stays whole."""
    if task.status == TaskStatus.DONE:
        raise ValidationError({"status": f"Taak {task.nummer} is al verwerkt."})
    note = _text(note)
    with guarded(
        ctx, parties_of(task.contact), [TASKS], operation="complete-task", change=True
    ) as trace_id:
        task.status = TaskStatus.DONE
        task.done_at = timezone.now()
        task.done_by = ctx.actor
        if note:
            stamp = timezone.localtime(task.done_at).strftime("%d-%m-%Y %H:%M")
            task.explanation = f"{task.explanation}\n\n{stamp} {ctx.actor}: {note}".strip()
        task.save(update_fields=["status", "done_at", "done_by", "explanation"])
        emit(
            "nl.klantocratie.task.completed",
            source=EVENT_SOURCE,
            subject=str(task.uuid),
            data={"nummer": task.nummer, "klantcontact": str(task.contact.uuid)},
            trace_id=trace_id,
        )
    return task


def ensure_employee(username: str, name: str, organisation: Organisation) -> Actor:
    """The actor of an employee, created the first time they are assigned work."""
    actor, _ = Actor.objects.get_or_create(
        organisation=organisation,
        kind=ActorKind.EMPLOYEE,
        identifier=username,
        defaults={"name": name or username},
    )
    return actor


def create_actor(
    *, name: str, kind: str, identifier: str, organisation: Organisation, active: bool = True
) -> Actor:
    errors = FieldErrors()
    name, identifier = _text(name), _text(identifier)
    if not name:
        errors.add("naam", "Naam ontbreekt.")
    if kind not in ActorKind.values:
        errors.add("soortActor", f"Onbekende soort actor {kind!r}.")
    if not identifier:
        errors.add("actoridentificator", "Identificatie ontbreekt: gebruikersnaam of teamcode.")
    elif Actor.objects.filter(organisation=organisation, kind=kind, identifier=identifier).exists():
        errors.add("actoridentificator", f"Er is al een actor met identificatie {identifier!r}.")
    errors.raise_if_any()
    return Actor.objects.create(
        name=name, kind=kind, identifier=identifier, organisation=organisation, active=active
    )


def clean_digital_address(kind: str, address: str) -> str:
    """A validated digital address in its stored form, or a ValidationError naming `adres`."""
    address = _text(address)
    if kind not in DigitalAddressKind.values:
        raise ValidationError({"soortDigitaalAdres": f"Onbekende soort adres {kind!r}."})
    if not address:
        raise ValidationError({"adres": "Adres ontbreekt."})
    if kind == DigitalAddressKind.EMAIL:
        try:
            _validate_email(address)
        except ValidationError:
            raise ValidationError(
                {"adres": "Dit is geen geldig e-mailadres, bijv. naam@voorbeeld.nl."}
            ) from None
        address = address.lower()
    elif kind == DigitalAddressKind.PHONE:
        address = re.sub(r"[\s\-]", "", address)
        if not _PHONE_RE.match(address):
            raise ValidationError(
                {"adres": "Dit is geen geldig telefoonnummer, bijv. 0612345678 of +31612345678."}
            )
    if len(address) > 80:
        raise ValidationError({"adres": "Het adres is te lang: hoogstens 80 tekens."})
    return address


def add_digital_address(
    ctx: gate.AccessContext,
    party: Party,
    *,
    kind: str,
    address: str,
    is_default: bool = False,
    description: str = "",
    involvement: Involvement | None = None,
) -> DigitalAddress:
    """Record an address the party gave for future contact; a new default replaces the old."""
    address = clean_digital_address(kind, address)
    description = _text(description)
    if len(description) > 40:
        raise ValidationError({"omschrijving": "De omschrijving is te lang: hoogstens 40 tekens."})
    with guarded(ctx, [party], [ADDRESSES], operation="add-digital-address", change=True):
        if is_default:
            DigitalAddress.objects.filter(party=party, kind=kind, is_default=True).update(
                is_default=False
            )
        digital_address, _ = DigitalAddress.objects.update_or_create(
            party=party,
            kind=kind,
            address=address,
            defaults={
                "is_default": is_default,
                "description": description,
                "involvement": involvement,
            },
        )
    return digital_address
