"""Reads of the knowledge base: Dutch search, answers, life events and most asked items."""

import os
import re
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet

from klantocratie.registry.models import Organisation, OrganisationKind

from . import encoder
from .backends import full_text_backend
from .models import (
    AnswerStatus,
    Audience,
    DocumentKind,
    LifeEvent,
    Product,
    QuestionAnswer,
    SearchDocument,
)
from .text import Vocabulary, query_words, stem, words

# How many full-text candidates are fetched, and how many of those the encoder re-ranks.
CANDIDATES = 200
RERANK_DEPTH = 40
# Weight of the encoder's cosine similarity against the normalised full-text score.
SEMANTIC_WEIGHT = 0.6

# Which UPL government layer an organisation kind delivers products for.
_LAYER_OF_KIND = {
    OrganisationKind.MUNICIPALITY: "by_municipality",
    OrganisationKind.WASTE_COLLECTION: "by_municipality",
    OrganisationKind.TAX_OFFICE: "by_national_government",
    OrganisationKind.BENEFITS_AGENCY: "by_national_government",
    OrganisationKind.CHAMBER_OF_COMMERCE: "by_national_government",
    OrganisationKind.POLICE: "by_national_government",
}


def rerank_enabled() -> bool:
    configured = getattr(settings, "KLANTOCRATIE_KNOWLEDGE_RERANK", None)
    if configured is None:
        configured = os.environ.get("KLANTOCRATIE_KNOWLEDGE_RERANK", "1")
    if isinstance(configured, str):
        return configured.strip().lower() not in {"0", "false", "no", "off"}
    return bool(configured)


# Vocabulary -----------------------------------------------------------------------------

_vocabulary_lock = threading.Lock()
_vocabulary: tuple[Any, Vocabulary] | None = None


def _index_version() -> tuple[int, Any]:
    stats = SearchDocument.objects.aggregate(count=Count("id"), last=Max("updated_at"))
    return stats["count"], stats["last"]


def current_vocabulary() -> Vocabulary:
    """The corpus vocabulary, rebuilt when the search documents changed."""
    global _vocabulary
    version = _index_version()
    with _vocabulary_lock:
        if _vocabulary is None or _vocabulary[0] != version:
            texts = SearchDocument.objects.values_list("title", "text")
            _vocabulary = (version, Vocabulary.from_texts(f"{t}\n{x}" for t, x in texts))
        return _vocabulary[1]


def forget_vocabulary() -> None:
    global _vocabulary
    with _vocabulary_lock:
        _vocabulary = None


# Search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str
    uuid: str
    title: str
    snippet: str
    score: float
    source_name: str
    source_url: str
    last_reviewed: Any
    item: QuestionAnswer | Product


def _answers_allowed(
    audience: str | None, life_event: str | None, organisation: Organisation | None
) -> QuerySet[QuestionAnswer]:
    answers = QuestionAnswer.objects.filter(status=AnswerStatus.ACTIVE)
    if audience:
        answers = answers.filter(audience__in=[audience, Audience.EVERYONE])
    if life_event:
        answers = answers.filter(life_events__slug=life_event)
    if organisation is not None:
        answers = answers.filter(organisations=organisation)
    return answers


def _products_allowed(
    audience: str | None, life_event: str | None, organisation: Organisation | None
) -> QuerySet[Product]:
    products = Product.objects.all()
    if audience == Audience.RESIDENT:
        products = products.filter(for_residents=True)
    elif audience == Audience.BUSINESS:
        products = products.filter(for_businesses=True)
    if life_event:
        products = products.filter(life_events__slug=life_event)
    if organisation is not None:
        by_organisation = Q(local_variants__municipality=organisation)
        layer = _LAYER_OF_KIND.get(OrganisationKind(organisation.kind))
        if layer:
            by_organisation |= Q(**{layer: True})
        products = products.filter(by_organisation)
    return products.distinct()


