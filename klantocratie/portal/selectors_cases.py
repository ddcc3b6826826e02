"""Reads of the resident's cases for the personal page: every case at every organisation.

Two sources answer. The region's case system holds the case files the page can open
(statuses, documents, offers, the case worker); the regional case-status register
holds what the partner organisations' own systems report of their open cases (number,
status, expected date). A case of the case system is also reported to the register;
it is shown once, from the case system.

Every read passes the gate for the party whose page it is, with the portal's context,
so each page view is in that party's processing log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from klantocratie.accounts.models import Membership
from klantocratie.cases import choices, selectors, services
from klantocratie.cases.models import (
    Case,
    CaseDocument,
    CaseStatus,
    DocumentType,
    OfferState,
    ResidentNotice,
    StatusType,
)
from klantocratie.parties.models import Party
from klantocratie.privacy import gate
from klantocratie.registry.models import PartyType

REGISTER_ELEMENT = "cases.open"
RECENT_NOTICES = 5
# What a resident sees of a case's documents: what they sent and what was sent to them.
VISIBLE_DIRECTIONS = (DocumentType.Direction.INCOMING, DocumentType.Direction.OUTGOING)


@dataclass(frozen=True)
class CaseRow:
    """One case in the list, from whichever source knows it."""

    number: str
    case_type: str
    organisation: str
    status: str
    status_since: date | None
    next_step: str
    expected: date | None
    is_open: bool
    ended: date | None = None
    # Set for a case of the region's case system, whose page the resident can open.
    case: Case | None = None


@dataclass
class CaseList:
    rows: list[CaseRow] = field(default_factory=list)
    notices: list[ResidentNotice] = field(default_factory=list)
    # Why the register's cases are missing, when its source did not answer.
    register_missing: str = ""


@dataclass(frozen=True)
class ContactPerson:
    """Whom to call about a case: its case worker, or else the organisation."""

    case: Case
    organisation: str
    name: str = ""
    phone: str = ""
    email: str = ""
    # True when the phone number is the person's own line, not the general number.
    direct: bool = False


def _own_cases(party: Party) -> QuerySet[Case]:
    identifier = party.primary_identifier()
    return selectors.cases_for_identifier(identifier.identifier_type, identifier.value)


def _with_page_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.prefetch_related(
        "offers__offer_type",
        "case_type_version__status_types",
        "case_type_version__providers__organisation",
    )


def next_status(case: Case) -> StatusType | None:
    """The status that comes after the current one in the case type, if the case is open."""
    if not case.is_open:
        return None
    current = case.current_status.status_type.order if case.current_status else 0
    return next((s for s in case.case_type_version.status_types.all() if s.order > current), None)


def next_step(case: Case, party: Party) -> str:
    """What happens next, in the resident's words: what they can do first, else what we do."""
    if not case.is_open:
        return ""
    open_offers = [
        o for o in case.offers.all() if o.party_id == party.pk and o.state == OfferState.OFFERED
    ]
    if open_offers:
        until = min(o.expires_on for o in open_offers)
        return f"Kies of u het aanbod aanneemt, vóór {until:%d-%m-%Y}."
    if case.provider_id is None and case.case_type_version.providers.all():
        return "Kies wie u helpt."
    if case.suspended_since is not None:
        return "De behandeling staat stil; we laten u weten wanneer het verdergaat."
    upcoming = next_status(case)
    if upcoming is None:
        return "We ronden uw zaak af."
    return f"Hierna: {upcoming.description.lower()}."


def expected_date(case: Case) -> date | None:
    """When the case is expected to be done: the planned end (the service norm), unless
    the case was extended past it; the legal deadline otherwise."""
    if not case.is_open:
        return None
    if case.planned_end and case.planned_end <= case.deadline and not case.extended_days:
        return case.planned_end
    return case.deadline


def _row(case: Case, party: Party) -> CaseRow:
    status = case.current_status
    return CaseRow(
        number=case.identification,
        case_type=case.case_type_version.description,
        organisation=case.organisation.name,
        status=status.status_type.resident_text if status else "",
        status_since=timezone.localdate(status.set_at) if status else None,
        next_step=next_step(case, party),
        expected=expected_date(case),
        is_open=case.is_open,
        ended=case.end_date,
        case=case,
    )


