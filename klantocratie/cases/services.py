"""Writes to cases. Every function takes the access context of who acts, checks its input
completely before writing, and writes in one transaction through the privacy gate: a
case record is personal data of the persons and businesses in its roles.

Each change lands in the case history, and status changes emit an outbox event that
the resident notifications and the regional case-status index act on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.contacts import uploads
from klantocratie.contacts.models import Contact, InternalTask, NumberSeries
from klantocratie.contacts.services import Upload
from klantocratie.events.services import emit
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import represents
from klantocratie.privacy import gate
from klantocratie.registry.models import Organisation, PartyType
from klantocratie.validation import FieldErrors

from . import decisions
from .models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseOffer,
    CaseResult,
    CaseRole,
    CaseStatus,
    CaseTask,
    CaseTypeVersion,
    DecisionEvaluation,
    OfferState,
    RoleType,
    SecondOpinion,
    StatusType,
    TaskState,
    TaskType,
    VersionState,
)

# A case is personal data of its client parties; these elements of the catalogue cover it.
CASE_ELEMENTS: dict[str, list[str]] = {
    PartyType.PERSON: ["case.files"],
    PartyType.ORGANISATION: ["case.business_files"],
}
EVENT_SOURCE = "urn:klantocratie:zaken"
STATUS_SET = "nl.klantocratie.zaak.status-gezet"
CASE_CLOSED = "nl.klantocratie.zaak.afgesloten"
OFFER_ANSWERED = "nl.klantocratie.zaak.aanbod-beantwoord"


def client_parties(case: Case) -> list[Party]:
    """The persons and businesses in a case's roles; employees are not data subjects here."""
    return [role.party for role in case.roles.all() if role.party is not None]


def parties_acted_for(ctx: gate.AccessContext, case: Case) -> list[Party]:
    """Whose case data a change by this actor concerns.

    An employee works on the whole case, so every client. A resident acts for
    themselves (or whom they represent): in a case with a partner, their own grant does
    not cover the partner, and sending a document or choosing a provider is their own
    act. If they are not a client at all, every client is named and the gate refuses.
    """
    clients = client_parties(case)
    if ctx.role != Role.RESIDENT or ctx.actor_party_id is None:
        return clients
    own = [
        party
        for party in clients
        if party.pk == ctx.actor_party_id or represents(ctx.actor_party_id, party.pk)
    ]
    return own or clients


@contextmanager
def guarded(
    ctx: gate.AccessContext,
    parties: Sequence[Party],
    *,
    operation: str,
    change: bool = True,
) -> Iterator[str]:
    with gate.access_per_type(
        ctx, parties, CASE_ELEMENTS, operation=operation, change=change
    ) as trace_id:
        yield trace_id


def _record(case: Case, ctx: gate.AccessContext, kind: str, description: str, **data: Any) -> None:
    CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        actor=ctx.actor,
        kind=kind,
        description=description,
        data=data,
    )


# --- case types -----------------------------------------------------------------------


def publish_version(version: CaseTypeVersion) -> CaseTypeVersion:
    """Publish a draft. The version valid before it ends the day before this one starts;
    cases that run on it keep it to their end."""
    if version.is_published:
        return version
    clash = CaseTypeVersion.objects.filter(
        case_type=version.case_type, state=VersionState.PUBLISHED, valid_from=version.valid_from
    ).exclude(pk=version.pk)
    if clash.exists():
        raise ValidationError(
            {"valid_from": "Er is al een gepubliceerde versie die op deze datum begint."}
        )
    with transaction.atomic():
        previous = (
            CaseTypeVersion.objects.select_for_update()
            .filter(
                case_type=version.case_type,
                state=VersionState.PUBLISHED,
                valid_from__lt=version.valid_from,
            )
            .order_by("-valid_from")
            .first()
        )
        if previous and (
            previous.valid_until is None or previous.valid_until >= version.valid_from
        ):
            previous.valid_until = version.valid_from - timedelta(days=1)
            previous.save(update_fields=["valid_until"])
        version.state = VersionState.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["state", "published_at"])
    return version


def version_in_force(identification: str, on: date) -> CaseTypeVersion:
    version = (
        CaseTypeVersion.objects.filter(
            case_type__identification=identification,
            state=VersionState.PUBLISHED,
            valid_from__lte=on,
        )
        .exclude(valid_until__lt=on)
        .order_by("-valid_from")
        .first()
    )
    if version is None:
        raise ValidationError(
            {"zaaktype": f"Zaaktype {identification!r} heeft geen gepubliceerde versie op {on}."}
        )
    return version


# --- starting a case ------------------------------------------------------------------


@dataclass(frozen=True)
class Client:
    """A party in a case with the role type it gets (initiator unless said otherwise)."""

    party: Party
    role_type: str = ""


