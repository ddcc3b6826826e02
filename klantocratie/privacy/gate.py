"""The privacy gate: the only way to read or change a party's data.

Every call names who asks (actor, role, organisation), why (a processing activity from
the register) and about whom (a party). The gate

1. resolves the activity version valid today,
2. finds the grants of that organisation and role for that activity,
3. applies the party's own choices (opt-in extras, opt-out of proactive outreach),
4. asks each source for only the permitted elements, through its connector,
5. writes one hash-chained processing-log record per data subject and an audit entry,
   and only then hands out the data. If the log cannot be written, nothing is returned.

Changes follow the same checks and are queued in the source-change outbox in the same
transaction as their log record, so a change is never lost and never unlogged.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db import DatabaseError, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.connectors.base import (
    Concerning,
    FactsNotSupported,
    IdentitiesNotSupported,
    Identity,
    PartyRef,
    SearchNotSupported,
    SourceUnavailable,
    connector_for,
)
from klantocratie.parties.models import Party
from klantocratie.parties.selectors import represents
from klantocratie.registry.models import DataElement, Source

from . import log, tracing
from .errors import (
    AccessDenied,
    ActivityNotValid,
    ChoiceDenies,
    GateError,
    LogWriteFailed,
    UnknownActivity,
    UnknownElement,
)
from .models import (
    AuditEntry,
    AuditOutcome,
    ChoiceKind,
    ChoiceRule,
    ChoiceStatus,
    Grant,
    PrivacyChoice,
    ProcessingActivity,
    SubjectScope,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AccessContext:
    """Who asks, in which capacity, and for which purpose."""

    actor: str
    role: str
    organisation: str
    activity: str
    # The party the actor is, when a resident acts on their own data.
    actor_party_id: int | None = None


@dataclass(frozen=True)
class ElementValue:
    code: str
    label: str
    value: Any
    source_code: str
    source_name: str
    organisation_name: str
    retrieved_at: datetime
    grant_id: int
    activity_id: str
    display_order: int = 100


@dataclass(frozen=True)
class SourceStatus:
    code: str
    name: str
    organisation_name: str
    available: bool
    detail: str
    elapsed_ms: float
    elements: tuple[str, ...] = ()


@dataclass
class ReadResult:
    party: Party
    activity: ProcessingActivity
    values: dict[str, ElementValue] = field(default_factory=dict)
    sources: list[SourceStatus] = field(default_factory=list)
    # Elements permitted but not delivered, with the reason (e.g. source unavailable).
    missing: dict[str, str] = field(default_factory=dict)
    trace_id: str = ""
    span_id: str = ""


# --- activities and grants --------------------------------------------------------------


def resolve_activity(code: str, on: date | None = None) -> ProcessingActivity:
    """The version of an activity valid on a date, or a clear error."""
    on = on or timezone.localdate()
    versions = list(
        ProcessingActivity.objects.filter(code=code)
        .select_related("controller")
        .order_by("-version")
    )
    if not versions:
        raise UnknownActivity(f"Onbekende verwerking {code!r}.")
    for activity in versions:
        if activity.valid_from <= on and (activity.valid_to is None or activity.valid_to >= on):
            return activity
    latest = versions[0]
    if latest.valid_from > on:
        raise ActivityNotValid(f"Verwerking {code!r} geldt pas vanaf {latest.valid_from:%d-%m-%Y}.")
    raise ActivityNotValid(
        f"Verwerking {code!r} is niet meer geldig (tot {latest.valid_to:%d-%m-%Y})."
    )


def _valid_on(on: date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _grants(
    ctx: AccessContext, activity: ProcessingActivity, party: Party, on: date
) -> list[Grant]:
    grants = Grant.objects.filter(
        organisation__code=ctx.organisation, role=ctx.role, activity=activity
    ).prefetch_related(
        # One query for all granted elements with their source: no per-element lookups.
        Prefetch("elements", queryset=DataElement.objects.select_related("source__organisation"))
    )
    valid = [g for g in grants.filter(_valid_on(on)) if _scope_applies(g, ctx, party)]
    if valid:
        return valid
    expired = grants.filter(valid_to__lt=on).order_by("-valid_to").first()
    if expired is not None:
        raise AccessDenied(
            f"De autorisatie voor {ctx.role} bij {ctx.organisation} onder {activity.code!r} "
            f"is verlopen op {expired.valid_to:%d-%m-%Y}.",
            field="grant",
        )
    raise AccessDenied(
        f"Geen autorisatie voor rol {ctx.role} bij {ctx.organisation} onder verwerking "
        f"{activity.code!r}.",
        field="grant",
    )


def _scope_applies(grant: Grant, ctx: AccessContext, party: Party) -> bool:
    """A grant for one's own data also covers whom one may act for (a machtiging)."""
    if grant.subject_scope == SubjectScope.ANY or ctx.actor_party_id == party.pk:
        return True
    return ctx.actor_party_id is not None and represents(ctx.actor_party_id, party.pk)