def _snippet(text: str, stems: set[str], length: int = 220) -> str:
    """The sentence of ``text`` that shares most stems with the question, shortened."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    if not sentences:
        return ""
    # Without any shared stem the opening sentence, which usually carries the gist, wins.
    overlap = [len({stem(w) for w in words(s)} & stems) for s in sentences]
    best = sentences[max(range(len(sentences)), key=lambda i: (overlap[i], -i))]
    if len(best) <= length:
        return best
    return best[: length - 1].rsplit(" ", 1)[0] + "…"


def _rerank(query: str, rows: Sequence[SearchDocument], scores: dict[int, float]) -> None:
    """Blend the encoder's similarity into ``scores``, in place."""
    from .services import cache_embeddings

    # The cache fills on first use, so a fresh index needs no separate embedding step.
    cache_embeddings(rows)
    matrix = np.vstack([encoder.from_bytes(r.embedding) for r in rows if r.embedding is not None])
    similarity = matrix @ encoder.encode([query])[0]
    top = max(scores.values()) or 1.0
    for row, cosine in zip(rows, similarity, strict=True):
        blended = (1 - SEMANTIC_WEIGHT) * scores[row.pk] / top + SEMANTIC_WEIGHT * float(cosine)
        scores[row.pk] = blended * row.boost


def search_knowledge(
    query: str,
    *,
    audience: str | None = None,
    life_event: str | None = None,
    organisation: Organisation | None = None,
    rerank: bool | None = None,
    limit: int = 50,
) -> list[SearchHit]:
    """Active answers and products for a Dutch question, best first.

    Full text finds candidates (stemmed, compound-split, typos mended); the sentence
    encoder then re-orders the best of them by meaning, unless re-ranking is off or the
    encoder cannot load, in which case the full-text order stands.
    """
    vocabulary = current_vocabulary()
    query_list = query_words(query, vocabulary)
    ranked = full_text_backend().candidates(query_list, CANDIDATES)
    if not ranked:
        return []
    rows = SearchDocument.objects.in_bulk([doc_id for doc_id, _ in ranked])
    answer_uuids = {r.object_uuid for r in rows.values() if r.kind == DocumentKind.ANSWER}
    product_uuids = {r.object_uuid for r in rows.values() if r.kind == DocumentKind.PRODUCT}
    items: dict[Any, QuestionAnswer | Product] = {}
    items.update(
        (a.uuid, a)
        for a in _answers_allowed(audience, life_event, organisation).filter(uuid__in=answer_uuids)
    )
    items.update(
        (p.uuid, p)
        for p in _products_allowed(audience, life_event, organisation).filter(
            uuid__in=product_uuids
        )
    )
    kept = [
        (rows[doc_id], score * rows[doc_id].boost)
        for doc_id, score in ranked
        if doc_id in rows and rows[doc_id].object_uuid in items
    ]
    kept.sort(key=lambda pair: pair[1], reverse=True)
    kept = kept[: max(limit, RERANK_DEPTH)]
    scores = {row.pk: score for row, score in kept}
    if kept and (rerank_enabled() if rerank is None else rerank) and encoder.available():
        head = [row for row, _ in kept[:RERANK_DEPTH]]
        # The encoder reads the question with its typos mended, as the index does.
        _rerank(" ".join(vocabulary.mend(w) for w in words(query)), head, scores)
        # Rows past the re-ranked head keep their order below it.
        floor = min(scores[r.pk] for r in head) - 1
        for row, _ in kept[RERANK_DEPTH:]:
            scores[row.pk] = floor
            floor -= 1e-6
    kept.sort(key=lambda pair: scores[pair[0].pk], reverse=True)
    stems = {stem(w) for w in query_list}
    hits = []
    for row, _ in kept[:limit]:
        item = items[row.object_uuid]
        body = item.answer if isinstance(item, QuestionAnswer) else row.text
        hits.append(
            SearchHit(
                kind=row.kind,
                uuid=str(row.object_uuid),
                title=row.title,
                snippet=_snippet(body, stems),
                score=round(scores[row.pk], 4),
                source_name=item.source_name,
                source_url=item.source_url,
                last_reviewed=item.last_reviewed,
                item=item,
            )
        )
    return hits


# Pages ----------------------------------------------------------------------------------


def get_active_answer(uuid: str) -> QuestionAnswer | None:
    return (
        QuestionAnswer.objects.filter(uuid=uuid, status=AnswerStatus.ACTIVE)
        .prefetch_related("organisations", "life_events", "products")
        .first()
    )