def _next_identification(organisation: Organisation, on: datetime) -> str:
    key = f"Z{organisation.pk:03d}-{timezone.localtime(on).year}"
    series, _ = NumberSeries.objects.select_for_update().get_or_create(key=key)
    NumberSeries.objects.filter(pk=series.pk).update(last=F("last") + 1)
    series.refresh_from_db(fields=["last"])
    return f"ZAAK-{timezone.localtime(on).year}-{organisation.pk:03d}-{series.last:07d}"


def _identifier(party: Party) -> tuple[str, str, str]:
    identifier = party.primary_identifier()
    kind = (
        CaseRole.SubjectKind.PERSON
        if party.party_type == PartyType.PERSON
        else CaseRole.SubjectKind.BUSINESS
    )
    return kind, identifier.identifier_type, identifier.value


def _property_errors(
    errors: FieldErrors, version: CaseTypeVersion, properties: Mapping[str, Any]
) -> dict[str, Any]:
    types = {p.code: p for p in version.property_types.all()}
    clean: dict[str, Any] = {}
    for code, value in properties.items():
        prop = types.get(code)
        if prop is None:
            errors.add(f"eigenschappen.{code}", "Dit zaaktype kent deze eigenschap niet.")
            continue
        try:
            clean[code] = check_value(
                prop.format, value, [c["code"] if isinstance(c, dict) else c for c in prop.choices]
            )
        except ValueError as error:
            errors.add(f"eigenschappen.{code}", f"{prop.name}: {error}")
    return clean


def check_value(fmt: str, value: Any, choices: Sequence[Any] = ()) -> Any:
    """Check one value against a format of the case type; return it in a stored form."""
    if fmt == "getal":
        if isinstance(value, bool):
            raise ValueError("verwacht een getal")
        try:
            number = Decimal(str(value).replace(",", "."))
        except Exception as error:
            raise ValueError("verwacht een getal") from error
        if not number.is_finite():
            raise ValueError("verwacht een getal")
        if abs(number) >= Decimal("1e15"):
            # Beyond this a float loses whole units, and 1e400 would be stored as Infinity.
            raise ValueError("dit getal is te groot")
        return float(number) if number != number.to_integral() else int(number)
    if fmt == "datum":
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError as error:
            raise ValueError("verwacht een datum (JJJJ-MM-DD)") from error
    if fmt == "ja_nee":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("ja", "true", "1", "on"):
            return True
        if text in ("nee", "false", "0", "off", ""):
            return False
        raise ValueError("verwacht ja of nee")
    if fmt == "punten":
        items = value if isinstance(value, list) else [value]
        unknown = [str(v) for v in items if str(v) not in choices]
        if unknown:
            raise ValueError(f"onbekend adviespunt: {', '.join(unknown)}")
        return [str(v) for v in items]
    text = str(value).strip()
    if choices and text not in [str(c) for c in choices]:
        raise ValueError(f"'{text}' is geen toegestane waarde")
    if len(text) > 2000:
        raise ValueError("hoogstens 2000 tekens")
    return text


