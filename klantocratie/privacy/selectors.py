"""Reads of a person's own privacy: their choices, and the processing log about them.

These read the gate's own records (the register, choices, log and audit trail), not a
source: callers record the reading itself through the gate first (see the portal's
choices and log views), so that looking at one's log is logged too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import Exact
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.accounts.roles import Role
from klantocratie.parties.models import Party
from klantocratie.registry.models import Organisation

from . import log
from .models import (
    AuditEntry,
    ChoiceKind,
    ChoicePurpose,
    ChoiceStatus,
    Grant,
    PrivacyChoice,
    ProcessingActivity,
    ProcessingLogRecord,
)

# --- choices --------------------------------------------------------------------------------


def latest_choice(party: Party, purpose: ChoicePurpose) -> PrivacyChoice | None:
    """The choice that counts: the latest one about this purpose (as the gate reads it)."""
    now = timezone.now()
    return (
        PrivacyChoice.objects.filter(
            party=party, purpose=purpose.code, kind=purpose.kind, decided_at__lte=now
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def in_force(choice: PrivacyChoice | None) -> bool:
    return (
        choice is not None
        and choice.status == ChoiceStatus.GIVEN
        and (choice.expires_at is None or choice.expires_at > timezone.now())
    )


def activities_of(purpose: ChoicePurpose, on: date | None = None) -> list[ProcessingActivity]:
    """The versions in force of the activities a purpose governs."""
    on = on or timezone.localdate()
    found = (
        ProcessingActivity.objects.filter(code__in=purpose.activities, valid_from__lte=on)
        .exclude(valid_to__lt=on)
        .select_related("controller")
        .order_by("code", "-version")
    )
    return list({a.code: a for a in reversed(list(found))}.values())


def organisations_concerned(activities: Iterable[ProcessingActivity]) -> list[str]:
    """Who is concerned by a choice: the controllers, the organisations granted the
    activities, and those whose sources hold the data combined under them."""
    activities = list(activities)
    today = timezone.localdate()
    names = {a.controller.name for a in activities}
    grants = (
        Grant.objects.filter(activity__in=activities, valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .select_related("organisation")
        .prefetch_related("elements__source__organisation")
    )
    for grant in grants:
        names.add(grant.organisation.name)
        names.update(element.source.organisation.name for element in grant.elements.all())
    return sorted(names)


@dataclass(frozen=True)
class PurposeState:
    """One choosable purpose with what it governs and the person's choice that counts."""

    purpose: ChoicePurpose
    activities: list[ProcessingActivity]
    organisations: list[str]
    latest: PrivacyChoice | None

    @property
    def in_force(self) -> bool:
        return in_force(self.latest)

    @property
    def is_objection(self) -> bool:
        return self.purpose.kind == ChoiceKind.OPT_OUT


def choice_overview(party: Party) -> list[PurposeState]:
    states = []
    for purpose in ChoicePurpose.objects.all():
        activities = activities_of(purpose)
        states.append(
            PurposeState(
                purpose=purpose,
                activities=activities,
                organisations=organisations_concerned(activities),
                latest=latest_choice(party, purpose),
            )
        )
    return states


def choice_history(party: Party) -> QuerySet[PrivacyChoice]:
    """Every choice the party made, newest first, with its purpose's title."""
    title = ChoicePurpose.objects.filter(code=OuterRef("purpose")).values("title")[:1]
    return (
        PrivacyChoice.objects.filter(party=party)
        .annotate(purpose_title=Coalesce(Subquery(title), F("purpose"), output_field=CharField()))
        .order_by("-decided_at", "-pk")
    )


def receipt_choice(party: Party, receipt_uuid: str) -> PrivacyChoice | None:
    """A choice by its receipt number, only if it is this party's."""
    return PrivacyChoice.objects.filter(party=party, uuid=receipt_uuid).first()


def purpose_title(code: str) -> str:
    """The title the person knows a purpose by; its code if it is no longer described."""
    title = ChoicePurpose.objects.filter(code=code).values_list("title", flat=True).first()
    return title or code


# --- the processing log about a person ------------------------------------------------------


