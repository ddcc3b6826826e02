"""Case types from a pack: one YAML file per case-type version, decision tables beside it.

A pack's `cases/` folder holds files such as `omgevingsvergunning-v1.yaml`; each
names its case type, version and state (draft or published) and lists its status,
result, role, document, property and task types, its decision tables (JDM files in
the same folder) and the optional features: offers, second opinion and providers.
See docs/cases.md for the format.

Loading checks every file first and reports every problem with file, entry and field;
only a clean folder is written, in one transaction. A published version is never
changed: loading a different content for it is refused, and the fix is a new version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction

from klantocratie.knowledge.selectors import product_names
from klantocratie.packfiles import FileChecker, read_yaml_file, version_problems
from klantocratie.registry.models import Organisation
from klantocratie.validation import Problem, ProblemsFound

from . import decisions
from .models import (
    CaseType,
    CaseTypeVersion,
    Confidentiality,
    DecisionTable,
    DocumentType,
    OfferType,
    PropertyType,
    ProviderOption,
    ResultType,
    RoleType,
    SecondOpinionRule,
    StatusType,
    TaskType,
    VersionState,
)
from .services import publish_version

DATA = Path(__file__).resolve().parent / "data"
TASK_FIELD_FORMATS = {"tekst", "getal", "datum", "ja_nee", "keuze", "punten"}


class CasePackError(ProblemsFound):
    """The case types were not loaded; `problems` lists why."""


@dataclass
class CaseTypeSummary:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


@cache
def selection_list_classes() -> dict[str, dict[str, Any]]:
    """The national selection list's results, by their full number (e.g. '11.1')."""
    rows = json.loads((DATA / "resultaten.json").read_text(encoding="utf-8"))
    return {row["volledigNummer"]: row for row in rows}


@cache
def generic_result_descriptions() -> frozenset[str]:
    rows = json.loads((DATA / "resultaattypeomschrijvingen.json").read_text(encoding="utf-8"))
    return frozenset(row["omschrijving"] for row in rows)


@cache
def process_types() -> frozenset[str]:
    rows = json.loads((DATA / "procestypen.json").read_text(encoding="utf-8"))
    return frozenset(row["naam"].strip() for row in rows)


@cache
def signalen_categories() -> list[dict[str, str]]:
    """Signalen's public-space categories: sub-categories under their main category."""
    rows = json.loads((DATA / "signalen-categories.json").read_text(encoding="utf-8"))
    mains = {row["pk"]: row["fields"]["name"] for row in rows if row["fields"]["parent"] is None}
    return [
        {
            "code": row["fields"]["slug"],
            "label": f"{mains[row['fields']['parent']]}: {row['fields']['name']}",
        }
        for row in rows
        if row["fields"]["parent"] is not None and row["fields"]["is_active"]
    ]


