"""Reads of the desk: finding the client, and everything the agent sees about them.

Identifiers (BSN, KvK) resolve through the party register, which holds no personal data.
Attribute searches go through gate.find to the sources that own the attributes; contact
numbers through the contact registry. The client page is the integral client view plus
the desk's own sections, all read through the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from klantocratie.clientview.selectors import ClientView, SourceSection, build_client_view
from klantocratie.contacts.models import Actor, ActorKind, Channel
from klantocratie.contacts.selectors import contact_by_number, involved_parties
from klantocratie.knowledge.models import DocumentKind
from klantocratie.knowledge.selectors import (
    SUBJECT_ANSWER,
    SUBJECT_PRODUCT,
    SearchHit,
    get_life_event,
    life_event_answers,
    search_knowledge,
)
from klantocratie.parties.models import IdentifierType, Party
from klantocratie.parties.selectors import find_party
from klantocratie.privacy import gate

from .life_events import LifeEvent, derive_life_events
from .search import ClientQuery, QueryKind

# What an agent sees of each client in a list of several, to pick the right one.
SUMMARY_ELEMENTS = ("person.name", "person.birth", "person.address")
# Elements the desk shows in sections of their own rather than among the sources.
CASES = "cases.open"
CONTACT_HISTORY = "contact.history"
OPEN_TASKS = "contact.tasks"
# The basic data an agent may change at the desk, in the order the form shows them.
CHANGEABLE_AT_DESK = (
    "person.phone",
    "person.email",
    "person.correspondence_preference",
    "person.iban_municipal_taxes",
)
KNOWLEDGE_PER_EVENT = 5


@dataclass(frozen=True)
class Candidate:
    party: Party
    name: str = ""
    birth: str = ""
    address: str = ""


@dataclass
class SearchOutcome:
    query: ClientQuery
    candidates: list[Candidate]
    # More matched than are listed: the agent should search more precisely.
    truncated: bool = False
    # Why the list is empty, when the registry says more than "nobody".
    message: str = ""


def _display_date(value: Any) -> str:
    if isinstance(value, str) and len(value) == 10:
        return f"{value[8:]}-{value[5:7]}-{value[:4]}"
    return str(value or "")


def _display_address(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    number = f"{value.get('huisnummer') or ''}{value.get('huisletter') or ''}"
    if value.get("huisnummertoevoeging"):
        number += f"-{value['huisnummertoevoeging']}"
    postcode = value.get("postcode") or ""
    if len(postcode) == 6:
        postcode = f"{postcode[:4]} {postcode[4:]}"
    street = f"{value.get('straat') or ''} {number}".strip()
    place = f"{postcode} {value.get('woonplaats') or ''}".strip()
    return ", ".join(part for part in (street, place) if part)


def _candidate(found: gate.FoundParty) -> Candidate:
    def value(code: str) -> Any:
        element = found.values.get(code)
        return element.value if element is not None else None

    name = value("person.name")
    birth = value("person.birth")
    return Candidate(
        party=found.party,
        name=name.get("volledige_naam", "") if isinstance(name, dict) else "",
        birth=_display_date(birth.get("geboortedatum")) if isinstance(birth, dict) else "",
        address=_display_address(value("person.address")),
    )


def search_clients(ctx: gate.AccessContext, query: ClientQuery) -> SearchOutcome:
    """The clients matching one parsed query; raises GateError or SourceUnavailable."""
    if query.kind in (QueryKind.BSN, QueryKind.KVK):
        identifier = IdentifierType.BSN if query.kind == QueryKind.BSN else IdentifierType.KVK
        party = find_party(identifier, query.value)
        return SearchOutcome(query, [Candidate(party)] if party is not None else [])
    if query.kind == QueryKind.CONTACT:
        contact = contact_by_number(ctx, query.value)
        if contact is None:
            return SearchOutcome(query, [])
        parties = involved_parties([contact])
        message = "" if parties else f"Bij {query.value} is geen klant vastgelegd."
        return SearchOutcome(query, [Candidate(party) for party in parties], message=message)
    result = gate.find(ctx, query.criteria, show=SUMMARY_ELEMENTS)
    return SearchOutcome(
        query, [_candidate(found) for found in result.found], truncated=result.truncated
    )


@dataclass(frozen=True)
class KnowledgeItem:
    title: str
    text: str
    source_name: str
    last_reviewed: date | None
    # What a contact answered with this item was about, in the contact registry's terms
    # ("kennisartikel:<uuid>" or "product:<uuid>"), so the most-asked counts see it.
    subject: str = ""
    url: str = ""


# Shown when the agent searches on the client's question: the whole knowledge base,
# whatever life events the client's data suggests.
ALL_TOPICS = LifeEvent(slug="", name="Alle onderwerpen", reason="gezocht op de vraag van de klant")


def _subject(kind: str, uuid: object) -> str:
    object_type = SUBJECT_PRODUCT if kind == DocumentKind.PRODUCT else SUBJECT_ANSWER
    return f"{object_type}:{uuid}"


@dataclass
class KnowledgeBlock:
    event: LifeEvent
    known: bool
    items: list[KnowledgeItem] = field(default_factory=list)


@dataclass
class DeskClient:
    view: ClientView
    cases: gate.ElementValue | None
    contacts: gate.ElementValue | None
    tasks: gate.ElementValue | None
    sections: list[SourceSection]
    life_events: list[LifeEvent]
    # Element code -> its current value, for the basic data this agent may change.
    changeable: dict[str, gate.ElementValue | None]
    labels: dict[str, str]

    @property
    def party(self) -> Party:
        return self.view.party


def desk_client(ctx: gate.AccessContext, party: Party, today: date | None = None) -> DeskClient:
    """The integral client view, split into the desk's sections."""
    view = build_client_view(ctx, party)
    values = view.values
    own_sections = {CASES, CONTACT_HISTORY, OPEN_TASKS}
    sections = [
        SourceSection(
            status=section.status,
            values=[v for v in section.values if v.code not in own_sections],
            missing=section.missing,
        )
        for section in view.sections
        if not section.values or any(v.code not in own_sections for v in section.values)
    ]
    allowed = gate.permitted_elements(ctx, view.activity, party, timezone.localdate(), change=True)
    changeable = {code: values.get(code) for code in CHANGEABLE_AT_DESK if code in allowed}
    return DeskClient(
        view=view,
        cases=values.get(CASES),
        contacts=values.get(CONTACT_HISTORY),
        tasks=values.get(OPEN_TASKS),
        sections=sections,
        life_events=derive_life_events(values, today or timezone.localdate()),
        changeable=changeable,
        labels={code: element.label for code, (element, _grant) in allowed.items()},
    )