def _iso(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _register_rows(
    ctx: gate.AccessContext, party: Party, known: set[str]
) -> tuple[list[CaseRow], str]:
    """The partner organisations' open cases from the regional register; businesses have
    none there (it is keyed on BSN)."""
    if party.party_type != PartyType.PERSON:
        return [], ""
    result = gate.read(ctx, party, [REGISTER_ELEMENT], operation="eigen zaken inzien")
    if REGISTER_ELEMENT in result.missing:
        return [], result.missing[REGISTER_ELEMENT]
    value = result.values.get(REGISTER_ELEMENT)
    rows = []
    for item in value.value if value and isinstance(value.value, list) else []:
        if item.get("zaaknummer") in known:
            continue
        rows.append(
            CaseRow(
                number=str(item.get("zaaknummer", "")),
                case_type=str(item.get("zaaktype", "")),
                organisation=str(item.get("organisatie", "")),
                status=str(item.get("status", "")),
                status_since=_iso(item.get("statusdatum")),
                next_step="",
                expected=_iso(item.get("verwachte_einddatum")),
                is_open=True,
            )
        )
    return rows, ""


def cases_of(ctx: gate.AccessContext, party: Party) -> CaseList:
    """All the party's cases: open ones first (soonest expected first), then closed ones
    (most recently closed first). Raises GateError when the party may not be read."""
    with services.guarded(ctx, [party], operation="eigen zaken inzien", change=False):
        own = list(_with_page_details(_own_cases(party)))
        notices = list(
            party.case_notices.filter(channel=ResidentNotice.Channel.PORTAL).select_related("case")[
                :RECENT_NOTICES
            ]
        )
    rows = [_row(case, party) for case in own]
    register, missing = _register_rows(ctx, party, {case.identification for case in own})
    rows += register
    far_future = date.max
    open_rows = sorted(
        (r for r in rows if r.is_open), key=lambda r: (r.expected or far_future, r.number)
    )
    closed_rows = sorted(
        (r for r in rows if not r.is_open),
        key=lambda r: (r.ended or date.min, r.number),
        reverse=True,
    )
    return CaseList(rows=open_rows + closed_rows, notices=notices, register_missing=missing)


def case_of(ctx: gate.AccessContext, party: Party, case_uuid: str) -> Case | None:
    """One of the party's cases with everything its page shows; None when it is not theirs.

    Raises GateError when the party may not be read.
    """
    case = (
        _with_page_details(_own_cases(party).filter(uuid=case_uuid))
        .prefetch_related(
            Prefetch(
                "statuses",
                queryset=CaseStatus.objects.select_related("status_type").order_by("set_at", "id"),
            ),
            Prefetch(
                "documents",
                queryset=CaseDocument.objects.filter(
                    document_type__direction__in=VISIBLE_DIRECTIONS
                )
                .select_related("document_type")
                .order_by("-added_at", "-id"),
            ),
        )
        .first()
    )
    if case is None:
        return None
    with services.guarded(ctx, [party], operation="eigen zaak inzien", change=False):
        pass
    return case


def notices_of(case: Case, party: Party) -> list[ResidentNotice]:
    return list(case.notices.filter(party=party, channel=ResidentNotice.Channel.PORTAL))


def document_of(
    ctx: gate.AccessContext, party: Party, case_uuid: str, document_uuid: str
) -> CaseDocument | None:
    """A document of one of the party's cases that the resident may see, logged as read."""
    document = (
        CaseDocument.objects.filter(
            uuid=document_uuid,
            case__in=_own_cases(party).filter(uuid=case_uuid),
            document_type__direction__in=VISIBLE_DIRECTIONS,
        )
        .select_related("case")
        .first()
    )
    if document is None:
        return None
    with services.guarded(ctx, [party], operation="eigen zaakdocument inzien", change=False):
        pass
    return document


def uploadable_types(case: Case) -> list[DocumentType]:
    """The document types a resident may send for this case: the incoming ones, while open."""
    if not case.is_open:
        return []
    return list(
        case.case_type_version.document_types.filter(
            direction=DocumentType.Direction.INCOMING
        ).order_by("description")
    )


def contact_person(case: Case) -> ContactPerson:
    """The case worker with their direct line and e-mail when known, else the organisation
    with its general number. A case handled by a chosen provider names the provider."""
    organisation = case.organisation
    assignee = case.assigned_to
    if assignee is None:
        handler = case.provider.organisation if case.provider is not None else organisation
        return ContactPerson(case=case, organisation=handler.name, phone=handler.phone)
    direct = (
        Membership.objects.filter(user=assignee, organisation=organisation)
        .exclude(phone="")
        .values_list("phone", flat=True)
        .first()
    )
    return ContactPerson(
        case=case,
        organisation=organisation.name,
        name=assignee.get_full_name() or assignee.get_username(),
        phone=direct or organisation.phone,
        email=assignee.email,
        direct=bool(direct),
    )


def contact_persons(ctx: gate.AccessContext, party: Party) -> list[ContactPerson]:
    """The case workers of the party's open cases, each with their direct line: whom the
    resident can call about what, first on the page. Raises GateError like `cases_of`."""
    with services.guarded(ctx, [party], operation="eigen contactpersonen tonen", change=False):
        cases = list(
            _own_cases(party)
            .filter(end_date__isnull=True, assigned_to__isnull=False)
            .order_by(F("deadline").asc(), "identification")
        )
    return [contact_person(case) for case in cases]


def provider_switch_from(case: Case) -> datetime | None:
    """From when the resident may switch provider, while the chosen one has not called."""
    if case.provider_reached_at is not None:
        return None
    return choices.provider_deadline(case)