def _check_choice(activity: ProcessingActivity, party: Party, now: datetime) -> None:
    if activity.choice_rule == ChoiceRule.NONE:
        return
    kind = ChoiceKind.OPT_IN if activity.choice_rule == ChoiceRule.OPT_IN else ChoiceKind.OPT_OUT
    latest = (
        PrivacyChoice.objects.filter(
            party=party, purpose=activity.effective_choice_purpose, kind=kind, decided_at__lte=now
        )
        .order_by("-decided_at")
        .first()
    )
    in_force = (
        latest is not None
        and latest.status == ChoiceStatus.GIVEN
        and (latest.expires_at is None or latest.expires_at > now)
    )
    if kind == ChoiceKind.OPT_IN and not in_force:
        raise ChoiceDenies(
            f"Geen (geldige) toestemming van de betrokkene voor {activity.name!r}.", field="choice"
        )
    if kind == ChoiceKind.OPT_OUT and in_force:
        raise ChoiceDenies(
            f"De betrokkene heeft bezwaar gemaakt tegen {activity.name!r}.", field="choice"
        )


def permitted_elements(
    ctx: AccessContext,
    activity: ProcessingActivity,
    party: Party,
    on: date,
    *,
    change: bool = False,
) -> dict[str, tuple[DataElement, Grant]]:
    """Elements the context may view (or change) for this party, with the grant that allows it."""
    grants = _grants(ctx, activity, party, on)
    allowed: dict[str, tuple[DataElement, Grant]] = {}
    for grant in grants:
        if change and not grant.may_change:
            continue
        for element in grant.elements.all():
            if element.party_type == party.party_type and (not change or element.changeable):
                allowed.setdefault(element.code, (element, grant))
    return allowed