def related_active_answers(answer: QuestionAnswer) -> QuerySet[QuestionAnswer]:
    return answer.related_questions.filter(status=AnswerStatus.ACTIVE)


def get_product(uuid: str) -> Product | None:
    return Product.objects.filter(uuid=uuid).prefetch_related("life_events").first()


def local_variants(product: Product) -> QuerySet[Any]:
    return product.local_variants.select_related("municipality").order_by("municipality__name")


def product_answers(product: Product) -> QuerySet[QuestionAnswer]:
    return product.answers.filter(status=AnswerStatus.ACTIVE).order_by("question")


def life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.all()


def get_life_event(slug: str) -> LifeEvent | None:
    return LifeEvent.objects.filter(slug=slug).first()


def life_event_answers(event: LifeEvent) -> QuerySet[QuestionAnswer]:
    return event.answers.filter(status=AnswerStatus.ACTIVE).order_by("question")


def life_event_products(event: LifeEvent) -> QuerySet[Product]:
    return event.products.order_by("name")


# Most asked -----------------------------------------------------------------------------

# How the contact registry names knowledge answers and products as what a contact was about.
SUBJECT_ANSWER = "kennisartikel"
SUBJECT_PRODUCT = "product"


@dataclass(frozen=True)
class AskedItem:
    kind: str
    item: QuestionAnswer | Product
    count: int


def most_asked(
    last_n_contacts: int,
    life_event: LifeEvent | None = None,
    organisation: Organisation | None = None,
    limit: int = 10,
) -> list[AskedItem]:
    """The answers and products most contacts were about, among the last N contacts.

    Counts per topic carry no personal data, so this reads the contact registry's
    subject objects directly. ``organisation`` narrows to the contacts that organisation
    handled; ``life_event`` to the answers and products of that life event. Inactive
    answers are left out.
    """
    from klantocratie.contacts.models import Contact, SubjectObject

    contacts = Contact.objects.order_by("-occurred_at", "-id")
    if organisation is not None:
        contacts = contacts.filter(organisation=organisation)
    subjects = SubjectObject.objects.filter(
        contact__in=contacts.values("id")[: max(last_n_contacts, 0)],
        object_type__in=[SUBJECT_ANSWER, SUBJECT_PRODUCT],
    )
    if life_event is not None:
        answer_ids = [str(u) for u in life_event.answers.values_list("uuid", flat=True)]
        product_ids = [str(u) for u in life_event.products.values_list("uuid", flat=True)]
        subjects = subjects.filter(
            Q(object_type=SUBJECT_ANSWER, object_id__in=answer_ids)
            | Q(object_type=SUBJECT_PRODUCT, object_id__in=product_ids)
        )
    counted = list(
        subjects.values_list("object_type", "object_id")
        .annotate(count=Count("id"))
        .order_by("-count", "object_type", "object_id")
    )
    answers = _by_uuid(
        QuestionAnswer.objects.filter(status=AnswerStatus.ACTIVE),
        [i for t, i, _ in counted if t == SUBJECT_ANSWER],
    )
    products = _by_uuid(Product.objects.all(), [i for t, i, _ in counted if t == SUBJECT_PRODUCT])
    asked: list[AskedItem] = []
    for object_type, object_id, count in counted:
        found = (answers if object_type == SUBJECT_ANSWER else products).get(object_id)
        if found is not None:
            kind = DocumentKind.ANSWER if object_type == SUBJECT_ANSWER else DocumentKind.PRODUCT
            asked.append(AskedItem(kind, found, count))
        if len(asked) == limit:
            break
    return asked


def _by_uuid(queryset: QuerySet[Any], ids: Sequence[str]) -> dict[str, Any]:
    valid = []
    for value in ids:
        try:
            valid.append(uuid.UUID(value))
        except ValueError:
            continue
    return {str(item.uuid): item for item in queryset.filter(uuid__in=valid)}


def product_names() -> set[str]:
    """The catalogue's product names (UPL), for packs that refer to products by name."""
    return set(Product.objects.values_list("name", flat=True))