def knowledge_for(events: list[LifeEvent], question: str = "") -> list[KnowledgeBlock]:
    """Answers and products for each life event; with a question, the best matches for it.

    The knowledge base is public information: no personal data, so no gate.
    """
    blocks: list[KnowledgeBlock] = []
    if question.strip():
        hits = search_knowledge(question, limit=KNOWLEDGE_PER_EVENT)
        blocks.append(KnowledgeBlock(ALL_TOPICS, known=True, items=[_item(hit) for hit in hits]))
    for event in events:
        known = get_life_event(event.slug)
        if known is None:
            blocks.append(KnowledgeBlock(event, known=False))
            continue
        if question.strip():
            items = [
                _item(hit)
                for hit in search_knowledge(
                    question, life_event=event.slug, limit=KNOWLEDGE_PER_EVENT
                )
            ]
        else:
            items = [
                KnowledgeItem(
                    answer.question,
                    answer.answer,
                    answer.source_name,
                    answer.last_reviewed,
                    subject=_subject(DocumentKind.ANSWER, answer.uuid),
                )
                for answer in life_event_answers(known)[:KNOWLEDGE_PER_EVENT]
            ]
        blocks.append(KnowledgeBlock(event, known=True, items=items))
    return blocks


def _item(hit: SearchHit) -> KnowledgeItem:
    return KnowledgeItem(
        hit.title,
        hit.snippet,
        hit.source_name,
        hit.last_reviewed,
        subject=_subject(hit.kind, hit.uuid),
    )


def desk_channels() -> list[tuple[str, str]]:
    """The channels a contact can arrive on, in the registry's order (no personal data)."""
    return list(
        Channel.objects.filter(active=True)
        .order_by("display_order", "name")
        .values_list("code", "name")
    )


def handover_actors() -> QuerySet[Actor]:
    """Colleagues and teams of every organisation a contact can be handed to."""
    return (
        Actor.objects.filter(active=True, kind__in=(ActorKind.EMPLOYEE, ActorKind.TEAM))
        .select_related("organisation")
        .order_by("organisation__name", "-kind", "name")
    )


def contact_numbers(client: DeskClient) -> list[str]:
    """Numbers of the client's recent contacts, newest first, to hand one of them over."""
    history = client.contacts.value if client.contacts is not None else None
    if not isinstance(history, list):
        return []
    return [item["nummer"] for item in history if isinstance(item, dict) and item.get("nummer")]
