"""Request forms from a pack: one YAML file per form version in the pack's `forms/` folder.

Loading checks every file first against the case types and the data catalogue already
loaded (the case type exists, each property is one of its properties, each known field
names an element that can pre-fill and a path that exists in its value) and reports
every problem with file, field entry and key; only a clean folder is written, in one
transaction. A published version is never changed: different content for it is refused
and the fix is a new version. See docs/ask-once.md for the format.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from klantocratie.cases.models import CaseTypeVersion
from klantocratie.cases.services import version_in_force
from klantocratie.packfiles import FileChecker, read_yaml_file, version_problems
from klantocratie.registry.models import DataElement, PartyType
from klantocratie.validation import Problem, ProblemsFound

from .definitions import (
    AS_ADDRESS,
    AS_AGE,
    CONVERSIONS,
    DATE_KEYS,
    DESCRIPTION_MAX,
    RECORD_KEYS,
    SCALAR_ELEMENTS,
    TO_DESCRIPTION,
    TO_EXPLANATION,
    TO_PROPERTY,
)
from .models import FormState, RequestForm

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIELD_KEYS = {"code", "label", "help", "required", "to", "property", "known"}


class FormPackError(ProblemsFound):
    """The forms were not loaded; `problems` lists why."""


@dataclass
class FormSummary:
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _case_type_version(check: FileChecker, case_type: str, on: date) -> CaseTypeVersion | None:
    if not case_type:
        return None
    try:
        return version_in_force(case_type, on)
    except ValidationError:
        known = CaseTypeVersion.objects.filter(case_type__identification=case_type).exists()
        message = (
            f"zaaktype '{case_type}' heeft geen gepubliceerde versie op {on:%d-%m-%Y}"
            if known
            else f"onbekend zaaktype '{case_type}'"
        )
        check.fail("", "case_type", message)
        return None


def _known(
    check: FileChecker,
    entry: str,
    known: Any,
    party_types: list[str],
    elements: dict[str, DataElement],
) -> dict[str, str]:
    """The element, path and conversion of a known field, each checked."""
    if not isinstance(known, dict):
        check.fail(entry, "known", "verwacht velden: element, path en eventueel as")
        return {}
    where = f"{entry}, known"
    code = check.text(known, "element", where)
    path = check.text(known, "path", where, required=False)
    convert = check.text(known, "as", where, required=False)
    for key in sorted(set(known) - {"element", "path", "as"}):
        check.fail(where, key, "onbekende sleutel; gebruik element, path en as")
    element = elements.get(code)
    if code and element is None:
        check.fail(where, "element", f"onbekend gegeven '{code}'")
        return {}
    if element is None:
        return {}
    if element.party_type not in party_types:
        check.fail(
            where,
            "element",
            f"'{code}' hoort bij een {PartyType(element.party_type).label.lower()}, "
            f"maar het formulier is voor {', '.join(party_types) or 'niemand'}",
        )
    if code not in RECORD_KEYS and code not in SCALAR_ELEMENTS:
        check.fail(where, "element", f"'{code}' kan een formulier niet vooraf invullen")
        return {}
    if convert and convert not in CONVERSIONS:
        check.fail(where, "as", f"'{convert}' is niet toegestaan; kies uit {sorted(CONVERSIONS)}")
    if convert == AS_ADDRESS:
        if code != "person.address" or path:
            check.fail(where, "as", "'adres' geldt voor person.address als geheel, zonder path")
    elif code in SCALAR_ELEMENTS:
        if path:
            check.fail(where, "path", f"'{code}' is één waarde; laat path weg")
    elif not path:
        check.fail(where, "path", f"kies een onderdeel: {', '.join(sorted(RECORD_KEYS[code]))}")
    elif path not in RECORD_KEYS[code]:
        check.fail(
            where,
            "path",
            f"'{path}' bestaat niet in {code}; kies uit {', '.join(sorted(RECORD_KEYS[code]))}",
        )
    if convert == AS_AGE and (code, path) not in DATE_KEYS:
        check.fail(where, "as", "'leeftijd' geldt alleen voor een datum")
    return {"element": code, "party_type": element.party_type, "path": path, "convert": convert}


def _fields(
    check: FileChecker,
    data: dict[str, Any],
    version: CaseTypeVersion | None,
    party_types: list[str],
    elements: dict[str, DataElement],
) -> list[dict[str, Any]]:
    entries = check.entries(data, "fields", required=True)
    codes = check.codes(entries)
    properties = {p.code: p for p in version.property_types.all()} if version else {}
    used_properties: dict[str, str] = {}
    fields = []
    for code, (entry, item) in zip(codes, entries, strict=True):
        if code and not _SLUG.match(code):
            check.fail(entry, "code", "alleen kleine letters, cijfers en koppeltekens")
        for key in sorted(set(item) - _FIELD_KEYS):
            check.fail(entry, key, f"onbekende sleutel; gebruik {', '.join(sorted(_FIELD_KEYS))}")
        prop_code = check.text(item, "property", entry, required=False)
        to = check.text(item, "to", entry, required=False)
        if prop_code and to:
            check.fail(entry, "to", "een veld gaat naar een eigenschap óf naar to, niet beide")
        elif prop_code:
            to = TO_PROPERTY
            if version is not None and prop_code not in properties:
                check.fail(
                    entry,
                    "property",
                    f"zaaktype '{version.case_type.identification}' kent eigenschap "
                    f"'{prop_code}' niet; kies uit {', '.join(sorted(properties)) or '(geen)'}",
                )
            if prop_code in used_properties:
                check.fail(
                    entry,
                    "property",
                    f"'{prop_code}' wordt al gevuld door veld '{used_properties[prop_code]}'",
                )
            used_properties[prop_code] = code
        elif to not in (TO_DESCRIPTION, TO_EXPLANATION):
            check.fail(
                entry,
                "to",
                "noem property (een eigenschap van het zaaktype) of to: description of "
                "to: explanation",
            )
        label = check.text(item, "label", entry, required=not prop_code, max_length=100)
        if not label and prop_code in properties:
            label = properties[prop_code].name
        required = item.get("required", True)
        if not isinstance(required, bool):
            check.fail(entry, "required", "verwacht true of false")
            required = True
        known = (
            _known(check, entry, item["known"], party_types, elements)
            if item.get("known") is not None
            else {}
        )
        fields.append(
            {
                "code": code,
                "label": label,
                "help": check.text(item, "help", entry, required=False, max_length=500),
                "required": required,
                "to": to,
                "case_property": prop_code,
                "element": known.get("element", ""),
                "party_type": known.get("party_type", ""),
                "path": known.get("path", ""),
                "convert": known.get("convert", ""),
            }
        )
    describing = [f["code"] for f in fields if f["to"] == TO_DESCRIPTION]
    if len(describing) > 1:
        check.fail("", "fields", f"alleen één veld kan de omschrijving zijn: {describing}")
    return fields


def _description(check: FileChecker, data: dict[str, Any], fields: list[dict[str, Any]]) -> str:
    """The case description template; checked for placeholders that name fields."""
    if any(f["to"] == TO_DESCRIPTION for f in fields):
        if data.get("description"):
            check.fail("", "description", "een veld vult de omschrijving al (to: description)")
        return ""
    template = check.text(data, "description", max_length=200)
    codes = {f["code"] for f in fields}
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        check.fail("", "description", f"ongeldige {{…}}: {error}")
        return template
    for name in names:
        if name not in codes:
            check.fail("", "description", f"{{{name}}} is geen veld van dit formulier")
    if not names and len(template) > DESCRIPTION_MAX:
        check.fail("", "description", f"langer dan {DESCRIPTION_MAX} tekens")
    return template


def _parse(
    path: Path, data: dict[str, Any], check: FileChecker, elements: dict[str, DataElement]
) -> dict[str, Any]:
    spec: dict[str, Any] = {"file": path.name}
    spec["code"] = check.text(data, "code", max_length=50)
    if spec["code"] and not _SLUG.match(spec["code"]):
        check.fail("", "code", "alleen kleine letters, cijfers en koppeltekens")
    spec["version"] = check.number(data, "version")
    if spec["version"] == 0:
        check.fail("", "version", "versies beginnen bij 1")
    spec["state"] = check.choice(data, "state", {s.value for s in FormState}, default="draft")
    spec["valid_from"] = check.date(data, "valid_from")
    spec["valid_until"] = check.date(data, "valid_until", required=False)
    if spec["valid_from"] and spec["valid_until"] and spec["valid_until"] < spec["valid_from"]:
        check.fail("", "valid_until", "ligt vóór valid_from")
    spec["title"] = check.text(data, "title", max_length=100)
    spec["intro"] = check.text(data, "intro")
    spec["case_type"] = check.text(data, "case_type", max_length=50)
    party_types = data.get("for")
    allowed = {t.value for t in PartyType}
    if not isinstance(party_types, list) or not party_types:
        check.fail("", "for", f"verwacht een lijst met {' en/of '.join(sorted(allowed))}")
        party_types = []
    for kind in party_types:
        if kind not in allowed:
            check.fail("", "for", f"'{kind}' is niet toegestaan; kies uit {sorted(allowed)}")
    spec["party_types"] = [str(kind) for kind in party_types if kind in allowed]
    on = max(spec["valid_from"] or timezone.localdate(), timezone.localdate())
    version = _case_type_version(check, spec["case_type"], on)
    spec["fields"] = _fields(check, data, version, spec["party_types"], elements)
    spec["description"] = _description(check, data, spec["fields"])
    return spec


def _fingerprint(spec: dict[str, Any]) -> str:
    plain = {k: (str(v) if isinstance(v, date) else v) for k, v in spec.items() if k != "file"}
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


def check_request_forms(folder: Path | str) -> list[dict[str, Any]]:
    """Parse and check every file; raise FormPackError listing all problems."""
    path = Path(folder)
    if not path.is_dir():
        raise FormPackError([Problem(str(path), "", "", "map bestaat niet")])
    problems: list[Problem] = []
    elements = {e.code: e for e in DataElement.objects.all()}
    specs = []
    for file in sorted(path.glob("*.yaml")):
        data = read_yaml_file(file, problems)
        if data is None:
            continue
        spec = _parse(file, data, FileChecker(file.name, problems), elements)
        spec["sha256"] = _fingerprint(spec)
        specs.append(spec)
    problems.extend(version_problems(specs, code_field="code", frozen_hash=_published_hash))
    if problems:
        raise FormPackError(problems)
    return specs


def _published_hash(spec: dict[str, Any]) -> str | None:
    existing = RequestForm.objects.filter(code=spec["code"], version=spec["version"]).first()
    return existing.content_sha256 if existing and existing.is_published else None


def load_request_forms(folder: Path | str) -> FormSummary:
    """Check the folder, then write every new or changed form version in one transaction."""
    specs = check_request_forms(folder)
    summary = FormSummary()
    with transaction.atomic():
        for spec in sorted(specs, key=lambda s: (s["code"], s["version"])):
            label = f"{spec['code']} v{spec['version']}"
            values = {
                "state": spec["state"],
                "valid_from": spec["valid_from"],
                "valid_until": spec["valid_until"],
                "title": spec["title"],
                "intro": spec["intro"],
                "case_type": spec["case_type"],
                "party_types": spec["party_types"],
                "description": spec["description"],
                "fields": spec["fields"],
                "source_file": spec["file"],
                "content_sha256": spec["sha256"],
            }
            existing = RequestForm.objects.filter(code=spec["code"], version=spec["version"])
            if existing.filter(content_sha256=spec["sha256"]).exists():
                summary.unchanged.append(label)
                continue
            RequestForm.objects.update_or_create(
                code=spec["code"], version=spec["version"], defaults=values
            )
            summary.loaded.append(label)
    return summary