def _parse_version(
    path: Path,
    data: dict[str, Any],
    check: FileChecker,
    products: set[str] | None,
    organisations: dict[str, Organisation],
) -> dict[str, Any]:
    """Turn one file into plain values, recording every problem on the way."""
    spec: dict[str, Any] = {"file": path.name}
    spec["identification"] = check.text(data, "identification", max_length=50)
    org_code = check.text(data, "organisation")
    spec["organisation"] = organisations.get(org_code)
    if org_code and spec["organisation"] is None:
        check.fail("", "organisation", f"onbekende organisatie '{org_code}'")
    spec["version"] = check.number(data, "version")
    if spec["version"] == 0:
        check.fail("", "version", "versies beginnen bij 1")
    spec["state"] = check.choice(data, "state", {s.value for s in VersionState}, default="draft")
    spec["valid_from"] = check.date(data, "valid_from")
    spec["valid_until"] = check.date(data, "valid_until", required=False)
    if spec["valid_from"] and spec["valid_until"] and spec["valid_until"] < spec["valid_from"]:
        check.fail("", "valid_until", "ligt vóór valid_from")
    spec["version_date"] = check.date(data, "version_date", required=False) or spec["valid_from"]
    for name, limit in (
        ("description", 80),
        ("subject", 80),
        ("initiator_action", 20),
        ("handler_action", 20),
    ):
        spec[name] = check.text(data, name, max_length=limit)
    spec["purpose"] = check.text(data, "purpose")
    spec["trigger"] = check.text(data, "trigger")
    spec["processing_days"] = check.number(data, "processing_days")
    spec["service_norm_days"] = check.number(data, "service_norm_days", required=False)
    spec["suspension_allowed"] = check.flag(data, "suspension_allowed")
    spec["extension_allowed"] = check.flag(data, "extension_allowed")
    spec["extension_days"] = check.number(data, "extension_days", required=False)
    if spec["extension_allowed"] and not spec["extension_days"]:
        check.fail("", "extension_days", "verplicht als extension_allowed true is")
    spec["confidentiality"] = check.choice(
        data, "confidentiality", {c.value for c in Confidentiality}, default="zaakvertrouwelijk"
    )
    spec["first_line_can_handle"] = check.flag(data, "first_line_can_handle")
    spec["internal_or_external"] = check.choice(
        data, "internal_or_external", {"intern", "extern"}, default="extern"
    )
    spec["process_type"] = check.text(data, "process_type", required=False)
    if spec["process_type"] and spec["process_type"] not in process_types():
        check.fail("", "process_type", f"'{spec['process_type']}' staat niet in de selectielijst")
    spec["products"] = [str(p) for p in data.get("products") or []]
    if products is not None:
        for name in spec["products"]:
            if name not in products:
                check.fail("", "products", f"'{name}' staat niet in de productencatalogus (UPL)")
    keywords = data.get("keywords") or []
    spec["keywords"] = [str(k) for k in keywords] if isinstance(keywords, list) else []

    statuses = check.entries(data, "status_types", required=True)
    status_codes = check.codes(statuses)
    spec["status_types"] = [
        {
            "code": code,
            "order": order,
            "description": check.text(item, "description", entry, max_length=80),
            "resident_text": check.text(item, "resident_text", entry, max_length=1000),
            "notify": check.flag(item, "notify", entry),
        }
        for order, (code, (entry, item)) in enumerate(zip(status_codes, statuses, strict=True), 1)
    ]
    results = check.entries(data, "result_types", required=True)
    spec["result_types"] = []
    for code, (entry, item) in zip(check.codes(results), results, strict=True):
        klass = check.text(item, "selection_list_class", entry)
        row = selection_list_classes().get(klass)
        if klass and row is None:
            check.fail(entry, "selection_list_class", f"'{klass}' staat niet in de selectielijst")
        spec["result_types"].append(
            {
                "code": code,
                "description": check.text(item, "description", entry, max_length=30),
                "generic_description": check.choice(
                    item, "generic", generic_result_descriptions(), entry
                ),
                "selection_list_class": klass,
                "archive_action": (row or {}).get("waardering", ""),
                "retention_period": (row or {}).get("bewaartermijn") or "",
                "offers_decision": check.flag(item, "offers", entry),
            }
        )
    roles = check.entries(data, "role_types", required=True)
    spec["role_types"] = [
        {
            "code": code,
            "description": check.text(item, "description", entry, max_length=100),
            "generic": check.choice(item, "generic", {g.value for g in RoleType.Generic}, entry),
        }
        for code, (entry, item) in zip(check.codes(roles), roles, strict=True)
    ]
    if not any(r["generic"] == "initiator" for r in spec["role_types"]):
        check.fail("", "role_types", "een zaaktype heeft een roltype met generic: initiator")
    documents = check.entries(data, "document_types")
    spec["document_types"] = [
        {
            "code": code,
            "description": check.text(item, "description", entry, max_length=80),
            "confidentiality": check.choice(
                item,
                "confidentiality",
                {c.value for c in Confidentiality},
                entry,
                default=spec["confidentiality"] or "zaakvertrouwelijk",
            ),
            "required": check.flag(item, "required", entry),
            "direction": check.choice(
                item,
                "direction",
                {d.value for d in DocumentType.Direction},
                entry,
                default=DocumentType.Direction.INTERNAL,
            ),
        }
        for code, (entry, item) in zip(check.codes(documents), documents, strict=True)
    ]
    properties = check.entries(data, "property_types")
    spec["property_types"] = []
    for code, (entry, item) in zip(check.codes(properties), properties, strict=True):
        choices = item.get("choices") or []
        if choices == "signalen":
            choices = signalen_categories()
        elif not isinstance(choices, list):
            check.fail(entry, "choices", "verwacht een lijst of 'signalen'")
            choices = []
        spec["property_types"].append(
            {
                "code": code,
                "name": check.text(item, "name", entry, max_length=100),
                "format": check.choice(
                    item, "format", {f.value for f in PropertyType.Format}, entry
                ),
                "choices": choices,
            }
        )
    spec["decision_tables"] = []
    tables = check.entries(data, "decision_tables")
    for code, (entry, item) in zip(check.codes(tables), tables, strict=True):
        file_name = check.text(item, "file", entry)
        content: dict[str, Any] | None = None
        if file_name:
            table_path = path.parent / file_name
            if not table_path.is_file():
                check.fail(entry, "file", f"bestand '{file_name}' bestaat niet")
            else:
                try:
                    content = decisions.parse(table_path.read_text(encoding="utf-8"))
                except decisions.DecisionTableInvalid as error:
                    check.fail(entry, "file", f"{file_name}: {error}")
        spec["decision_tables"].append(
            {
                "code": code,
                "name": check.text(item, "name", entry, max_length=100),
                "content": content,
                "source_file": file_name,
            }
        )
    table_codes = {t["code"] for t in spec["decision_tables"]}
    tasks = check.entries(data, "task_types")
    spec["task_types"] = []
    for code, (entry, item) in zip(check.codes(tasks), tasks, strict=True):
        before = item.get("required_before")
        if before is not None and before not in status_codes:
            check.fail(entry, "required_before", f"onbekende status '{before}'")
        table = item.get("decision_table")
        if table is not None and table not in table_codes:
            check.fail(entry, "decision_table", f"onbekende beslistabel '{table}'")
        task_fields = check.entries(item, "fields")
        for field_entry, spec_field in task_fields:
            check.text(spec_field, "code", f"{entry}, {field_entry}")
            check.text(spec_field, "label", f"{entry}, {field_entry}")
            check.choice(
                spec_field, "format", TASK_FIELD_FORMATS, f"{entry}, {field_entry}", default="tekst"
            )
        discretionary = check.flag(item, "discretionary", entry)
        if discretionary and before is not None:
            check.fail(
                entry,
                "discretionary",
                "een taak naar keuze kan niet verplicht zijn vóór een status",
            )
        spec["task_types"].append(
            {
                "code": code,
                "name": check.text(item, "name", entry, max_length=100),
                "instructions": check.text(item, "instructions", entry, required=False),
                "required_before": before,
                "discretionary": discretionary,
                "fields": [{"format": "tekst", "required": False, **f} for _, f in task_fields],
                "decision_table": table,
                "advice_step": check.flag(item, "advice_step", entry),
            }
        )
    offers = check.entries(data, "offers")
    spec["offers"] = [
        {
            "code": code,
            "name": check.text(item, "name", entry, max_length=100),
            "description": check.text(item, "description", entry),
            "discount_percent": check.number(item, "discount_percent", entry, required=False) or 0,
            "valid_days": check.number(item, "valid_days", entry, required=False) or 30,
            "follow_up_case_type": check.text(item, "follow_up_case_type", entry, required=False),
        }
        for code, (entry, item) in zip(check.codes(offers), offers, strict=True)
    ]
    if spec["offers"] and not any(r["offers_decision"] for r in spec["result_types"]):
        check.fail("", "offers", "geen enkel resultaattype heeft offers: true")
    for offer in spec["offers"]:
        if offer["discount_percent"] > 100:
            check.fail(f"offers ({offer['code']})", "discount_percent", "hoogstens 100")
    opinion = data.get("second_opinion")
    spec["second_opinion"] = None
    if opinion is not None:
        entry = "second_opinion"
        if not isinstance(opinion, dict):
            check.fail(entry, "", "verwacht velden (naam: waarde)")
        else:
            committees = opinion.get("committees")
            if not isinstance(committees, list) or len(committees) < 2:
                check.fail(entry, "committees", "noem ten minste twee adviescommissies")
                committees = []
            points = check.entries(opinion, "points", required=True)
            try:
                cost = Decimal(str(opinion.get("cost_eur")))
            except InvalidOperation:
                check.fail(entry, "cost_eur", "verwacht een bedrag")
                cost = Decimal(0)
            if not any(t["advice_step"] for t in spec["task_types"]):
                check.fail(entry, "", "geen taaktype is een adviesstap (advice_step: true)")
            spec["second_opinion"] = {
                "committees": [str(c) for c in committees],
                "points": [
                    {"code": str(p.get("code")), "label": str(p.get("label"))} for _, p in points
                ],
                "cost_eur": cost,
                "request_days": check.number(opinion, "request_days", entry, required=False) or 14,
            }
    providers = check.entries(data, "providers")
    spec["providers"] = []
    for code, (entry, item) in zip(check.codes(providers), providers, strict=True):
        org = organisations.get(str(item.get("organisation")))
        if org is None:
            check.fail(entry, "organisation", f"onbekende organisatie '{item.get('organisation')}'")
        spec["providers"].append(
            {
                "code": code,
                "organisation": org,
                "description": check.text(item, "description", entry),
                "response_days": check.number(item, "response_days", entry),
            }
        )
    if len(spec["providers"]) == 1:
        check.fail("", "providers", "een keuze vraagt ten minste twee aanbieders")
    return spec


