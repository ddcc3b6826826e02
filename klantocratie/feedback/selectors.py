"""Reads for feedback: what to ask a party, what they said before, where they may switch
provider, and the figures per product and provider for staff.

A party's own contacts and cases are found through the contact registry's and the case
system's selectors and read through the gate, so the processing log shows that the
page looked at them. The figures are counts and averages over everybody, with small
numbers suppressed; they name no party and read no personal data.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from klantocratie.cases import choices as case_choices
from klantocratie.cases import services as case_services
from klantocratie.cases.models import Case, CaseTypeVersion, ProviderOption
from klantocratie.cases.selectors import cases_for_identifier
from klantocratie.contacts import services as contact_services
from klantocratie.contacts.models import Contact
from klantocratie.contacts.selectors import contacts_for_party, visible_contacts
from klantocratie.knowledge.models import Product
from klantocratie.knowledge.selectors import SUBJECT_PRODUCT
from klantocratie.parties.models import Party
from klantocratie.privacy import gate

from .models import ExitReason, Feedback, FeedbackKind

# A contact or a closed case is asked about for this long; after that the question
# would come out of the blue.
PROMPT_DAYS = 90
# How many open questions the page shows at once; answering one brings up the next.
PROMPT_LIMIT = 5
# Figures over fewer reactions than this are not shown: too few to mean much, and too
# few to be sure nobody can be recognised in them.
MIN_REACTIONS = 10
HISTORY_PAGE_SIZE = 10
NO_PRODUCT = "Geen product vastgelegd"


@dataclass(frozen=True)
class Prompt:
    """One satisfaction question: about a contact or a closed case of the party."""

    about: str  # "contact" or "zaak"
    uuid: uuid.UUID
    title: str
    organisation: str
    on: date
    reference: str

    @property
    def is_contact(self) -> bool:
        return self.about == "contact"


def _handled(contact: Contact) -> bool:
    """A contact is worth a question once it had an outcome, not while it waits."""
    return contact.succeeded is not None or bool(contact.answer)


def _contact_prompt(contact: Contact) -> Prompt:
    return Prompt(
        about="contact",
        uuid=contact.uuid,
        title="Vertrouwelijk contact" if contact.confidential else contact.subject,
        organisation=contact.organisation.name,
        on=timezone.localtime(contact.occurred_at).date(),
        reference=contact.nummer,
    )


def _case_prompt(case: Case) -> Prompt:
    assert case.end_date is not None
    kind = case.case_type_version.description
    # "Parkeervergunning bewoners" needs no "Parkeervergunning: " before it.
    same = case.description.lower().startswith(kind.lower())
    return Prompt(
        about="zaak",
        uuid=case.uuid,
        title=case.description if same else f"{kind}: {case.description}",
        organisation=case.organisation.name,
        on=case.end_date,
        reference=case.identification,
    )


def own_handled_contact(
    ctx: gate.AccessContext, party: Party, contact_uuid: uuid.UUID
) -> Contact | None:
    """The party's handled contact with this uuid, or None when it is not theirs."""
    contact = (
        visible_contacts(ctx)
        .filter(uuid=contact_uuid, involvements__party=party)
        .distinct()
        .first()
    )
    return contact if contact is not None and _handled(contact) else None


def _own_cases(party: Party) -> QuerySet[Case]:
    identifier = party.primary_identifier()
    return cases_for_identifier(identifier.identifier_type, identifier.value).select_related(
        "provider__organisation"
    )


def own_case(party: Party, case_uuid: uuid.UUID) -> Case | None:
    """The case with this uuid when the party has a role in it, else None."""
    return _own_cases(party).filter(uuid=case_uuid).first()


def already_answered(party: Party, about: str, item_uuid: uuid.UUID) -> bool:
    if about == "contact":
        return Feedback.objects.filter(
            party=party, kind=FeedbackKind.CONTACT_SATISFACTION, contact_uuid=item_uuid
        ).exists()
    return Feedback.objects.filter(
        party=party, kind=FeedbackKind.CASE_SATISFACTION, case_uuid=item_uuid
    ).exists()


def contact_product(contact: Contact) -> str:
    """The UPL name of the product the contact was about, if the agent recorded one.

    The desk records a product by its uuid; packs and imports by its name.
    """
    for subject in contact.subject_objects.all():
        if subject.object_type != SUBJECT_PRODUCT:
            continue
        try:
            product = Product.objects.filter(uuid=uuid.UUID(subject.object_id)).first()
        except ValueError:
            return subject.object_id[:255]
        if product is not None:
            return product.name
    return ""


def case_product(case: Case) -> str:
    """The case type's (first) product: the service the case delivers."""
    products = case.case_type_version.products or []
    return str(products[0])[:255] if products else ""


