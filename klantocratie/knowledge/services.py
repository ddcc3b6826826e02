"""Writes to the knowledge base. Every write that changes searchable text re-indexes it."""

import csv
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from . import encoder
from .backends import full_text_backend
from .models import AnswerStatus, DocumentKind, Product, QuestionAnswer, SearchDocument
from .selectors import current_vocabulary, forget_vocabulary
from .text import Vocabulary

DATA_DIR = Path(__file__).resolve().parent / "data"
UPL_FILE = DATA_DIR / "UPL-actueel.csv"
UPL_SDG_FILE = DATA_DIR / "UPL-SDG-Informatiegebied.csv"

_FLAGS = {
    "Rijk": "by_national_government",
    "Provincie": "by_province",
    "Waterschap": "by_water_board",
    "Gemeente": "by_municipality",
    "Burger": "for_residents",
    "Bedrijf": "for_businesses",
    "Dienstenwet": "services_directive",
    "Autonomie": "autonomous",
    "Medebewind": "co_governance",
    "Aanvraag": "is_application",
    "Subsidie": "is_subsidy",
    "Melding": "is_notification",
    "Verplichting": "is_obligation",
    "DigiDMacht": "digid_mandate",
}
UPL_COLUMNS = (
    "UniformeProductnaam",
    "URI",
    *_FLAGS,
    "SDG",
    "Grondslag",
    "Grondslaglabel",
    "Grondslaglink",
)
_SDG_CODE = re.compile(r"[A-Z][0-9]{1,2}(;[A-Z][0-9]{1,2})*")
SDG_COLUMNS = ("UniformeProductnaam", "URI", "SDG_Code", "SDG_Informatiegebied")


class UplImportError(Exception):
    """A UPL file that cannot be imported; the message names file, line and column."""


@dataclass
class UplImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def products(self) -> int:
        return self.created + self.updated + self.unchanged