def _check_known_elements(codes: Sequence[str]) -> None:
    known = set(DataElement.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = sorted(set(codes) - known)
    if unknown:
        raise UnknownElement(f"Onbekend gegeven: {', '.join(unknown)}.")


# --- reading ---------------------------------------------------------------------------


def _party_ref(party: Party) -> PartyRef:
    identifier = party.primary_identifier()
    return PartyRef(identifier.identifier_type, identifier.value)


def _fetch(
    party: Party,
    allowed: dict[str, tuple[DataElement, Grant]],
    activity: ProcessingActivity,
    co_subjects: set[PartyRef] | None = None,
) -> tuple[dict[str, ElementValue], list[SourceStatus], dict[str, str]]:
    """Ask each source for its permitted elements; a failing source only marks itself.

    Other data subjects that a value is also about are added to `co_subjects`; callers
    that show only identifying elements (a search's result list) pass none.
    """
    by_source: dict[int, list[DataElement]] = defaultdict(list)
    sources: dict[int, Source] = {}
    for element, _grant in allowed.values():
        by_source[element.source_id].append(element)
        sources[element.source_id] = element.source
    ref = _party_ref(party)
    values: dict[str, ElementValue] = {}
    statuses: list[SourceStatus] = []
    missing: dict[str, str] = {}
    for source_id, elements in by_source.items():
        source = sources[source_id]
        started = time.perf_counter()
        try:
            if not source.active:
                raise SourceUnavailable("Bron staat uit.")
            answer = connector_for(source).read(ref, [e.code for e in elements])
        except SourceUnavailable as error:
            detail = str(error) or "Bron niet beschikbaar."
            available = False
        except Exception:
            # A broken connector must degrade the view, not break it: log and move on.
            logger.exception("Source %s failed while reading", source.code)
            detail, available = "Bron gaf een fout.", False
        else:
            detail, available = "", True
        retrieved_at = timezone.now()
        statuses.append(
            SourceStatus(
                code=source.code,
                name=source.name,
                organisation_name=source.organisation.name,
                available=available,
                detail=detail,
                elapsed_ms=(time.perf_counter() - started) * 1000,
                elements=tuple(e.code for e in elements),
            )
        )
        for element in elements:
            if not available:
                missing[element.code] = "Bron niet beschikbaar"
                continue
            value = answer.get(element.code)
            if isinstance(value, Concerning):
                if co_subjects is not None:
                    co_subjects.update(value.subjects)
                value = value.value
            values[element.code] = ElementValue(
                code=element.code,
                label=element.label,
                value=value,
                source_code=source.code,
                source_name=source.name,
                organisation_name=source.organisation.name,
                retrieved_at=retrieved_at,
                grant_id=allowed[element.code][1].pk,
                activity_id=activity.identifier,
                display_order=element.display_order,
            )
    return values, statuses, missing


def _audit(
    ctx: AccessContext,
    span: tracing.TraceContext,
    activity_id: str,
    operation: str,
    subject_id: str,
    elements: Iterable[str],
    outcome: str,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        at=timezone.now(),
        trace_id=span.trace_id,
        span_id=span.span_id,
        actor=ctx.actor,
        role=ctx.role,
        organisation=ctx.organisation,
        processing_activity_id=activity_id,
        operation=operation,
        data_subject_id=subject_id,
        elements=sorted(elements),
        outcome=outcome,
        reason=reason,
    )


def record_refusal(ctx: AccessContext, party: Party, operation: str, reason: str) -> None:
    """Audit a refusal a domain app makes before the gate is reached (a signal of
    another team, another resident's record), so a privacy officer sees the attempt."""
    span, _parent = _open_span()
    _audit(ctx, span, ctx.activity, operation, _subject(party)[0], [], AuditOutcome.DENIED, reason)


def _open_span() -> tuple[tracing.TraceContext, str]:
    parent = tracing.current_trace()
    if parent is None:
        return tracing.TraceContext(tracing.new_trace_id(), tracing.new_span_id()), ""
    return parent.child(), parent.span_id


def _subject(party: Party) -> tuple[str, str]:
    ref = _party_ref(party)
    return log.pseudonymise(ref.identifier_type, ref.value), ref.identifier_type


def _log_entries(
    span: tracing.TraceContext,
    parent_span_id: str,
    operation: str,
    activity: ProcessingActivity,
    subjects: Iterable[tuple[str, str]],
    started_at: datetime,
    status: str = "OK",
) -> list[log.LogEntry]:
    """One processing-log entry per (pseudonymised id, type) of a data subject."""
    ended_at = timezone.now()
    return [
        log.LogEntry(
            trace_id=span.trace_id,
            span_id=span.span_id,
            parent_span_id=parent_span_id,
            operation=operation,
            processing_activity_id=activity.identifier,
            data_subject_id=subject_id,
            data_subject_type=subject_type,
            start_time=started_at,
            end_time=ended_at,
            status=status,
        )
        for subject_id, subject_type in subjects
    ]


def read(
    ctx: AccessContext,
    party: Party,
    elements: Sequence[str] | None = None,
    *,
    operation: str = "read",
) -> ReadResult:
    """Read the permitted elements of one party (all permitted ones when none are named)."""
    started_at = timezone.now()
    span, parent_span_id = _open_span()
    subject_id, subject_type = _subject(party)
    try:
        activity = resolve_activity(ctx.activity, timezone.localdate(started_at))
        if elements is not None:
            _check_known_elements(elements)
        allowed = permitted_elements(ctx, activity, party, timezone.localdate())
        _check_choice(activity, party, started_at)
    except (AccessDenied, ActivityNotValid, UnknownActivity, UnknownElement) as error:
        _audit(
            ctx,
            span,
            ctx.activity,
            operation,
            subject_id,
            elements or [],
            AuditOutcome.DENIED,
            error.message,
        )
        raise
    if elements is not None:
        refused = sorted(set(elements) - set(allowed))
        if refused and len(refused) == len(set(elements)):
            reason = f"Geen autorisatie voor: {', '.join(refused)}."
            _audit(
                ctx,
                span,
                activity.identifier,
                operation,
                subject_id,
                elements,
                AuditOutcome.DENIED,
                reason,
            )
            raise AccessDenied(reason, field="elements")
        allowed = {code: allowed[code] for code in elements if code in allowed}

    co_subjects: set[PartyRef] = set()
    values, statuses, missing = _fetch(party, allowed, activity, co_subjects)
    others = {
        (log.pseudonymise(ref.identifier_type, ref.value), ref.identifier_type)
        for ref in co_subjects
    } - {(subject_id, subject_type)}
    subjects = [(subject_id, subject_type), *sorted(others)]
    status = "OK" if values or not allowed else "ERROR"
    entries = _log_entries(span, parent_span_id, operation, activity, subjects, started_at, status)
    outcome = AuditOutcome.ALLOWED
    if elements is not None and len(allowed) < len(set(elements)):
        outcome = AuditOutcome.PARTIAL
    try:
        with transaction.atomic():
            log.append(entries)
            _audit(ctx, span, activity.identifier, operation, subject_id, values.keys(), outcome)
    except DatabaseError as error:
        logger.exception("Processing log write failed; read of %s withheld", subject_type)
        raise LogWriteFailed(
            "Het verwerkingslogboek kon niet worden bijgewerkt; er zijn geen gegevens getoond."
        ) from error
    return ReadResult(
        party=party,
        activity=activity,
        values=values,
        sources=statuses,
        missing=missing,
        trace_id=span.trace_id,
        span_id=span.span_id,
    )


# --- changing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeResult:
    element: str
    status: str  # a connectors.models.ChangeStatus value
    message: str
    change_id: int
    trace_id: str


def change(ctx: AccessContext, party: Party, element: str, value: Any) -> ChangeResult:
    """Change one element at the source that owns it.

    The change is queued and logged in one transaction, then delivered at once; if the
    source is down it stays queued and is retried (connectors.services.deliver_pending).
    """
    from klantocratie.connectors.models import ChangeStatus, SourceChange
    from klantocratie.connectors.services import deliver

    started_at = timezone.now()
    span, parent_span_id = _open_span()
    subject_id, subject_type = _subject(party)
    try:
        activity = resolve_activity(ctx.activity, timezone.localdate(started_at))
        _check_known_elements([element])
        allowed = permitted_elements(ctx, activity, party, timezone.localdate(), change=True)
        if element not in allowed:
            raise AccessDenied(f"Geen autorisatie om {element} te wijzigen.", field="element")
        _check_choice(activity, party, started_at)
    except (AccessDenied, ActivityNotValid, UnknownActivity, UnknownElement) as error:
        _audit(
            ctx,
            span,
            ctx.activity,
            "change",
            subject_id,
            [element],
            AuditOutcome.DENIED,
            error.message,
        )
        raise
    data_element = allowed[element][0]
    ref = _party_ref(party)
    try:
        with transaction.atomic():
            queued = SourceChange.objects.create(
                source=data_element.source,
                element=data_element,
                party=party,
                identifier_type=ref.identifier_type,
                identifier_value=ref.value,
                value=value,
                next_attempt_at=started_at,
                requested_by=ctx.actor,
                trace_id=span.trace_id,
            )
            log.append(
                _log_entries(
                    span,
                    parent_span_id,
                    "change",
                    activity,
                    [(subject_id, subject_type)],
                    started_at,
                )
            )
            _audit(
                ctx,
                span,
                activity.identifier,
                "change",
                subject_id,
                [element],
                AuditOutcome.ALLOWED,
            )
    except DatabaseError as error:
        logger.exception("Processing log write failed; change of %s not queued", element)
        raise LogWriteFailed(
            "Het verwerkingslogboek kon niet worden bijgewerkt; er is niets gewijzigd."
        ) from error

    delivered = deliver(queued)
    messages = {
        ChangeStatus.DELIVERED: f"{data_element.label} is gewijzigd bij {data_element.source.name}.",
        ChangeStatus.REJECTED: f"{data_element.source.name} weigerde de wijziging: {delivered.last_error}",
        ChangeStatus.PENDING: f"{data_element.source.name} is nu niet bereikbaar; de wijziging staat klaar "
        "en wordt automatisch opnieuw aangeboden.",
    }
    return ChangeResult(
        element=element,
        status=delivered.status,
        message=messages[ChangeStatus(delivered.status)],
        change_id=delivered.pk,
        trace_id=span.trace_id,
    )


# --- records a domain app owns ---------------------------------------------------------


@dataclass(frozen=True)
class Permit:
    """What an `access` block may do: the activity version and the elements it covers."""

    activity: ProcessingActivity
    elements: dict[str, tuple[DataElement, Grant]]
    trace_id: str
    span_id: str


@contextmanager
def access(
    ctx: AccessContext,
    parties: Sequence[Party],
    elements: Sequence[str],
    *,
    operation: str,
    change: bool = False,
) -> Iterator[Permit]:
    """Guard work on records that a domain app keeps itself (contacts, cases, tasks).

    Connectors serve the elements of outside registries; apps such as the contact
    registry own their tables and call this instead. Every named element must be
    permitted for every party (read, or change when `change`), the activity valid and
    each party's choices respected. The block runs in one transaction with one
    processing-log record per data subject and an audit entry each: if the log cannot
    be written, the block's work is rolled back and LogWriteFailed is raised.
    """
    started_at = timezone.now()
    span, parent_span_id = _open_span()
    unique = list({party.pk: party for party in parties}.values())
    subjects = {party.pk: _subject(party) for party in unique}
    permits: dict[str, tuple[DataElement, Grant]] = {}
    current: Party | None = None
    try:
        activity = resolve_activity(ctx.activity, timezone.localdate(started_at))
        _check_known_elements(elements)
        for current in unique:
            allowed = permitted_elements(
                ctx, activity, current, timezone.localdate(), change=change
            )
            refused = sorted(set(elements) - set(allowed))
            if refused:
                verb = "wijzigen" if change else "inzien"
                raise AccessDenied(
                    f"Geen autorisatie om {', '.join(refused)} te {verb}.", field="elements"
                )
            _check_choice(activity, current, started_at)
            for code in elements:
                permits.setdefault(code, allowed[code])
    except (AccessDenied, ActivityNotValid, UnknownActivity, UnknownElement) as error:
        denied = [current] if current is not None else unique
        for party in denied:
            _audit(
                ctx,
                span,
                ctx.activity,
                operation,
                subjects[party.pk][0],
                elements,
                AuditOutcome.DENIED,
                error.message,
            )
        raise
    permit = Permit(
        activity=activity, elements=permits, trace_id=span.trace_id, span_id=span.span_id
    )
    try:
        with transaction.atomic():
            yield permit
            try:
                log.append(
                    _log_entries(
                        span,
                        parent_span_id,
                        operation,
                        activity,
                        [subjects[party.pk] for party in unique],
                        started_at,
                    )
                )
                for party in unique:
                    _audit(
                        ctx,
                        span,
                        activity.identifier,
                        operation,
                        subjects[party.pk][0],
                        elements,
                        AuditOutcome.ALLOWED,
                    )
            except DatabaseError as error:
                raise _LogFailure from error
    except _LogFailure as failure:
        logger.exception("Processing log write failed; %s withheld", operation)
        raise LogWriteFailed(
            "Het verwerkingslogboek kon niet worden bijgewerkt; de handeling is niet uitgevoerd."
        ) from failure.__cause__


@contextmanager
def access_per_type(
    ctx: AccessContext,
    parties: Sequence[Party],
    elements_by_type: Mapping[str, Sequence[str]],
    *,
    operation: str,
    change: bool = False,
) -> Iterator[str]:
    """`access` for a record that involves persons and businesses alike.

    Elements belong to one party type, so each type present gets its own `access` over
    its own element codes; the block is one transaction (also when no party is
    involved) and yields the trace id. The first `access` is entered outside the
    caller's transaction, so the audit entry of a refusal survives the rollback that
    the refusal causes.
    """
    by_type: dict[str, list[Party]] = {}
    for party in parties:
        by_type.setdefault(party.party_type, []).append(party)
    if not by_type:
        with transaction.atomic():
            yield ""
        return
    with ExitStack() as stack:
        trace_id = ""
        for party_type, group in sorted(by_type.items()):
            permit = stack.enter_context(
                access(ctx, group, elements_by_type[party_type], operation=operation, change=change)
            )
            trace_id = trace_id or permit.trace_id
        yield trace_id


class _LogFailure(Exception):
    """Carries a log-write error out of the atomic block so the block rolls back first."""


# --- finding parties -------------------------------------------------------------------

# A search answers with a short list to choose from, never a register extract.
MAX_FOUND = 20


@dataclass(frozen=True)
class FoundParty:
    """One party a search found, with the summary elements the requester may see."""

    party: Party
    values: dict[str, ElementValue]


@dataclass
class FindResult:
    found: list[FoundParty]
    # More parties matched than are listed; the requester should narrow the search.
    truncated: bool
    sources: list[SourceStatus]
    trace_id: str


def _searchable_grants(
    ctx: AccessContext, activity: ProcessingActivity, on: date
) -> dict[str, DataElement]:
    """Elements the context may view of any party: the ones it may search by."""
    grants = (
        Grant.objects.filter(
            organisation__code=ctx.organisation,
            role=ctx.role,
            activity=activity,
            subject_scope=SubjectScope.ANY,
        )
        .filter(_valid_on(on))
        .prefetch_related(
            Prefetch(
                "elements", queryset=DataElement.objects.select_related("source__organisation")
            )
        )
    )
    return {element.code: element for grant in grants for element in grant.elements.all()}


def _ask_sources(
    criteria: Mapping[str, Any], elements: dict[str, DataElement]
) -> tuple[list[PartyRef] | None, list[SourceStatus]]:
    """Each owning source answers for its own criteria; a party must satisfy them all.

    Returns None instead of a list when a source could not answer.
    """
    by_source: dict[int, dict[str, Any]] = defaultdict(dict)
    sources: dict[int, Source] = {}
    for code, value in criteria.items():
        by_source[elements[code].source_id][code] = value
        sources[elements[code].source_id] = elements[code].source
    matches: list[PartyRef] | None = []
    statuses: list[SourceStatus] = []
    for position, (source_id, own) in enumerate(by_source.items()):
        source = sources[source_id]
        started = time.perf_counter()
        try:
            if not source.active:
                raise SourceUnavailable("Bron staat uit.")
            refs = connector_for(source).find(own)
        except SourceUnavailable as error:
            refs, detail = None, str(error) or "Bron niet beschikbaar."
        except SearchNotSupported:
            raise
        except Exception:
            logger.exception("Source %s failed while searching", source.code)
            refs, detail = None, "Bron gaf een fout."
        else:
            detail = ""
        statuses.append(
            SourceStatus(
                code=source.code,
                name=source.name,
                organisation_name=source.organisation.name,
                available=refs is not None,
                detail=detail,
                elapsed_ms=(time.perf_counter() - started) * 1000,
                elements=tuple(own),
            )
        )
        if refs is None or matches is None:
            matches = None
            continue
        if position == 0:
            matches = list(dict.fromkeys(refs))
        else:
            wanted = set(refs)
            matches = [ref for ref in matches if ref in wanted]
    return matches, statuses


def _parties_for(refs: Sequence[PartyRef]) -> list[Party]:
    """The registered parties behind source references, in the sources' order."""
    values_by_type: dict[str, list[str]] = defaultdict(list)
    for ref in refs:
        values_by_type[ref.identifier_type].append(ref.value)
    if not values_by_type:
        return []
    query = Q()
    for identifier_type, values in values_by_type.items():
        query |= Q(identifiers__identifier_type=identifier_type, identifiers__value__in=values)
    parties = Party.objects.filter(query).prefetch_related("identifiers").distinct()
    by_ref: dict[tuple[str, str], Party] = {}
    for party in parties:
        for identifier in party.identifiers.all():
            by_ref[(identifier.identifier_type, identifier.value)] = party
    ordered = [by_ref.get((ref.identifier_type, ref.value)) for ref in refs]
    return list({p.pk: p for p in ordered if p is not None}.values())


def find(
    ctx: AccessContext,
    criteria: Mapping[str, Any],
    *,
    show: Sequence[str] = (),
) -> FindResult:
    """Find parties by attributes, asking the sources that own those attributes.

    The requester needs a grant (for any party, not only themselves) on every element
    used as a criterion. Each party found gets one processing-log record (operation
    "search") and an audit entry; the `show` elements it may see (e.g. name and
    address, so an agent can pick the right person from a list) are read from their
    sources under that same record. Parties whose choices exclude the activity are left
    out. A search that finds nobody processed nobody's data: it is audited, not logged.
    """
    started_at = timezone.now()
    span, parent_span_id = _open_span()
    codes = sorted(criteria)
    try:
        if not codes:
            raise UnknownElement("Geef minstens één zoekgegeven.")
        activity = resolve_activity(ctx.activity, timezone.localdate(started_at))
        _check_known_elements(codes)
        searchable = _searchable_grants(ctx, activity, timezone.localdate())
        refused = [code for code in codes if code not in searchable]
        if refused:
            raise AccessDenied(
                f"Geen autorisatie om te zoeken op: {', '.join(refused)}.", field="criteria"
            )
        for code in codes:
            source = searchable[code].source
            if code not in connector_for(source).searchable():
                raise AccessDenied(
                    f"Bron {source.name} kan niet zoeken op {searchable[code].label.lower()}.",
                    field="criteria",
                )
    except (AccessDenied, ActivityNotValid, UnknownActivity, UnknownElement) as error:
        _audit(ctx, span, ctx.activity, "search", "", codes, AuditOutcome.DENIED, error.message)
        raise

    try:
        refs, statuses = _ask_sources(criteria, searchable)
    except SearchNotSupported as error:
        _audit(ctx, span, activity.identifier, "search", "", codes, AuditOutcome.DENIED, str(error))
        raise GateError(str(error), field="criteria") from error
    if refs is None:
        down = ", ".join(s.name for s in statuses if not s.available)
        reason = f"Zoeken lukt nu niet: {down} is niet bereikbaar."
        _audit(ctx, span, activity.identifier, "search", "", codes, AuditOutcome.FAILED, reason)
        raise SourceUnavailable(reason)
    # A few more than are listed: some may be unregistered or have excluded the activity.
    considered = refs[: MAX_FOUND * 2]
    candidates = _parties_for(considered)
    today = timezone.localdate()
    found: list[FoundParty] = []
    truncated = len(refs) > len(considered)
    for party in candidates:
        try:
            _check_choice(activity, party, started_at)
            allowed = permitted_elements(ctx, activity, party, today)
        except AccessDenied:
            continue
        if len(found) == MAX_FOUND:
            truncated = True
            break
        shown = {code: allowed[code] for code in show if code in allowed}
        values, _statuses, _missing = _fetch(party, shown, activity) if shown else ({}, [], {})
        found.append(FoundParty(party=party, values=values))

    subjects = [_subject(item.party) for item in found]
    try:
        with transaction.atomic():
            log.append(_log_entries(span, parent_span_id, "search", activity, subjects, started_at))
            for (subject_id, _type), item in zip(subjects, found, strict=True):
                _audit(
                    ctx,
                    span,
                    activity.identifier,
                    "search",
                    subject_id,
                    [*codes, *item.values],
                    AuditOutcome.ALLOWED,
                )
            if not found:
                _audit(ctx, span, activity.identifier, "search", "", codes, AuditOutcome.ALLOWED)
    except DatabaseError as error:
        logger.exception("Processing log write failed; search results withheld")
        raise LogWriteFailed(
            "Het verwerkingslogboek kon niet worden bijgewerkt; er zijn geen zoekresultaten getoond."
        ) from error
    return FindResult(found=found, truncated=truncated, sources=statuses, trace_id=span.trace_id)


# --- extracting facts for analysis ----------------------------------------------------

# One analytic fact: subject pseudonym, kind, date, category, amount, organisation code,
# source code, element code, the source's record id. docs/signals.md describes them.
FactRow = tuple[str, str, date | None, str, float | None, str, str, str, str]

_LOG_CHUNK = 20_000
Row = TypeVar("Row")


@dataclass(frozen=True)
class ExtractSummary:
    activity: ProcessingActivity
    subjects: int
    facts: int
    # Parties left out because their own choice excludes the activity.
    excluded: int
    trace_id: str
    # Pseudonym -> the party reference, kept in memory only: whoever acts on a result
    # (a signal for a person) needs to know whom it is about; the snapshot never says.
    subject_refs: dict[str, PartyRef]


def _excluded_by_choice(
    activity: ProcessingActivity, now: datetime, parties: Sequence[Party] | None = None
) -> tuple[bool, set[PartyRef]]:
    """(only_these, refs): the parties an activity must leave out, or the only ones it
    may include, by their own choices in force now. With `parties`, only theirs are
    read: one event's re-evaluation must not load everybody's choices."""
    if activity.choice_rule == ChoiceRule.NONE:
        return False, set()
    kind = ChoiceKind.OPT_IN if activity.choice_rule == ChoiceRule.OPT_IN else ChoiceKind.OPT_OUT
    latest: dict[int, PrivacyChoice] = {}
    choices = PrivacyChoice.objects.filter(
        purpose=activity.effective_choice_purpose, kind=kind, decided_at__lte=now
    ).order_by("party_id", "decided_at", "pk")
    if parties is not None:
        choices = choices.filter(party__in=parties)
    for choice in choices.iterator(chunk_size=10_000):
        latest[choice.party_id] = choice
    in_force = [
        party_id
        for party_id, choice in latest.items()
        if choice.status == ChoiceStatus.GIVEN
        and (choice.expires_at is None or choice.expires_at > now)
    ]
    refs: set[PartyRef] = set()
    for party in Party.objects.filter(pk__in=in_force).prefetch_related("identifiers"):
        refs.update(PartyRef(i.identifier_type, i.value) for i in party.identifiers.all())
    return kind == ChoiceKind.OPT_IN, refs


class _Batches(Generic[Row]):
    """Rows handed to a bulk extraction's sink in batches, with progress after each."""

    def __init__(
        self,
        sink: Callable[[list[Row]], None],
        size: int,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        self.sink, self.size, self.on_progress = sink, size, on_progress
        self.rows: list[Row] = []
        self.handed_out = 0

    def add(self, row: Row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.sink(self.rows)
        self.handed_out += len(self.rows)
        self.rows = []
        if self.on_progress:
            self.on_progress(self.handed_out)


def _log_bulk(
    ctx: AccessContext,
    span: tracing.TraceContext,
    parent_span_id: str,
    operation: str,
    activity: ProcessingActivity,
    codes: Sequence[str],
    subjects: Sequence[tuple[str, str]],
    started_at: datetime,
    summary: str,
) -> None:
    """One log record per data subject of a bulk extraction and one audit entry, in one
    transaction; if that fails the caller must discard what it handed out."""
    try:
        with transaction.atomic():
            for start in range(0, len(subjects), _LOG_CHUNK):
                log.append(
                    _log_entries(
                        span,
                        parent_span_id,
                        operation,
                        activity,
                        subjects[start : start + _LOG_CHUNK],
                        started_at,
                    )
                )
            _audit(
                ctx, span, activity.identifier, operation, "", codes, AuditOutcome.ALLOWED, summary
            )
    except DatabaseError as error:
        logger.exception("Processing log write failed; extraction withheld")
        raise LogWriteFailed(
            "Het verwerkingslogboek kon niet worden bijgewerkt; de extractie is ongeldig."
        ) from error


def extract(
    ctx: AccessContext,
    elements: Sequence[str],
    sink: Callable[[list[FactRow]], None],
    *,
    parties: Sequence[Party] | None = None,
    operation: str = "extract",
    batch_size: int = 50_000,
    on_progress: Callable[[int], None] | None = None,
) -> ExtractSummary:
    """Hand the facts behind `elements` to `sink`, pseudonymised, for analysis.

    This is how signal rules and area trends get their data: in bulk, for everybody
    (or for `parties` only, when one event re-evaluates the parties it touches), but
    under the same register, grants and choices as a single read. The requester needs
    a grant covering every element for any data subject; parties whose choices
    exclude the activity are left out before their facts reach the sink. Every data
    subject whose facts were handed out gets a processing-log record; if the log
    cannot be written, LogWriteFailed is raised and the caller must discard what the
    sink received. One audit entry records the extraction as a whole.
    """
    started_at = timezone.now()
    span, parent_span_id = _open_span()
    codes = sorted(set(elements))
    try:
        if not codes:
            raise UnknownElement("Geef minstens één gegeven om te extraheren.")
        activity = resolve_activity(ctx.activity, timezone.localdate(started_at))
        _check_known_elements(codes)
        granted = _searchable_grants(ctx, activity, timezone.localdate(started_at))
        refused = [code for code in codes if code not in granted]
        if refused:
            raise AccessDenied(
                f"Geen autorisatie om te extraheren onder {activity.code!r}: {', '.join(refused)}.",
                field="elements",
            )
        by_source: dict[int, list[DataElement]] = defaultdict(list)
        for code in codes:
            by_source[granted[code].source_id].append(granted[code])
        for source_elements in by_source.values():
            source = source_elements[0].source
            unsupported = sorted(
                {e.code for e in source_elements} - connector_for(source).fact_elements()
            )
            if unsupported:
                raise AccessDenied(
                    f"Bron {source.name} levert geen analysefeiten voor {', '.join(unsupported)}.",
                    field="elements",
                )
    except (AccessDenied, ActivityNotValid, UnknownActivity, UnknownElement) as error:
        _audit(ctx, span, ctx.activity, operation, "", codes, AuditOutcome.DENIED, error.message)
        raise

    only_these, chosen = _excluded_by_choice(activity, started_at, parties)
    wanted = None if parties is None else {_party_ref(party) for party in parties}
    pseudonyms: dict[PartyRef, str] = {}
    subject_refs: dict[str, PartyRef] = {}
    excluded: set[PartyRef] = set()
    batches: _Batches[FactRow] = _Batches(sink, batch_size, on_progress)
    for element in (granted[code] for code in codes):
        source = element.source
        organisation = source.organisation.code
        try:
            if not source.active:
                raise SourceUnavailable(f"Bron {source.name} staat uit.")
            for fact in connector_for(source).facts([element.code], wanted):
                ref = fact.party
                if (ref in chosen) != only_these:
                    excluded.add(ref)
                    continue
                subject = pseudonyms.get(ref)
                if subject is None:
                    subject = log.pseudonymise(ref.identifier_type, ref.value)
                    pseudonyms[ref] = subject
                    subject_refs[subject] = ref
                batches.add(
                    (
                        subject,
                        fact.kind,
                        fact.at,
                        fact.category,
                        fact.amount,
                        fact.organisation or organisation,
                        source.code,
                        element.code,
                        fact.reference,
                    )
                )
        except (SourceUnavailable, FactsNotSupported) as error:
            # A snapshot with a source missing would make rules silently miss people.
            reason = str(error) or f"Bron {source.name} niet beschikbaar."
            _audit(
                ctx, span, activity.identifier, operation, "", codes, AuditOutcome.FAILED, reason
            )
            raise SourceUnavailable(reason) from error
    batches.flush()
    facts = batches.handed_out

    subjects = [(pseudonym, ref.identifier_type) for ref, pseudonym in pseudonyms.items()]
    _log_bulk(
        ctx,
        span,
        parent_span_id,
        operation,
        activity,
        codes,
        subjects,
        started_at,
        f"{len(subjects)} betrokkenen, {facts} feiten, {len(excluded)} uitgesloten op eigen keuze.",
    )
    return ExtractSummary(
        activity=activity,
        subjects=len(subjects),
        facts=facts,
        excluded=len(excluded),
        trace_id=span.trace_id,
        subject_refs=subject_refs,
    )


# (pseudonym, surname, voorvoegsel, given names, birth date, street, house number,
#  addition, postcode, city, earlier postcodes): a person as record linkage sees them.
IdentityRow = tuple[str, str, str, str, str, str, int | None, str, str, str, tuple[str, ...]]


def extract_identities(
    ctx: AccessContext,
    sink: Callable[[list[IdentityRow]], None],
    *,
    operation: str = "extract-identities",
    batch_size: int = 50_000,
    on_progress: Callable[[int], None] | None = None,
) -> ExtractSummary:
    """Hand every person's identity (name, birth date, address) to `sink`, pseudonymised,
    for linking partner records that carry no BSN.

    The requester needs a grant for any party on every element an identity is made of
    (the population register's name, birth and address). Parties whose choices exclude
    the activity are left out; everyone handed out gets a log record, as in `extract`.
    The pseudonym -> party mapping stays in memory, in the summary, so only the linkage
    that acts on a match learns whom it is about.
    """
    started_at = timezone.now()
    span, parent_span_id = _open_span()
    codes: list[str] = []
    try:
        if ctx.role != Role.ANALYTICS:
            # A desk role may look one person up by name; everyone at once is batch work.
            raise AccessDenied(
                "Alleen de koppelomgeving leest de identiteit van alle personen.", field="role"
            )
        activity = resolve_activity(ctx.activity, timezone.localdate(started_at))
        granted = _searchable_grants(ctx, activity, timezone.localdate(started_at))
        source = None
        for candidate in Source.objects.filter(active=True).select_related("organisation"):
            made_of = connector_for(candidate).identity_elements()
            if made_of and made_of <= granted.keys():
                source, codes = candidate, sorted(made_of)
                break
        if source is None:
            raise AccessDenied(
                f"Geen autorisatie om personen te identificeren onder {activity.code!r}: "
                "daarvoor zijn naam, geboorte en adres uit de basisregistratie nodig.",
                field="activity",
            )
    except (AccessDenied, ActivityNotValid, UnknownActivity) as error:
        _audit(ctx, span, ctx.activity, operation, "", codes, AuditOutcome.DENIED, error.message)
        raise

    only_these, chosen = _excluded_by_choice(activity, started_at)
    pseudonyms: dict[PartyRef, str] = {}
    subject_refs: dict[str, PartyRef] = {}
    excluded = 0
    batches: _Batches[IdentityRow] = _Batches(sink, batch_size, on_progress)
    try:
        identity: Identity
        for identity in connector_for(source).identities():
            ref = identity.party
            if (ref in chosen) != only_these:
                excluded += 1
                continue
            subject = log.pseudonymise(ref.identifier_type, ref.value)
            pseudonyms[ref] = subject
            subject_refs[subject] = ref
            batches.add(
                (
                    subject,
                    identity.surname,
                    identity.surname_prefix,
                    identity.given_names,
                    identity.birth_date,
                    identity.street,
                    identity.house_number,
                    identity.house_number_addition,
                    identity.postcode,
                    identity.city,
                    identity.previous_postcodes,
                )
            )
    except (SourceUnavailable, IdentitiesNotSupported) as error:
        reason = str(error) or f"Bron {source.name} niet beschikbaar."
        _audit(ctx, span, activity.identifier, operation, "", codes, AuditOutcome.FAILED, reason)
        raise SourceUnavailable(reason) from error
    batches.flush()

    subjects = [(pseudonym, ref.identifier_type) for ref, pseudonym in pseudonyms.items()]
    _log_bulk(
        ctx,
        span,
        parent_span_id,
        operation,
        activity,
        codes,
        subjects,
        started_at,
        f"{len(subjects)} personen voor koppeling, {excluded} uitgesloten op eigen keuze.",
    )
    return ExtractSummary(
        activity=activity,
        subjects=len(subjects),
        facts=batches.handed_out,
        excluded=excluded,
        trace_id=span.trace_id,
        subject_refs=subject_refs,
    )