def prompt_for(
    ctx: gate.AccessContext, party: Party, about: str, item_uuid: uuid.UUID
) -> Prompt | None:
    """The question about one of the party's handled contacts or closed cases, read
    through the gate; None when the item is not theirs or not ready for a question."""
    if about == "contact":
        contact = own_handled_contact(ctx, party, item_uuid)
        if contact is None:
            return None
        with contact_services.guarded(
            ctx, [party], [contact_services.HISTORY], operation="tevredenheidsvraag tonen"
        ):
            return _contact_prompt(contact)
    case = own_case(party, item_uuid)
    if case is None or case.is_open:
        return None
    with case_services.guarded(ctx, [party], operation="tevredenheidsvraag tonen", change=False):
        return _case_prompt(case)


def pending_prompts(
    ctx: gate.AccessContext,
    party: Party,
    *,
    limit: int = PROMPT_LIMIT,
    now: datetime | None = None,
) -> list[Prompt]:
    """The party's recent handled contacts and closed cases they have not yet given
    their opinion on, newest first."""
    since = (now or timezone.now()) - timedelta(days=PROMPT_DAYS)
    contacts = [c for c in contacts_for_party(ctx, party) if _handled(c) and c.occurred_at >= since]
    cases = list(
        _own_cases(party).filter(end_date__gte=timezone.localdate(since), end_date__isnull=False)
    )
    if cases:
        with case_services.guarded(
            ctx, [party], operation="afgeronde zaken voor tevredenheidsvraag", change=False
        ):
            pass
    answered = set(
        Feedback.objects.filter(party=party)
        .filter(
            Q(kind=FeedbackKind.CONTACT_SATISFACTION, contact_uuid__in=[c.uuid for c in contacts])
            | Q(kind=FeedbackKind.CASE_SATISFACTION, case_uuid__in=[c.uuid for c in cases])
        )
        .values_list("contact_uuid", "case_uuid")
    )
    done = {item for pair in answered for item in pair if item is not None}
    prompts = [_contact_prompt(c) for c in contacts if c.uuid not in done] + [
        _case_prompt(c) for c in cases if c.uuid not in done
    ]
    prompts.sort(key=lambda p: (p.on, p.reference), reverse=True)
    return prompts[:limit]


def feedback_history(ctx: gate.AccessContext, party: Party, page: str | int | None) -> Page:
    """What the party said so far, newest first, a page at a time."""
    with contact_services.guarded(
        ctx, [party], [contact_services.HISTORY], operation="eigen feedback inzien"
    ):
        given = Feedback.objects.filter(party=party).select_related("organisation", "provider")
        return Paginator(given, HISTORY_PAGE_SIZE).get_page(page)


# --- switching provider ---------------------------------------------------------------


@dataclass(frozen=True)
class SwitchOption:
    """A running case whose service another provider could deliver instead."""

    case: Case
    current: ProviderOption
    alternatives: list[ProviderOption]
    # Why switching is not possible now, in the resident's words; empty when it is.
    blocked: str = ""


def switch_option(case: Case) -> SwitchOption | None:
    """Whether the case has a provider one could leave for another; the same rules as
    ``cases.choices.choose_provider``, which checks them again when switching."""
    current = case.provider
    if not case.is_open or current is None:
        return None
    alternatives = [
        p
        for p in case.case_type_version.providers.select_related("organisation")
        if p.pk != current.pk
    ]
    if not alternatives:
        return None
    blocked = ""
    if case.provider_reached_at is not None:
        blocked = f"{current} heeft al contact met u opgenomen; wisselen kan niet meer."
    else:
        switch_from = case_choices.provider_deadline(case)
        if switch_from is not None and timezone.now() < switch_from:
            blocked = (
                f"U kunt wisselen als {current} vóór "
                f"{timezone.localtime(switch_from):%d-%m-%Y} geen contact met u opneemt."
            )
    return SwitchOption(case=case, current=current, alternatives=alternatives, blocked=blocked)


def switchable_cases(ctx: gate.AccessContext, party: Party) -> list[SwitchOption]:
    """The party's running cases with a provider and others to choose from."""
    cases = _own_cases(party).filter(end_date__isnull=True, provider__isnull=False)
    options = [option for case in cases if (option := switch_option(case)) is not None]
    if options:
        with case_services.guarded(ctx, [party], operation="keuze aanbieder tonen", change=False):
            pass
    return options


def switch_for(ctx: gate.AccessContext, party: Party, case_uuid: uuid.UUID) -> SwitchOption | None:
    case = own_case(party, case_uuid)
    option = switch_option(case) if case is not None else None
    if option is not None:
        with case_services.guarded(ctx, [party], operation="keuze aanbieder tonen", change=False):
            pass
    return option


# --- figures for staff ----------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    label: str
    count: int