def subject_pseudonyms(party: Party) -> list[str]:
    """Every pseudonym the log may know the party by: one per identifier it has (a
    business by KvK and RSIN alike), as a co-subject may be logged under any of them."""
    return sorted(
        log.pseudonymise(identifier.identifier_type, identifier.value)
        for identifier in party.identifiers.all()
    )


def log_total(party: Party) -> int:
    """How many log records are about the party: the page's count must equal this."""
    return ProcessingLogRecord.objects.filter(data_subject_id__in=subject_pseudonyms(party)).count()


@dataclass(frozen=True)
class LogFilter:
    organisation: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _audit_of_span(field: str) -> Subquery:
    return Subquery(
        AuditEntry.objects.filter(
            trace_id=OuterRef("trace_id"), span_id=OuterRef("span_id")
        ).values(field)[:1]
    )


def _controller_of_activity() -> Subquery:
    identifier = Concat("code", Value("@"), Cast("version", CharField()), output_field=CharField())
    return Subquery(
        ProcessingActivity.objects.annotate(register_id=identifier)
        .filter(Q(register_id=OuterRef("processing_activity_id")))
        .values("controller__code")[:1]
    )


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def log_records(party: Party, filters: LogFilter | None = None) -> QuerySet[ProcessingLogRecord]:
    """The party's log records, newest first, each annotated with the organisation that
    processed (from the audit entry of the same span, else the activity's controller),
    and the role and account of who did it (used to tell the person's own visits apart;
    the account is never shown)."""
    filters = filters or LogFilter()
    records = (
        ProcessingLogRecord.objects.filter(data_subject_id__in=subject_pseudonyms(party))
        .annotate(
            organisation_code=Coalesce(
                _audit_of_span("organisation"), _controller_of_activity(), output_field=CharField()
            ),
            audit_role=_audit_of_span("role"),
            audit_actor=_audit_of_span("actor"),
        )
        .order_by("-sequence")
    )
    if filters.organisation:
        records = records.filter(Exact(F("organisation_code"), filters.organisation))
    if filters.date_from:
        records = records.filter(start_time__gte=_start_of(filters.date_from))
    if filters.date_to:
        records = records.filter(start_time__lt=_start_of(filters.date_to) + timedelta(days=1))
    return records


def log_organisations(party: Party) -> list[Organisation]:
    """The organisations that appear in the party's log, for the filter."""
    codes = set(log_records(party).values_list(F("organisation_code"), flat=True))
    return list(Organisation.objects.filter(code__in=codes).order_by("name"))


@dataclass(frozen=True)
class LogLine:
    """One log record as the person sees it: never the employee, always the why."""

    record: ProcessingLogRecord
    organisation: str
    activity: ProcessingActivity | None
    # The role that processed ('' when no audit entry was found), never the person.
    role: str
    by_themselves: bool

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role in Role.values else ""

    @property
    def by_resident(self) -> bool:
        return self.role == Role.RESIDENT

    @property
    def by_system(self) -> bool:
        return self.role == Role.ANALYTICS

    @property
    def succeeded(self) -> bool:
        return self.record.status == "OK"


def own_accounts(party: Party) -> set[str]:
    """The usernames the party itself logs in with on the personal page."""
    return set(
        Membership.objects.filter(party=party, role=Role.RESIDENT).values_list(
            "user__username", flat=True
        )
    )


def log_lines(party: Party, records: Iterable[ProcessingLogRecord]) -> list[LogLine]:
    """Explain one page of records with the register and the organisations' names."""
    records = list(records)
    identifiers = {r.processing_activity_id for r in records}
    activities = {
        a.identifier: a
        for a in ProcessingActivity.objects.filter(
            code__in={i.partition("@")[0] for i in identifiers}
        ).select_related("controller")
    }
    names = dict(Organisation.objects.values_list("code", "name"))
    mine = own_accounts(party)
    lines = []
    for record in records:
        code = getattr(record, "organisation_code", "") or ""
        role = getattr(record, "audit_role", "") or ""
        lines.append(
            LogLine(
                record=record,
                organisation=names.get(code, code),
                activity=activities.get(record.processing_activity_id),
                role=role,
                by_themselves=role == Role.RESIDENT and getattr(record, "audit_actor", "") in mine,
            )
        )
    return lines