def _fingerprint(spec: dict[str, Any]) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Organisation):
            return value.code
        if isinstance(value, dt.date | Decimal):
            return str(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != "file"}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    return hashlib.sha256(json.dumps(plain(spec), sort_keys=True).encode()).hexdigest()


def check_case_types(folder: Path | str) -> list[dict[str, Any]]:
    """Parse and check every file; raise CasePackError listing all problems."""
    path = Path(folder)
    problems: list[Problem] = []
    if not path.is_dir():
        raise CasePackError([Problem(str(path), "", "", "map bestaat niet")])
    known_products = product_names()
    organisations = {o.code: o for o in Organisation.objects.all()}
    specs = []
    for file in sorted(path.glob("*.yaml")):
        data = read_yaml_file(file, problems)
        if data is None:
            continue
        spec = _parse_version(
            file, data, FileChecker(file.name, problems), known_products or None, organisations
        )
        spec["sha256"] = _fingerprint(spec)
        specs.append(spec)
    problems.extend(
        version_problems(specs, code_field="identification", frozen_hash=_published_hash)
    )
    if problems:
        raise CasePackError(problems)
    return specs


def _published_hash(spec: dict[str, Any]) -> str | None:
    existing = CaseTypeVersion.objects.filter(
        case_type__identification=spec["identification"], version=spec["version"]
    ).first()
    return existing.content_sha256 if existing and existing.is_published else None


