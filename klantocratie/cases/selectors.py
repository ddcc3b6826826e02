"""Reads of cases and case types. Querysets here carry no gate check: the view or API
that hands their rows to a person opens the gate over the parties on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from klantocratie.registry.models import Organisation

from .models import (
    Case,
    CaseRole,
    CaseStatus,
    CaseTask,
    CaseTypeVersion,
    TaskState,
    VersionState,
)

# A deadline this close counts as "nearly due" in the work queue.
WARNING_DAYS = 7

QUEUE_ORDERINGS = {
    "deadline": ("deadline", "identification"),
    "-deadline": ("-deadline", "identification"),
    "start": ("start_date", "identification"),
    "-start": ("-start_date", "identification"),
    "zaaktype": ("case_type_version__description", "deadline"),
    "status": ("current_status__status_type__order", "deadline"),
}


def with_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related(
        "organisation",
        "case_type_version__case_type",
        "current_status__status_type",
        "assigned_to",
        "result__result_type",
    )


def cases_for_identifier(identifier_type: str, value: str) -> QuerySet[Case]:
    """Every case in which the party with this BSN or KvK number has a role."""
    # The case ids are fetched first: as a subquery, the IN came after the details' nine
    # joins, beyond PostgreSQL's join_collapse_limit, which then joined every case before
    # filtering (9 s a person at 1,000,000 cases instead of a few ms).
    ids = CaseRole.objects.filter(identifier_type=identifier_type, identifier=value)
    return with_details(
        Case.objects.filter(pk__in=list(ids.values_list("case_id", flat=True)))
    ).order_by("-start_date", "-id")


@dataclass(frozen=True)
class QueueFilter:
    organisation: str
    query: str = ""
    case_type: str = ""
    assignee: str = ""  # "me", "none" or "" (everyone)
    due: str = ""  # "overdue", "soon" or ""
    include_closed: bool = False
    ordering: str = "deadline"


def cases_handled_by(organisation_code: str) -> QuerySet[Case]:
    """The cases an organisation works on: its own, and those where it is the provider
    the resident chose (`handled_by` says the same for one case)."""
    return Case.objects.filter(
        Q(organisation__code=organisation_code) | Q(provider__organisation__code=organisation_code)
    )


def work_queue(filters: QueueFilter, user_id: int | None) -> QuerySet[Case]:
    """The cases of an organisation, for case workers to pick, filter and sort.

    Rows show case facts only (number, type, status, deadline, assignee); the client's
    name is on the case page, behind the gate, so browsing the queue reads no personal data.
    """
    cases = cases_handled_by(filters.organisation)
    if not filters.include_closed:
        cases = cases.filter(end_date__isnull=True)
    if filters.query:
        cases = cases.filter(
            Q(identification__icontains=filters.query) | Q(description__icontains=filters.query)
        )
    if filters.case_type:
        cases = cases.filter(case_type_version__case_type__identification=filters.case_type)
    if filters.assignee == "me" and user_id is not None:
        cases = cases.filter(assigned_to_id=user_id)
    elif filters.assignee == "none":
        cases = cases.filter(assigned_to__isnull=True)
    today = timezone.localdate()
    if filters.due == "overdue":
        cases = cases.filter(deadline__lt=today, end_date__isnull=True)
    elif filters.due == "soon":
        cases = cases.filter(
            deadline__gte=today, deadline__lte=today + timedelta(days=WARNING_DAYS)
        )
    ordering = QUEUE_ORDERINGS.get(filters.ordering, QUEUE_ORDERINGS["deadline"])
    return (
        with_details(cases)
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__state=TaskState.OPEN)))
        .order_by(*ordering)
    )


def deadline_warning(case: Case, today: date | None = None) -> str:
    """'overdue', 'soon' or '' for an open case."""
    if not case.is_open or case.suspended_since is not None:
        return ""
    today = today or timezone.localdate()
    if case.deadline < today:
        return "overdue"
    if case.deadline <= today + timedelta(days=WARNING_DAYS):
        return "soon"
    return ""


def case_file(uuid: str) -> Case | None:
    """One case with everything its page shows."""
    return (
        with_details(Case.objects.filter(uuid=uuid))
        .prefetch_related(
            Prefetch("roles", queryset=CaseRole.objects.select_related("role_type", "party")),
            Prefetch(
                "statuses",
                queryset=CaseStatus.objects.select_related("status_type").order_by("set_at", "id"),
            ),
            Prefetch(
                "tasks",
                queryset=CaseTask.objects.select_related(
                    "task_type__decision_table", "task_type__required_before"
                ).order_by("state", "created_at", "id"),
            ),
            "documents__document_type",
            "history",
            "offers__offer_type",
            "evaluations__table",
            "related_cases",
        )
        .first()
    )


def published_case_types(on: date | None = None) -> QuerySet[CaseTypeVersion]:
    """The case-type versions in force on a day (today by default)."""
    on = on or timezone.localdate()
    return (
        CaseTypeVersion.objects.filter(state=VersionState.PUBLISHED, valid_from__lte=on)
        .exclude(valid_until__lt=on)
        .select_related("case_type__organisation")
        .order_by("description")
    )


def first_line_case_types(on: date | None = None) -> QuerySet[CaseTypeVersion]:
    return (
        published_case_types(on).filter(first_line_can_handle=True).prefetch_related("result_types")
    )


def handled_by(case: Case, organisation_code: str) -> bool:
    """Whether an organisation works on a case: its own, or one where it is the chosen
    provider. Grants say which data a role may see; this says which cases are its work."""
    if case.organisation.code == organisation_code:
        return True
    return case.provider is not None and case.provider.organisation.code == organisation_code


def case_workers(organisation: Organisation) -> QuerySet[User]:
    """Colleagues a case can be assigned to: case and social workers of the organisation."""
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=["case_worker", "social_worker"],
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