def start_case(
    ctx: gate.AccessContext,
    *,
    case_type: str,
    clients: Sequence[Client],
    description: str,
    channel: str = "",
    explanation: str = "",
    properties: Mapping[str, Any] | None = None,
    start_date: date | None = None,
    deadline: date | None = None,
    contact: Contact | None = None,
    internal_task: InternalTask | None = None,
    organisation: Organisation | None = None,
) -> Case:
    """Register a case on the case-type version in force on its start date, with its
    first status and the required tasks, linked to the contact or task it came from."""
    errors = FieldErrors()
    today = timezone.localdate()
    start = start_date or today
    version: CaseTypeVersion | None = None
    try:
        version = version_in_force(case_type, start)
    except ValidationError as error:
        errors.add("zaaktype", error.messages[0])
    # A case belongs to the organisation responsible for its case type. Its employees
    # register it; a resident may start one of their own (e.g. the follow-up of an offer).
    owner = organisation or (version.case_type.organisation if version else None)
    if owner is not None and version is not None:
        if owner.pk != version.case_type.organisation_id:
            errors.add(
                "bronorganisatie",
                f"Zaaktype '{version.description}' hoort bij {version.case_type.organisation}.",
            )
        elif ctx.role != "resident" and ctx.organisation != owner.code:
            errors.add(
                "zaaktype",
                f"Zaaktype '{version.description}' hoort bij {owner}; vraag de zaak daar aan "
                "met een interne taak.",
            )
    channel = channel.strip()
    if len(channel) > 50:
        errors.add("communicatiekanaal", f"Hoogstens 50 tekens, nu {len(channel)}.")
    description = description.strip()
    if not description:
        errors.add("omschrijving", "Geef een korte omschrijving van de zaak.")
    elif len(description) > 80:
        errors.add("omschrijving", f"Hoogstens 80 tekens, nu {len(description)}.")
    if start > today:
        errors.add("startdatum", "De startdatum ligt in de toekomst.")
    if deadline is not None and deadline < today:
        errors.add("uiterlijkeEinddatumAfdoening", "De uiterlijke einddatum ligt in het verleden.")
    if deadline is not None and deadline < start:
        errors.add(
            "uiterlijkeEinddatumAfdoening", "De uiterlijke einddatum ligt vóór de startdatum."
        )
    if not clients and version is not None and version.internal_or_external == "extern":
        errors.add("rollen", "Een externe zaak heeft ten minste één initiator.")
    clean_properties: dict[str, Any] = {}
    role_types: dict[str, RoleType] = {}
    if version is not None:
        clean_properties = _property_errors(errors, version, properties or {})
        role_types = {r.code: r for r in version.role_types.all()}
        # The pack loader guarantees every case type has an initiator role type.
        initiator_code = next(r.code for r in role_types.values() if r.generic == "initiator")
        for client in clients:
            if client.role_type and client.role_type not in role_types:
                errors.add("rollen", f"Onbekend roltype {client.role_type!r}.")
        first_status = version.status_types.order_by("order").first()
    errors.raise_if_any()
    assert version is not None and owner is not None
    now = timezone.now()
    with guarded(ctx, [c.party for c in clients], operation="zaak registreren"):
        case = Case.objects.create(
            identification=_next_identification(owner, now),
            organisation=owner,
            case_type_version=version,
            description=description,
            explanation=explanation.strip(),
            registered_on=today,
            start_date=start,
            planned_end=start
            + timedelta(days=version.service_norm_days or version.processing_days),
            deadline=deadline or start + timedelta(days=version.processing_days),
            channel=channel,
            confidentiality=version.confidentiality,
            properties=clean_properties,
            contact=contact,
            internal_task=internal_task,
            created_by=ctx.actor,
        )
        for client in clients:
            kind, id_type, value = _identifier(client.party)
            CaseRole.objects.create(
                case=case,
                role_type=role_types[client.role_type or initiator_code],
                subject_kind=kind,
                party=client.party,
                identifier_type=id_type,
                identifier=value,
                registered_at=now,
            )
        for task_type in version.task_types.filter(discretionary=False):
            _add_task(case, task_type, now)
        source = f" vanuit klantcontact {contact.nummer}" if contact else ""
        if internal_task is not None:
            source = f" vanuit interne taak {internal_task.nummer}"
        _record(case, ctx, "registered", f"Zaak geregistreerd{source}.", channel=channel)
        assert first_status is not None
        _set_status(ctx, case, first_status, "", now)
    return case


def _add_task(case: Case, task_type: TaskType, now: datetime, **extra: Any) -> CaseTask:
    due = None
    if task_type.required_before is not None:
        due = case.deadline
    return CaseTask.objects.create(
        case=case, task_type=task_type, name=task_type.name, created_at=now, due_on=due, **extra
    )


# --- statuses and results -------------------------------------------------------------


def _set_status(
    ctx: gate.AccessContext, case: Case, status_type: StatusType, explanation: str, now: datetime
) -> CaseStatus:
    status = CaseStatus.objects.create(
        case=case, status_type=status_type, set_at=now, explanation=explanation, set_by=ctx.actor
    )
    case.current_status = status
    final = status_type.is_final
    fields = ["current_status"]
    if final:
        case.end_date = timezone.localdate(now)
        fields.append("end_date")
    case.save(update_fields=fields)
    _record(case, ctx, "status", f"Status: {status_type.description}.", explanation=explanation)
    clients = [
        {"type": role.identifier_type, "value": role.identifier, "party": str(role.party.uuid)}
        for role in case.roles.select_related("party", "role_type")
        if role.party is not None and role.role_type.generic in ("initiator", "belanghebbende")
    ]
    emit(
        STATUS_SET,
        source=EVENT_SOURCE,
        subject=case.identification,
        data={
            "zaak": str(case.uuid),
            "identificatie": case.identification,
            "organisatie": case.organisation.name,
            "zaaktype": case.case_type_version.description,
            "status": status_type.description,
            "statustekst": status_type.resident_text,
            "informeren": status_type.notify,
            "eindstatus": final,
            "gezet": now.isoformat(),
            "uiterlijkeEinddatum": case.deadline.isoformat(),
            "einddatum": case.end_date.isoformat() if case.end_date else None,
            "betrokkenen": clients,
        },
    )
    return status