@dataclass(frozen=True)
class FigureRow:
    """Satisfaction and walk-aways for one product or provider. A number is None when
    there were too few reactions to show it."""

    label: str
    detail: str
    answers: int | None
    average: float | None
    exits: int | None
    reasons: list[Reason] = field(default_factory=list)
    # Reasons named fewer than MIN_REACTIONS times are left out of `reasons`.
    reasons_left_out: bool = False


@dataclass(frozen=True)
class Figures:
    products: list[FigureRow]
    providers: list[FigureRow]
    since: date | None
    min_reactions: int = MIN_REACTIONS


def _shown(count: int) -> int | None:
    """A count of zero tells nothing about anyone; 1 to MIN_REACTIONS - 1 could."""
    return count if count == 0 or count >= MIN_REACTIONS else None


def _rows(
    counted: Iterable[dict[str, object]],
    reasons: dict[tuple[str, ...], list[tuple[str, int]]],
    key_fields: tuple[str, ...],
    labels: dict[tuple[str, ...], tuple[str, str]],
) -> list[FigureRow]:
    rows: list[tuple[int, FigureRow]] = []
    for row in counted:
        key = tuple(str(row[f] or "") for f in key_fields)
        answers = int(str(row["answers"]))
        exits = int(str(row["exits"]))
        shown_answers = _shown(answers)
        shown_exits = _shown(exits)
        named = sorted(reasons.get(key, []), key=lambda item: (-item[1], item[0]))
        listed = (
            [
                Reason(ExitReason(code).label, n)
                for code, n in named
                if n >= MIN_REACTIONS and code in ExitReason.values
            ]
            if shown_exits
            else []
        )
        average = row["average"]
        label, detail = labels[key]
        rows.append(
            (
                answers + exits,
                FigureRow(
                    label=label,
                    detail=detail,
                    answers=shown_answers,
                    average=round(float(str(average)), 1)
                    if shown_answers and average is not None
                    else None,
                    exits=shown_exits,
                    reasons=listed,
                    reasons_left_out=bool(shown_exits) and len(listed) < len(named),
                ),
            )
        )
    rows.sort(key=lambda item: (-item[0], item[1].label, item[1].detail))
    return [row for _, row in rows]


def _reasons(
    queryset: QuerySet[Feedback], key_fields: tuple[str, ...]
) -> dict[tuple[str, ...], list[tuple[str, int]]]:
    found: dict[tuple[str, ...], list[tuple[str, int]]] = defaultdict(list)
    for row in (
        queryset.filter(kind=FeedbackKind.PROVIDER_EXIT)
        .values(*key_fields, "exit_reason")
        .annotate(n=Count("id"))
        .order_by()
    ):
        key = tuple(str(row[f] or "") for f in key_fields)
        found[key].append((row["exit_reason"], row["n"]))
    return found


def _counted(queryset: QuerySet[Feedback], key_fields: tuple[str, ...]) -> list[dict[str, object]]:
    return list(
        queryset.filter(Q(score__isnull=False) | Q(kind=FeedbackKind.PROVIDER_EXIT))
        .values(*key_fields)
        .annotate(
            answers=Count("id", filter=Q(score__isnull=False)),
            average=Avg("score"),
            exits=Count("id", filter=Q(kind=FeedbackKind.PROVIDER_EXIT)),
        )
        .order_by()
    )


def _case_type_names(identifications: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for identification, description in (
        CaseTypeVersion.objects.filter(case_type__identification__in=set(identifications))
        .order_by("version")
        .values_list("case_type__identification", "description")
    ):
        names[identification] = description  # the latest version's name wins
    return names


def figures(since: date | None = None) -> Figures:
    """Average satisfaction, number of answers and of walk-aways with their reasons, per
    product and per provider; numbers over too few reactions are withheld."""
    given = Feedback.objects.all()
    if since is not None:
        given = given.filter(created_at__date__gte=since)

    product_key = ("product",)
    product_counts = _counted(given, product_key)
    product_labels: dict[tuple[str, ...], tuple[str, str]] = {
        (str(row["product"] or ""),): (str(row["product"] or "") or NO_PRODUCT, "")
        for row in product_counts
    }
    products = _rows(product_counts, _reasons(given, product_key), product_key, product_labels)

    provider_key = ("case_type", "provider_code", "provider__name")
    at_providers = given.exclude(provider__isnull=True)
    provider_counts = _counted(at_providers, provider_key)
    case_types = _case_type_names(str(row["case_type"]) for row in provider_counts)
    provider_labels: dict[tuple[str, ...], tuple[str, str]] = {
        (
            str(row["case_type"] or ""),
            str(row["provider_code"] or ""),
            str(row["provider__name"]),
        ): (
            str(row["provider__name"]),
            case_types.get(str(row["case_type"]), str(row["case_type"])),
        )
        for row in provider_counts
    }
    providers = _rows(
        provider_counts, _reasons(at_providers, provider_key), provider_key, provider_labels
    )
    return Figures(products=products, providers=providers, since=since)
