"""Knowledge packs: a region's life events, answers, product keywords and local variants.

A pack is a folder of YAML files (see docs/knowledge.md). Loading checks every file
first and reports every problem with file, entry and field; only a clean pack is
written, in one transaction.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction

from klantocratie.registry.models import Organisation, OrganisationKind
from klantocratie.validation import Problem, ProblemsFound

from .models import AnswerStatus, Audience, LifeEvent, LocalVariant, Product, QuestionAnswer
from .services import embed_all, import_upl, rebuild_search_index

LIFE_EVENTS_FILE = "life-events.yaml"
PRODUCTS_FILE = "products.yaml"
VARIANTS_FILE = "local-variants.yaml"
ANSWERS_GLOB = "answers*.yaml"


class KnowledgePackError(ProblemsFound):
    """The knowledge folder was not loaded; `problems` lists why."""


@dataclass
class KnowledgeSummary:
    counts: dict[str, int] = field(default_factory=dict)


_url = URLValidator(schemes=["http", "https"])


class _Reader:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.products = {p.name: p for p in Product.objects.all()}
        self.organisations = {o.code: o for o in Organisation.objects.all()}

    def load(self, name: str, key: str, required: bool = False) -> list[tuple[str, dict[str, Any]]]:
        path = self.folder / name
        if not path.exists():
            if required:
                self.problems.append(Problem(name, "", "", "bestand ontbreekt"))
            return []
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"regel {mark.line + 1}" if mark else ""
            self.problems.append(Problem(name, where, "", f"geen geldige YAML ({error})"))
            return []
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            self.problems.append(Problem(name, "", key, f"verwacht een lijst onder '{key}:'"))
            return []
        entries = []
        for index, entry in enumerate(data[key], start=1):
            label = f"item {index}"
            if not isinstance(entry, dict):
                self.problems.append(Problem(name, label, "", "verwacht velden (naam: waarde)"))
                continue
            ident = entry.get("slug") or entry.get("name") or entry.get("product")
            entries.append((f"{label} ({ident})" if ident else label, entry))
        return entries

    def fail(self, file: str, entry: str, fieldname: str, message: str) -> None:
        self.problems.append(Problem(file, entry, fieldname, message))

    def text(
        self, file: str, entry: str, data: dict[str, Any], name: str, required: bool = True
    ) -> str:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(file, entry, name, "verplicht veld ontbreekt")
            return ""
        if not isinstance(value, str | int | float):
            self.fail(file, entry, name, "verwacht tekst")
            return ""
        return str(value).strip()

    def listing(self, file: str, entry: str, data: dict[str, Any], name: str) -> list[Any]:
        value = data.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(file, entry, name, "verwacht een lijst")
            return []
        return value

    def product_refs(self, file: str, entry: str, data: dict[str, Any]) -> list[Product]:
        found = []
        for name in self.listing(file, entry, data, "products"):
            product = self.products.get(str(name))
            if product is None:
                self.fail(file, entry, "products", f"onbekend UPL-product '{name}'")
            else:
                found.append(product)
        return found

    def organisation_refs(self, file: str, entry: str, data: dict[str, Any]) -> list[Organisation]:
        found = []
        for code in self.listing(file, entry, data, "organisations"):
            organisation = self.organisations.get(str(code))
            if organisation is None:
                self.fail(file, entry, "organisations", f"onbekende organisatie '{code}'")
            else:
                found.append(organisation)
        return found

    def choice(
        self,
        file: str,
        entry: str,
        data: dict[str, Any],
        name: str,
        allowed: list[str],
        default: str,
    ) -> str:
        value = str(data.get(name, default))
        if value not in allowed:
            self.fail(file, entry, name, f"'{value}' is geen van {', '.join(allowed)}")
        return value

    def date(self, file: str, entry: str, data: dict[str, Any]) -> dt.date | None:
        value = data.get("last_reviewed")
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(file, entry, "last_reviewed", f"'{value}' is geen datum (JJJJ-MM-DD)")
            return None

    def source(self, file: str, entry: str, data: dict[str, Any]) -> tuple[str, str]:
        source = data.get("source")
        if not isinstance(source, dict) or not str(source.get("name", "")).strip():
            self.fail(file, entry, "source", "verwacht een bron met 'name' (en eventueel 'url')")
            return "", ""
        url = str(source.get("url", "") or "").strip()
        if url:
            try:
                _url(url)
            except ValidationError:
                self.fail(file, entry, "source.url", f"'{url}' is geen geldige URL")
        return str(source["name"]).strip(), url


def _life_events(reader: _Reader) -> list[dict[str, Any]]:
    file, parsed, seen = LIFE_EVENTS_FILE, [], set()
    for entry, data in reader.load(file, "life_events", required=True):
        slug = reader.text(file, entry, data, "slug")
        try:
            validate_slug(slug)
        except ValidationError:
            reader.fail(file, entry, "slug", "alleen kleine letters, cijfers en streepjes")
        if slug in seen:
            reader.fail(file, entry, "slug", f"'{slug}' komt twee keer voor")
        seen.add(slug)
        parsed.append(
            {
                "slug": slug,
                "name": reader.text(file, entry, data, "name"),
                "description": reader.text(file, entry, data, "description", required=False),
                "audience": reader.choice(
                    file, entry, data, "audience", Audience.values, Audience.RESIDENT
                ),
                "products": reader.product_refs(file, entry, data),
            }
        )
    return parsed


def _product_keywords(reader: _Reader) -> list[tuple[Product, str]]:
    file, parsed = PRODUCTS_FILE, []
    for entry, data in reader.load(file, "products"):
        name = reader.text(file, entry, data, "name")
        product = reader.products.get(name)
        if name and product is None:
            reader.fail(file, entry, "name", f"onbekend UPL-product '{name}'")
        keywords = reader.text(file, entry, data, "keywords")
        if product is not None:
            parsed.append((product, keywords))
    return parsed


def _answers(reader: _Reader, events: set[str]) -> list[dict[str, Any]]:
    parsed: list[dict[str, Any]] = []
    seen: set[str] = set()
    files = sorted(reader.folder.glob(ANSWERS_GLOB))
    if not files:
        reader.fail(ANSWERS_GLOB, "", "", "geen antwoordbestanden gevonden")
    for path in files:
        file = path.name
        for entry, data in reader.load(file, "answers"):
            slug = reader.text(file, entry, data, "slug")
            if slug in seen:
                reader.fail(file, entry, "slug", f"'{slug}' komt twee keer voor")
            seen.add(slug)
            life_events = [str(e) for e in reader.listing(file, entry, data, "life_events")]
            for unknown in sorted(set(life_events) - events):
                reader.fail(file, entry, "life_events", f"onbekende levensgebeurtenis '{unknown}'")
            source_name, source_url = reader.source(file, entry, data)
            parsed.append(
                {
                    "file": file,
                    "entry": entry,
                    "slug": slug,
                    "question": reader.text(file, entry, data, "question"),
                    "answer": reader.text(file, entry, data, "answer"),
                    "status": reader.choice(
                        file, entry, data, "status", AnswerStatus.values, AnswerStatus.ACTIVE
                    ),
                    "audience": reader.choice(
                        file, entry, data, "audience", Audience.values, Audience.RESIDENT
                    ),
                    "departments": reader.text(file, entry, data, "departments", required=False),
                    "keywords": reader.text(file, entry, data, "keywords", required=False),
                    "organisations": reader.organisation_refs(file, entry, data),
                    "life_events": life_events,
                    "products": reader.product_refs(file, entry, data),
                    "related": [str(r) for r in reader.listing(file, entry, data, "related")],
                    "source_name": source_name,
                    "source_url": source_url,
                    "last_reviewed": reader.date(file, entry, data),
                }
            )
    for answer in parsed:
        for slug in answer["related"]:
            if slug not in seen:
                reader.fail(answer["file"], answer["entry"], "related", f"onbekende vraag '{slug}'")
    return parsed


def _variants(reader: _Reader) -> list[dict[str, Any]]:
    file, parsed, seen = VARIANTS_FILE, [], set()
    for entry, data in reader.load(file, "local_variants"):
        product_name = reader.text(file, entry, data, "product")
        product = reader.products.get(product_name)
        if product_name and product is None:
            reader.fail(file, entry, "product", f"onbekend UPL-product '{product_name}'")
        code = reader.text(file, entry, data, "municipality")
        municipality = reader.organisations.get(code)
        if code and (municipality is None or municipality.kind != OrganisationKind.MUNICIPALITY):
            reader.fail(file, entry, "municipality", f"'{code}' is geen bekende gemeente")
        if (product_name, code) in seen:
            reader.fail(file, entry, "product", "deze variant komt twee keer voor")
        seen.add((product_name, code))
        fee = None
        if data.get("fee") is not None:
            try:
                fee = Decimal(str(data["fee"]))
            except InvalidOperation:
                reader.fail(file, entry, "fee", f"'{data['fee']}' is geen bedrag")
            else:
                if fee < 0:
                    reader.fail(file, entry, "fee", "een tarief is niet negatief")
        links = []
        for link in reader.listing(file, entry, data, "links"):
            if not isinstance(link, dict) or not link.get("titel") or not link.get("url"):
                reader.fail(file, entry, "links", "elke link heeft een 'titel' en een 'url'")
                continue
            try:
                _url(str(link["url"]))
            except ValidationError:
                reader.fail(file, entry, "links", f"'{link['url']}' is geen geldige URL")
            links.append({"titel": str(link["titel"]), "url": str(link["url"])})
        source_name, source_url = reader.source(file, entry, data)
        parsed.append(
            {
                "product": product,
                "municipality": municipality,
                "fee": fee,
                "fee_note": reader.text(file, entry, data, "fee_note", required=False),
                "conditions": reader.text(file, entry, data, "conditions", required=False),
                "opening_hours": reader.text(file, entry, data, "opening_hours", required=False),
                "links": links,
                "source_name": source_name,
                "source_url": source_url,
                "last_reviewed": reader.date(file, entry, data),
            }
        )
    return parsed


def load_knowledge(folder: Path | str) -> KnowledgeSummary:
    """Load a knowledge pack after checking all of it; nothing is written if any part fails.

    Entries are matched on their slug (answers, life events) or product and municipality
    (local variants), so loading the same pack again updates instead of duplicating.
    """
    path = Path(folder)
    if not path.is_dir():
        raise KnowledgePackError([Problem(str(path), "", "", "map bestaat niet")])
    reader = _Reader(path)
    if not reader.products:
        raise KnowledgePackError(
            [
                Problem(
                    str(path), "", "", "er zijn nog geen UPL-producten: voer eerst import_upl uit"
                )
            ]
        )
    events = _life_events(reader)
    keywords = _product_keywords(reader)
    answers = _answers(reader, {e["slug"] for e in events})
    variants = _variants(reader)
    if reader.problems:
        raise KnowledgePackError(reader.problems)
    with transaction.atomic():
        event_objects: dict[str, LifeEvent] = {}
        for event in events:
            products = event.pop("products")
            event_objects[event["slug"]], _ = LifeEvent.objects.update_or_create(
                slug=event["slug"],
                defaults={**event, "position": len(event_objects)},
            )
            event_objects[event["slug"]].products.set(products)
        for product, words in keywords:
            product.keywords = words
            product.save(update_fields=["keywords"])
        answer_objects: dict[str, QuestionAnswer] = {}
        for answer in answers:
            values = {
                k: answer[k]
                for k in (
                    "question",
                    "answer",
                    "status",
                    "audience",
                    "departments",
                    "keywords",
                    "source_name",
                    "source_url",
                    "last_reviewed",
                )
            }
            qa, _ = QuestionAnswer.objects.update_or_create(slug=answer["slug"], defaults=values)
            qa.organisations.set(answer["organisations"])
            qa.life_events.set([event_objects[slug] for slug in answer["life_events"]])
            qa.products.set(answer["products"])
            answer_objects[answer["slug"]] = qa
        for answer in answers:
            answer_objects[answer["slug"]].related_questions.set(
                [answer_objects[slug] for slug in answer["related"]]
            )
        for variant in variants:
            LocalVariant.objects.update_or_create(
                product=variant.pop("product"),
                municipality=variant.pop("municipality"),
                defaults=variant,
            )
        documents = rebuild_search_index()
    return KnowledgeSummary(
        counts={
            "life events": len(events),
            "answers": len(answers),
            "product keyword sets": len(keywords),
            "local variants": len(variants),
            "search documents": documents,
        }
    )


def load_demo_knowledge(pack: Path | str) -> str:
    """The national product list and the pack's knowledge folder, as the demo loads them."""
    products = import_upl()
    summary = load_knowledge(Path(pack) / "knowledge")
    # Filling the embedding cache now keeps the demo's first searches fast.
    embed_all()
    counts = ", ".join(f"{n} {k}" for k, n in summary.counts.items())
    return f"{products.products} UPL products, {counts}"