def set_status(
    ctx: gate.AccessContext, case: Case, status_code: str, *, explanation: str = ""
) -> CaseStatus:
    """Move a case to a later status. Required tasks of every status up to it must be
    done or set aside with a reason; the final status needs a result first."""
    errors = FieldErrors()
    version = case.case_type_version
    status_type = version.status_types.filter(code=status_code).first()
    if status_type is None:
        raise ValidationError({"statustype": f"Het zaaktype kent status {status_code!r} niet."})
    if not case.is_open:
        raise ValidationError({"statustype": "De zaak is afgesloten."})
    current = case.current_status.status_type if case.current_status else None
    if current is not None and status_type.order <= current.order:
        errors.add(
            "statustype",
            f"'{status_type.description}' komt niet na de huidige status '{current.description}'.",
        )
    open_required = case.tasks.filter(
        state=TaskState.OPEN,
        task_type__required_before__order__lte=status_type.order,
    ).order_by("id")
    for task in open_required:
        errors.add("taken", f"Taak '{task.name}' is nog niet afgerond.")
    if status_type.is_final:
        if not hasattr(case, "result"):
            errors.add("resultaat", "Leg eerst het resultaat vast.")
        for task in case.tasks.filter(state=TaskState.OPEN).exclude(pk__in=open_required):
            errors.add("taken", f"Taak '{task.name}' staat nog open.")
    errors.raise_if_any()
    with guarded(ctx, client_parties(case), operation="zaakstatus zetten"):
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.current_status_id != case.current_status_id:
            raise ValidationError({"statustype": "De status is intussen door een ander gewijzigd."})
        status = _set_status(ctx, case, status_type, explanation.strip(), timezone.now())
        if status_type.is_final:
            emit(
                CASE_CLOSED,
                source=EVENT_SOURCE,
                subject=case.identification,
                data={"zaak": str(case.uuid), "resultaat": case.result.result_type.description},
            )
    return status


def set_result(
    ctx: gate.AccessContext, case: Case, result_code: str, *, explanation: str = ""
) -> CaseResult:
    """Record the outcome. A result with offers gives each initiator the case type's offers."""
    if not case.is_open:
        raise ValidationError({"resultaattype": "De zaak is afgesloten."})
    result_type = case.case_type_version.result_types.filter(code=result_code).first()
    if result_type is None:
        allowed = ", ".join(case.case_type_version.result_types.values_list("code", flat=True))
        raise ValidationError(
            {
                "resultaattype": f"Resultaat {result_code!r} hoort niet bij dit zaaktype; "
                f"kies uit {allowed}."
            }
        )
    now = timezone.now()
    with guarded(ctx, client_parties(case), operation="zaakresultaat vastleggen"):
        result, _ = CaseResult.objects.update_or_create(
            case=case,
            defaults={
                "result_type": result_type,
                "explanation": explanation.strip(),
                "set_at": now,
                "set_by": ctx.actor,
            },
        )
        _record(
            case, ctx, "result", f"Resultaat: {result_type.description}.", explanation=explanation
        )
        if result_type.offers_decision:
            _make_offers(ctx, case, now)
        else:
            withdrawn = case.offers.filter(state=OfferState.OFFERED).update(
                state=OfferState.EXPIRED, answered_at=now
            )
            if withdrawn:
                _record(
                    case,
                    ctx,
                    "offers",
                    "Openstaande aanbiedingen vervallen met het nieuwe resultaat.",
                )
    case.result = result
    return result


def _make_offers(ctx: gate.AccessContext, case: Case, now: datetime) -> None:
    initiators = [
        role.party
        for role in case.roles.select_related("party", "role_type")
        if role.party is not None and role.role_type.generic == "initiator"
    ]
    for offer_type in case.case_type_version.offer_types.all():
        for party in initiators[:1]:
            _, created = CaseOffer.objects.get_or_create(
                case=case,
                offer_type=offer_type,
                defaults={
                    "party": party,
                    "offered_at": now,
                    "expires_on": timezone.localdate(now) + timedelta(days=offer_type.valid_days),
                },
            )
            if created:
                _record(case, ctx, "offer", f"Aanbod gedaan: {offer_type.name}.")


# --- tasks and decision tables --------------------------------------------------------


def add_task(ctx: gate.AccessContext, case: Case, task_type_code: str, *, reason: str) -> CaseTask:
    """A case worker adds a task the case needs, beyond the standard path, with a reason."""
    reason = reason.strip()
    task_type = case.case_type_version.task_types.filter(code=task_type_code).first()
    errors = FieldErrors()
    if task_type is None:
        errors.add("taaktype", f"Het zaaktype kent taak {task_type_code!r} niet.")
    if not reason:
        errors.add("reden", "Zeg waarom deze taak nodig is.")
    if not case.is_open:
        errors.add("zaak", "De zaak is afgesloten.")
    errors.raise_if_any()
    assert task_type is not None
    with guarded(ctx, client_parties(case), operation="zaaktaak toevoegen"):
        task = _add_task(case, task_type, timezone.now(), added_by_choice=True, reason=reason)
        _record(case, ctx, "task_added", f"Taak toegevoegd: {task.name}.", reason=reason)
    return task