def _read_csv(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise UplImportError(f"{path}: kan het bestand niet openen ({error.strerror}).") from None
    with handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise UplImportError(f"{path}, regel 1: kolom(men) ontbreken: {', '.join(missing)}.")
        rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            if None in row:
                raise UplImportError(
                    f"{path}, regel {reader.line_num}: meer waarden dan kolommen in de kopregel."
                )
            rows.append((reader.line_num, row))
        return rows


def _parse_upl(path: Path) -> tuple[int, dict[str, dict[str, Any]]]:
    rows = _read_csv(path, UPL_COLUMNS)
    products: dict[str, dict[str, Any]] = {}
    for line, row in rows:
        for column in ("UniformeProductnaam", "URI"):
            if not (row[column] or "").strip():
                raise UplImportError(f"{path}, regel {line}, kolom {column}: waarde ontbreekt.")
        uri = row["URI"].strip()
        if not uri.startswith(("http://", "https://")):
            raise UplImportError(f"{path}, regel {line}, kolom URI: {uri!r} is geen URI.")
        for column in _FLAGS:
            if (row[column] or "").strip() not in {"", "X"}:
                raise UplImportError(
                    f"{path}, regel {line}, kolom {column}: verwacht 'X' of leeg, "
                    f"niet {row[column]!r}."
                )
        sdg_code = (row["SDG"] or "").strip()
        if sdg_code and not _SDG_CODE.fullmatch(sdg_code):
            raise UplImportError(
                f"{path}, regel {line}, kolom SDG: verwacht codes als 'E1' of 'B4;C1' of leeg, "
                f"niet {sdg_code!r}."
            )
        # One product is listed once per legal basis: merge its rows.
        product = products.setdefault(
            uri,
            {"name": row["UniformeProductnaam"].strip(), "legal_bases": [], "sdg_code": ""}
            | dict.fromkeys(_FLAGS.values(), False),
        )
        product["sdg_code"] = product["sdg_code"] or sdg_code
        for column, attribute in _FLAGS.items():
            product[attribute] = product[attribute] or row[column].strip() == "X"
        if row["Grondslag"].strip():
            basis = {
                "uri": row["Grondslag"].strip(),
                "label": row["Grondslaglabel"].strip(),
                "link": row["Grondslaglink"].strip(),
            }
            if basis not in product["legal_bases"]:
                product["legal_bases"].append(basis)
    return len(rows), products


def _parse_sdg(path: Path) -> dict[str, str]:
    areas: dict[str, list[str]] = {}
    for line, row in _read_csv(path, SDG_COLUMNS):
        if not (row["URI"] or "").strip():
            raise UplImportError(f"{path}, regel {line}, kolom URI: waarde ontbreekt.")
        label = f"{row['SDG_Code'].strip()} {row['SDG_Informatiegebied'].strip()}".strip()
        bucket = areas.setdefault(row["URI"].strip(), [])
        if label and label not in bucket:
            bucket.append(label)
    return {uri: "; ".join(labels)[:500] for uri, labels in areas.items()}


def import_upl(
    path: Path = UPL_FILE,
    sdg_path: Path | None = UPL_SDG_FILE,
    progress: Callable[[str], None] | None = None,
) -> UplImportSummary:
    """Create or update every product of the UPL file; running it twice changes nothing."""
    say = progress or (lambda message: None)
    rows, parsed = _parse_upl(Path(path))
    say(f"{path}: {rows} regels, {len(parsed)} producten.")
    sdg = _parse_sdg(Path(sdg_path)) if sdg_path else {}
    for uri, areas in sdg.items():
        if uri in parsed:
            parsed[uri]["sdg_areas"] = areas
    summary = UplImportSummary(rows=rows)
    today = timezone.localdate()
    with transaction.atomic():
        existing = {p.uri: p for p in Product.objects.all()}
        to_create: list[Product] = []
        to_update: list[Product] = []
        for uri, values in parsed.items():
            values.setdefault("sdg_areas", "")
            product = existing.get(uri)
            if product is None:
                to_create.append(Product(uri=uri, last_reviewed=today, **values))
                continue
            if all(getattr(product, key) == value for key, value in values.items()):
                summary.unchanged += 1
                continue
            for key, value in values.items():
                setattr(product, key, value)
            product.last_reviewed = today
            to_update.append(product)
        Product.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Product.objects.bulk_update(
                to_update, [*parsed[next(iter(parsed))].keys(), "last_reviewed"], batch_size=500
            )
        summary.created, summary.updated = len(to_create), len(to_update)
        say(
            f"Nieuw: {summary.created}, bijgewerkt: {summary.updated}, ongewijzigd: {summary.unchanged}."
        )
        if to_create or to_update:
            rebuild_search_index(progress=say)
    return summary


# Search index ----------------------------------------------------------------------------


@dataclass
class _Document:
    kind: str
    uuid: Any
    title: str
    text: str
    embedding_text: str
    boost: float = 1.0


def _answer_document(answer: QuestionAnswer) -> _Document:
    names = [o.name for o in answer.organisations.all()]
    events = [e.name for e in answer.life_events.all()]
    products = [p.name for p in answer.products.all()]
    text = "\n".join(
        [answer.answer, answer.keywords, answer.departments, *names, *events, *products]
    )
    return _Document(
        DocumentKind.ANSWER,
        answer.uuid,
        answer.question,
        text,
        f"{answer.question} {answer.keywords}",
    )


# Weight of a national product that no answer, life event or local variant refers to.
UNCURATED_PRODUCT_BOOST = 0.6


def _product_document(product: Product) -> _Document:
    events = [e.name for e in product.life_events.all()]
    text = "\n".join([product.keywords, product.sdg_areas, *events])
    links = getattr(product, "curated_links", None)
    if links is None:
        links = product.answers.count() + product.local_variants.count()
    curated = bool(product.keywords or events or links)
    return _Document(
        DocumentKind.PRODUCT,
        product.uuid,
        product.name,
        text,
        f"{product.name} {product.keywords} {' '.join(events)}".strip(),
        1.0 if curated else UNCURATED_PRODUCT_BOOST,
    )


def _answers() -> Iterable[QuestionAnswer]:
    return QuestionAnswer.objects.filter(status=AnswerStatus.ACTIVE).prefetch_related(
        "organisations", "life_events", "products"
    )


def _products() -> QuerySet[Product]:
    return Product.objects.prefetch_related("life_events").annotate(
        curated_links=Count("answers", distinct=True) + Count("local_variants", distinct=True)
    )


def _store(documents: Sequence[_Document]) -> list[SearchDocument]:
    """Upsert search documents; a changed embedding text drops its cached vector."""
    existing = {
        d.object_uuid: d
        for d in SearchDocument.objects.filter(object_uuid__in=[d.uuid for d in documents])
    }
    stored: list[SearchDocument] = []
    for document in documents:
        row = existing.get(document.uuid) or SearchDocument(
            kind=document.kind, object_uuid=document.uuid
        )
        row.title = document.title[:300]
        row.text = document.text
        row.boost = document.boost
        if row.embedding_text != document.embedding_text:
            row.embedding_text = document.embedding_text
            row.embedding = None
            row.embedding_key = ""
        stored.append(row)
    now = timezone.now()
    for row in stored:
        row.updated_at = now
    SearchDocument.objects.bulk_create([r for r in stored if r.pk is None], batch_size=500)
    SearchDocument.objects.bulk_update(
        [r for r in stored if r.pk is not None],
        ["title", "text", "boost", "embedding_text", "embedding", "embedding_key", "updated_at"],
        batch_size=500,
    )
    forget_vocabulary()
    # bulk_create on SQLite returns no primary keys for older versions: read them back.
    return list(SearchDocument.objects.filter(object_uuid__in=[d.uuid for d in documents]))


def _index(rows: Sequence[SearchDocument]) -> None:
    vocabulary = current_vocabulary()
    full_text_backend().replace([(r.pk, r.title, r.text) for r in rows], vocabulary)


def _unindex(uuids: Sequence[Any]) -> None:
    ids = list(SearchDocument.objects.filter(object_uuid__in=uuids).values_list("pk", flat=True))
    if ids:
        full_text_backend().remove(ids)
        SearchDocument.objects.filter(pk__in=ids).delete()
        forget_vocabulary()


@transaction.atomic
def index_answer(answer: QuestionAnswer) -> None:
    """Bring one answer's search document in step; an inactive answer leaves the index."""
    if answer.status != AnswerStatus.ACTIVE:
        _unindex([answer.uuid])
        return
    _index(_store([_answer_document(answer)]))


@transaction.atomic
def index_products(products: Iterable[Product]) -> None:
    """Re-index products, e.g. after a life event or local variant that names them changed."""
    pks = [p.pk for p in products]
    documents = [_product_document(p) for p in _products().filter(pk__in=pks)]
    if documents:
        _index(_store(documents))


@transaction.atomic
def unindex(uuid: Any) -> None:
    _unindex([uuid])


@transaction.atomic
def rebuild_search_index(progress: Callable[[str], None] | None = None) -> int:
    """Index every active answer and every product again, with the whole corpus vocabulary.

    Compound splitting depends on the words of the whole corpus, so after large edits a
    rebuild splits older documents against words that arrived later. Cached embeddings
    whose text did not change are kept.
    """
    documents = [_answer_document(a) for a in _answers()]
    documents += [_product_document(p) for p in _products()]
    cached = {
        uuid: (key, vector)
        for uuid, key, vector in SearchDocument.objects.values_list(
            "object_uuid", "embedding_key", "embedding"
        )
    }
    SearchDocument.objects.all().delete()
    backend = full_text_backend()
    backend.clear()
    vocabulary = Vocabulary.from_texts(f"{d.title[:300]}\n{d.text}" for d in documents)
    rows = []
    for document in documents:
        key, vector = cached.get(document.uuid, ("", None))
        fresh = key == encoder.text_key(document.embedding_text)
        rows.append(
            SearchDocument(
                kind=document.kind,
                object_uuid=document.uuid,
                title=document.title[:300],
                text=document.text,
                embedding_text=document.embedding_text,
                boost=document.boost,
                embedding=vector if fresh else None,
                embedding_key=key if fresh else "",
            )
        )
    created = SearchDocument.objects.bulk_create(rows, batch_size=500)
    backend.replace([(r.pk, r.title, r.text) for r in created], vocabulary)
    forget_vocabulary()
    if progress:
        progress(f"Zoekindex: {len(created)} documenten.")
    return len(created)


def cache_embeddings(rows: Sequence[SearchDocument], batch_size: int = 64) -> int:
    """Encode the rows whose cached vector is missing or stale; returns how many were."""
    stale = [r for r in rows if r.embedding_key != encoder.text_key(r.embedding_text)]
    for start in range(0, len(stale), batch_size):
        batch = stale[start : start + batch_size]
        vectors = encoder.encode([r.embedding_text for r in batch])
        for row, vector in zip(batch, vectors, strict=True):
            row.embedding = encoder.to_bytes(vector)
            row.embedding_key = encoder.text_key(row.embedding_text)
        SearchDocument.objects.bulk_update(batch, ["embedding", "embedding_key"])
    return len(stale)


def embed_all(progress: Callable[[str], None] | None = None) -> int:
    """Fill the embedding cache for the whole index, so the first searches are fast."""
    if not encoder.available():
        if progress:
            progress("Zinsencoder niet beschikbaar: zoeken gebruikt alleen de volledige tekst.")
        return 0
    count = cache_embeddings(list(SearchDocument.objects.all()))
    if progress:
        progress(f"Embeddings: {count} berekend.")
    return count


@transaction.atomic
def deactivate_answers(answers: Iterable[QuestionAnswer]) -> int:
    """Take answers out of use: they stay for the record but search no longer finds them."""
    uuids = [a.uuid for a in answers]
    count = QuestionAnswer.objects.filter(uuid__in=uuids).update(status=AnswerStatus.INACTIVE)
    _unindex(uuids)
    return count