def load_case_types(folder: Path | str) -> CaseTypeSummary:
    specs = check_case_types(folder)
    summary = CaseTypeSummary()
    with transaction.atomic():
        for spec in sorted(specs, key=lambda s: (s["identification"], s["version"])):
            label = f"{spec['identification']} v{spec['version']}"
            existing = CaseTypeVersion.objects.filter(
                case_type__identification=spec["identification"], version=spec["version"]
            ).first()
            if existing and existing.content_sha256 == spec["sha256"]:
                summary.unchanged.append(label)
                continue
            version = _write_version(spec, existing)
            if spec["state"] == VersionState.PUBLISHED:
                publish_version(version)
            summary.loaded.append(label)
    return summary


def _write_version(spec: dict[str, Any], existing: CaseTypeVersion | None) -> CaseTypeVersion:
    case_type, _ = CaseType.objects.update_or_create(
        identification=spec["identification"], defaults={"organisation": spec["organisation"]}
    )
    values = {
        name: spec[name]
        for name in (
            "valid_from",
            "valid_until",
            "version_date",
            "description",
            "purpose",
            "trigger",
            "subject",
            "internal_or_external",
            "processing_days",
            "service_norm_days",
            "suspension_allowed",
            "extension_allowed",
            "extension_days",
            "confidentiality",
            "products",
            "process_type",
            "first_line_can_handle",
            "keywords",
        )
    }
    values["source_file"] = spec["file"]
    values["content_sha256"] = spec["sha256"]
    if existing is not None:
        # Only drafts get here (published content is immutable): start them afresh.
        existing.delete()
    version = CaseTypeVersion.objects.create(
        case_type=case_type, version=spec["version"], state=VersionState.DRAFT, **values
    )
    statuses = {
        s["code"]: StatusType.objects.create(version=version, **s) for s in spec["status_types"]
    }
    for result in spec["result_types"]:
        ResultType.objects.create(version=version, **result)
    for role in spec["role_types"]:
        RoleType.objects.create(version=version, **role)
    for document in spec["document_types"]:
        DocumentType.objects.create(version=version, **document)
    for prop in spec["property_types"]:
        PropertyType.objects.create(version=version, **prop)
    tables = {
        t["code"]: DecisionTable.objects.create(
            version=version,
            code=t["code"],
            name=t["name"],
            content=t["content"],
            sha256=decisions.fingerprint(t["content"]),
            source_file=t["source_file"],
        )
        for t in spec["decision_tables"]
    }
    for task in spec["task_types"]:
        TaskType.objects.create(
            version=version,
            **{
                **task,
                "required_before": statuses.get(task["required_before"] or ""),
                "decision_table": tables.get(task["decision_table"] or ""),
            },
        )
    for offer in spec["offers"]:
        OfferType.objects.create(version=version, **offer)
    if spec["second_opinion"]:
        SecondOpinionRule.objects.create(version=version, **spec["second_opinion"])
    for provider in spec["providers"]:
        ProviderOption.objects.create(version=version, **provider)
    return version