def set_task_aside(ctx: gate.AccessContext, task: CaseTask, *, reason: str) -> CaseTask:
    """Let a task lapse. Experts may leave the standard path, but say why."""
    if not reason.strip():
        raise ValidationError({"reden": "Zeg waarom deze taak vervalt."})
    if task.state != TaskState.OPEN:
        raise ValidationError({"taak": "De taak is niet meer open."})
    with guarded(ctx, client_parties(task.case), operation="zaaktaak laten vervallen"):
        task.state = TaskState.CANCELLED
        task.reason = reason.strip()
        task.completed_at = timezone.now()
        task.completed_by = ctx.actor
        task.save(update_fields=["state", "reason", "completed_at", "completed_by"])
        _record(
            task.case, ctx, "task_cancelled", f"Taak vervallen: {task.name}.", reason=task.reason
        )
    return task


def _clean_task_data(task: CaseTask, data: Mapping[str, Any]) -> dict[str, Any]:
    errors = FieldErrors()
    clean: dict[str, Any] = {}
    point_codes: list[str] = []
    rule = getattr(task.case.case_type_version, "second_opinion_rule", None)
    if rule is not None:
        point_codes = [p["code"] for p in rule.points]
    specs = task.task_type.fields if task.task_type else []
    known = {spec["code"] for spec in specs}
    for name in data:
        if name not in known:
            errors.add(name, "Deze taak kent dit veld niet.")
    for spec in specs:
        code = spec["code"]
        value = data.get(code)
        empty = value is None or value == "" or value == []
        if empty:
            if spec.get("required") and spec.get("format") != "ja_nee":
                errors.add(code, f"{spec['label']} is verplicht.")
            if spec.get("format") == "ja_nee":
                clean[code] = False
            continue
        choices = point_codes if spec.get("format") == "punten" else spec.get("choices") or []
        fmt = "tekst" if spec.get("format") == "keuze" else spec.get("format", "tekst")
        try:
            clean[code] = check_value(fmt, value, choices)
        except ValueError as error:
            errors.add(code, f"{spec['label']}: {error}")
    errors.raise_if_any()
    return clean


def evaluate_decision_table(
    ctx: gate.AccessContext, task: CaseTask, inputs: Mapping[str, Any]
) -> DecisionEvaluation:
    """Ask the task's decision table for advice, and keep the inputs and the advice."""
    table = task.task_type.decision_table if task.task_type else None
    if table is None:
        raise ValidationError({"beslistabel": "Bij deze taak hoort geen beslistabel."})
    if task.state != TaskState.OPEN:
        raise ValidationError({"taak": "De taak is niet meer open."})
    errors = FieldErrors()
    given = _property_errors(errors, task.case.case_type_version, inputs)
    errors.raise_if_any()
    facts = {**task.case.properties, **given}
    missing = [f["label"] for f in decisions.input_fields(table.content) if f["field"] not in facts]
    if missing:
        raise ValidationError({"invoer": f"Nodig voor het advies: {', '.join(missing)}."})
    advice = decisions.evaluate(table.content, facts, table.sha256)
    with guarded(ctx, client_parties(task.case), operation="beslistabel toepassen"):
        if given:
            # What the worker established for the advice is a fact of the case from now on.
            task.case.properties = facts
            task.case.save(update_fields=["properties"])
        evaluation = DecisionEvaluation.objects.create(
            case=task.case,
            task=task,
            table=table,
            table_sha256=table.sha256,
            inputs=facts,
            advice=advice.outcome,
            trace=advice.rules,
            outcome=advice.outcome,
            evaluated_at=timezone.now(),
            evaluated_by=ctx.actor,
        )
        _record(
            task.case,
            ctx,
            "decision_table",
            f"Advies van '{table.name}': {describe(advice.outcome)}.",
            inputs=facts,
            advice=advice.outcome,
        )
    return evaluation


def describe(outcome: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in outcome.items()) or "geen regel van toepassing"


def _like(example: Any, given: Any) -> Any:
    """A value typed in a form, read as the same type as the table's advice."""
    if isinstance(given, str) and isinstance(example, bool):
        return given.strip().lower() in ("ja", "true", "1")
    if isinstance(given, str) and isinstance(example, int | float):
        try:
            number = float(given.replace(",", "."))
        except ValueError:
            return given
        return int(number) if number.is_integer() and isinstance(example, int) else number
    return given


def complete_task(
    ctx: gate.AccessContext,
    task: CaseTask,
    data: Mapping[str, Any],
    *,
    outcome: Mapping[str, Any] | None = None,
    deviation_reason: str = "",
) -> CaseTask:
    """Finish a task with what it asks for. With a decision table, the outcome is the
    table's advice unless the worker decides otherwise and says why."""
    if task.state != TaskState.OPEN:
        raise ValidationError({"taak": "De taak is niet meer open."})
    clean = _clean_task_data(task, data)
    evaluation = None
    if task.task_type and task.task_type.decision_table_id:
        evaluation = task.evaluations.order_by("-evaluated_at", "-id").first()
        if evaluation is None:
            raise ValidationError({"beslistabel": "Vraag eerst het advies van de beslistabel."})
        decided = (
            {k: _like(evaluation.advice.get(k), v) for k, v in outcome.items()}
            if outcome is not None
            else dict(evaluation.advice)
        )
        unknown = set(decided) - {
            f["field"] for f in decisions.output_fields(evaluation.table.content)
        }
        if unknown:
            raise ValidationError(
                {"uitkomst": f"Onbekende uitkomst: {', '.join(sorted(unknown))}."}
            )
        if decided != evaluation.advice and not deviation_reason.strip():
            raise ValidationError(
                {"reden_afwijking": "U wijkt af van het advies van de beslistabel: zeg waarom."}
            )
    with guarded(ctx, client_parties(task.case), operation="zaaktaak afronden"):
        task.data = clean
        task.state = TaskState.DONE
        task.completed_at = timezone.now()
        task.completed_by = ctx.actor
        task.save(update_fields=["data", "state", "completed_at", "completed_by"])
        if evaluation is not None:
            evaluation.outcome = decided
            evaluation.deviation_reason = deviation_reason.strip()
            evaluation.save(update_fields=["outcome", "deviation_reason"])
            if evaluation.deviates:
                _record(
                    task.case,
                    ctx,
                    "deviation",
                    f"Afgeweken van het advies: {describe(decided)}.",
                    advice=evaluation.advice,
                    outcome=decided,
                    reason=deviation_reason.strip(),
                )
        _record(task.case, ctx, "task_done", f"Taak afgerond: {task.name}.", data=clean)
        _adopt_common_advice(ctx, task)
    return task


def common_points(first: Sequence[str], second: Sequence[str], order: Sequence[str]) -> list[str]:
    """The advice points both committees raised, in the case type's order."""
    both = set(first) & set(second)
    return [code for code in order if code in both]


def _adopt_common_advice(ctx: gate.AccessContext, task: CaseTask) -> None:
    opinion = SecondOpinion.objects.filter(case=task.case).first()
    if opinion is None or task.pk not in (opinion.first_task_id, opinion.second_task_id):
        return
    first = CaseTask.objects.get(pk=opinion.first_task_id)
    second = CaseTask.objects.get(pk=opinion.second_task_id)
    if second.state != TaskState.DONE:
        return
    rule = task.case.case_type_version.second_opinion_rule
    field = next(
        (
            f["code"]
            for f in (first.task_type.fields if first.task_type else [])
            if f.get("format") == "punten"
        ),
        None,
    )
    if field is None:
        return
    order = [p["code"] for p in rule.points]
    opinion.adopted_points = common_points(
        first.data.get(field, []), second.data.get(field, []), order
    )
    opinion.save(update_fields=["adopted_points"])
    labels = {p["code"]: p["label"] for p in rule.points}
    adopted = ", ".join(labels[c] for c in opinion.adopted_points) or "geen"
    _record(
        task.case,
        ctx,
        "advice_adopted",
        f"Beide adviezen bevatten: {adopted}. Alleen deze punten gaan in het besluit.",
        points=opinion.adopted_points,
    )


# --- documents, properties, related cases ---------------------------------------------


def add_document(
    ctx: gate.AccessContext, case: Case, *, document_type: str, title: str, upload: Upload
) -> CaseDocument:
    """Attach a document of one of the case type's document types.

    The file is recognised by its content, not its name, and must be of an accepted
    type and size (the same limits as attachments to contacts). A photo is stored
    re-encoded from its pixels, without its metadata (GPS, device, comments).
    """
    errors = FieldErrors()
    doc_type = case.case_type_version.document_types.filter(code=document_type).first()
    if doc_type is None:
        errors.add("documenttype", f"Het zaaktype kent documenttype {document_type!r} niet.")
    title = title.strip() or upload.name
    if not title:
        errors.add("titel", "Geef het document een titel.")
    elif len(title) > 200:
        errors.add("titel", "Hoogstens 200 tekens.")
    if not upload.data:
        errors.add("bestand", "Het bestand is leeg.")
    elif len(upload.data) > uploads.max_bytes():
        errors.add(
            "bestand",
            f"Het bestand is groter dan {uploads.max_bytes() // (1024 * 1024)} MB.",
        )
    content_type = uploads.sniff_content_type(upload.data)
    if upload.data and (content_type is None or content_type not in uploads.allowed_types()):
        errors.add(
            "bestand",
            "Dit soort bestand wordt niet aanvaard. Toegestaan: "
            f"{uploads.describe_types([t for t in uploads.allowed_types() if t != uploads.EMAIL_CONTENT_TYPE])}.",
        )
    elif content_type is not None and "bestand" not in errors.by_field:
        try:
            upload = Upload(upload.name, uploads.without_metadata(upload.data, content_type))
        except uploads.UnreadableImage as error:
            errors.add("bestand", str(error))
    errors.raise_if_any()
    assert doc_type is not None and content_type is not None
    document = CaseDocument(
        case=case,
        document_type=doc_type,
        title=title,
        original_name=(upload.name or "document")[:255],
        content_type=content_type,
        size=len(upload.data),
        sha256=hashlib.sha256(upload.data).hexdigest(),
        added_at=timezone.now(),
        added_by=ctx.actor,
    )
    suffix = uploads.suffix_for(content_type)
    try:
        with guarded(ctx, parties_acted_for(ctx, case), operation="zaakdocument toevoegen"):
            document.file.save(f"document.{suffix}", ContentFile(upload.data), save=False)
            document.save()
            _record(case, ctx, "document", f"Document toegevoegd: {title} ({doc_type}).")
    except Exception:
        # The row is rolled back; the file must not outlive it.
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def set_properties(ctx: gate.AccessContext, case: Case, values: Mapping[str, Any]) -> Case:
    """Record facts of the case (its eigenschappen), each checked against its format."""
    if not case.is_open:
        raise ValidationError({"eigenschappen": "De zaak is afgesloten."})
    errors = FieldErrors()
    clean = _property_errors(errors, case.case_type_version, values)
    errors.raise_if_any()
    changed = {k: v for k, v in clean.items() if case.properties.get(k) != v}
    if not changed:
        return case
    with guarded(ctx, client_parties(case), operation="zaakeigenschappen vastleggen"):
        case.properties = {**case.properties, **changed}
        case.save(update_fields=["properties"])
        _record(
            case,
            ctx,
            "properties",
            "Eigenschappen: " + ", ".join(f"{k} = {v}" for k, v in changed.items()) + ".",
            values=changed,
        )
    return case


def relate(ctx: gate.AccessContext, case: Case, identification: str) -> Case:
    """Link a related case (e.g. the permit a fine is about), both ways."""
    other = Case.objects.filter(identification=identification.strip()).first()
    if other is None:
        raise ValidationError({"zaak": f"Onbekende zaak {identification!r}."})
    if other.pk == case.pk:
        raise ValidationError({"zaak": "Een zaak kan niet aan zichzelf gerelateerd worden."})
    with guarded(ctx, client_parties(case) + client_parties(other), operation="zaken relateren"):
        case.related_cases.add(other)
        _record(case, ctx, "related", f"Gerelateerd aan zaak {other.identification}.")
        _record(other, ctx, "related", f"Gerelateerd aan zaak {case.identification}.")
    return case


# --- deadlines, assignment ------------------------------------------------------------


def extend(ctx: gate.AccessContext, case: Case, *, reason: str) -> Case:
    version = case.case_type_version
    if not version.extension_allowed or not version.extension_days:
        raise ValidationError({"verlenging": "Dit zaaktype staat geen verlenging toe."})
    if case.extended_days:
        raise ValidationError({"verlenging": "De zaak is al verlengd."})
    if not reason.strip():
        raise ValidationError({"reden": "Geef de reden van de verlenging."})
    with guarded(ctx, client_parties(case), operation="zaak verlengen"):
        case.extended_days = version.extension_days
        case.extension_reason = reason.strip()
        case.deadline = case.deadline + timedelta(days=version.extension_days)
        case.save(update_fields=["extended_days", "extension_reason", "deadline"])
        _record(
            case,
            ctx,
            "extended",
            f"Verlengd met {version.extension_days} dagen tot {case.deadline:%d-%m-%Y}.",
            reason=case.extension_reason,
        )
    return case


def suspend(ctx: gate.AccessContext, case: Case, *, reason: str) -> Case:
    if not case.case_type_version.suspension_allowed:
        raise ValidationError({"opschorting": "Dit zaaktype staat opschorten niet toe."})
    if case.suspended_since is not None:
        raise ValidationError({"opschorting": "De zaak is al opgeschort."})
    if not reason.strip():
        raise ValidationError({"reden": "Geef de reden van de opschorting."})
    with guarded(ctx, client_parties(case), operation="zaak opschorten"):
        case.suspended_since = timezone.localdate()
        case.suspension_reason = reason.strip()
        case.save(update_fields=["suspended_since", "suspension_reason"])
        _record(case, ctx, "suspended", "Opgeschort.", reason=case.suspension_reason)
    return case


def resume(ctx: gate.AccessContext, case: Case) -> Case:
    """End a suspension; the deadline moves by the days the case was suspended."""
    if case.suspended_since is None:
        raise ValidationError({"opschorting": "De zaak is niet opgeschort."})
    days = (timezone.localdate() - case.suspended_since).days
    with guarded(ctx, client_parties(case), operation="opschorting beëindigen"):
        case.deadline = case.deadline + timedelta(days=days)
        case.suspended_since = None
        case.save(update_fields=["deadline", "suspended_since"])
        _record(
            case,
            ctx,
            "resumed",
            f"Opschorting beëindigd na {days} dagen; uiterlijk {case.deadline:%d-%m-%Y}.",
        )
    return case


def assign(ctx: gate.AccessContext, case: Case, user: Any) -> Case:
    """Give a case to a case worker of its organisation (or to nobody)."""
    organisations = [case.organisation_id]
    if case.provider is not None:
        organisations.append(case.provider.organisation_id)
    if (
        user is not None
        and not user.memberships.filter(
            organisation_id__in=organisations, role__in=["case_worker", "social_worker"]
        ).exists()
    ):
        raise ValidationError(
            {"behandelaar": f"{user} is geen behandelaar bij {case.organisation}."}
        )
    with guarded(ctx, client_parties(case), operation="zaak toewijzen", change=False):
        case.assigned_to = user
        case.save(update_fields=["assigned_to"])
        who = user.get_full_name() or user.username if user else "niemand"
        _record(case, ctx, "assigned", f"Toegewezen aan {who}.")
    return case


# --- roles ----------------------------------------------------------------------------


def add_role(
    ctx: gate.AccessContext,
    case: Case,
    role_type_code: str,
    party: Party | None = None,
    employee: str = "",
    explanation: str = "",
) -> CaseRole:
    """Give a person or business (`party`) or an employee (their user name) a role in a
    case: the initiator of a case registered without one, a partner, an adviser."""
    from django.contrib.auth import get_user_model

    errors = FieldErrors()
    role_type = case.case_type_version.role_types.filter(code=role_type_code).first()
    if role_type is None:
        errors.add("roltype", f"Het zaaktype kent roltype {role_type_code!r} niet.")
    employee = employee.strip()
    explanation = explanation.strip()
    if (party is None) == (not employee):
        errors.add(
            "betrokkeneIdentificatie",
            "Geef precies één betrokkene: een persoon, een bedrijf of een medewerker.",
        )
    elif employee and (
        len(employee) > 40
        or not get_user_model().objects.filter(username=employee, is_active=True).exists()
    ):
        errors.add("betrokkeneIdentificatie", f"Onbekende medewerker {employee!r}.")
    if len(explanation) > 1000:
        errors.add("roltoelichting", f"Hoogstens 1000 tekens, nu {len(explanation)}.")
    if not case.is_open:
        errors.add("zaak", "De zaak is afgesloten.")
    if role_type is not None:
        same = case.roles.filter(role_type=role_type)
        if (party is not None and same.filter(party=party).exists()) or (
            employee
            and same.filter(
                subject_kind=CaseRole.SubjectKind.EMPLOYEE, identifier=employee
            ).exists()
        ):
            errors.add("betrokkeneIdentificatie", "Deze betrokkene heeft deze rol al in de zaak.")
    errors.raise_if_any()
    assert role_type is not None
    parties = [*client_parties(case), *([party] if party is not None else [])]
    with guarded(ctx, parties, operation="zaakrol toevoegen"):
        if party is not None:
            kind, id_type, value = _identifier(party)
        else:
            kind, id_type, value = CaseRole.SubjectKind.EMPLOYEE, "gebruikersnaam", employee
        role = CaseRole.objects.create(
            case=case,
            role_type=role_type,
            subject_kind=kind,
            party=party,
            identifier_type=id_type,
            identifier=value,
            explanation=explanation,
            registered_at=timezone.now(),
        )
        _record(
            case,
            ctx,
            "role_added",
            f"Rol toegevoegd: {role_type.description}.",
            roltype=role_type.code,
            betrokkenetype=kind,
        )
    return role
