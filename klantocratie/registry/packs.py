"""Configuration packs: a municipality's organisations, sources, elements, processing
activities and grants as YAML files, validated as a whole and loaded in one transaction.

Problems are reported as ``file, entry N (name): field 'x': what is wrong`` so policy
staff can fix a pack without reading code. Nothing is written unless the whole pack is
valid.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.connectors.base import connector_class
from klantocratie.privacy.models import (
    ChoiceRule,
    GdprBasis,
    Grant,
    ProcessingActivity,
    SubjectScope,
)

from .models import (
    DataElement,
    Organisation,
    OrganisationKind,
    PartyType,
    Source,
    code_validator,
    element_code_validator,
)

PACK_FILES = ("organisations", "sources", "elements", "activities", "grants")
REQUIRED_FILES = ("organisations", "sources", "elements")


@dataclass(frozen=True)
class Problem:
    file: str
    entry: int | None
    name: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.entry is not None:
            where += f", entry {self.entry}" + (f" ({self.name})" if self.name else "")
        return (
            f"{where}: field '{self.field}': {self.message}"
            if self.field
            else f"{where}: {self.message}"
        )


class PackError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Pack:
    path: Path
    data: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


# --- reading and validating -------------------------------------------------------------


_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    # file: (required fields, optional fields)
    "organisations": ({"code", "name", "kind"}, {"oin", "phone"}),
    "sources": (
        {"code", "name", "organisation", "connector"},
        {"config", "timeout_seconds", "active"},
    ),
    "elements": (
        {"code", "label", "party_type", "category", "source"},
        {"description", "changeable", "special_category", "display_order"},
    ),
    "activities": (
        {
            "code",
            "version",
            "name",
            "purpose",
            "controller",
            "gdpr_basis",
            "legal_article",
            "retention",
            "valid_from",
        },
        {
            "data_categories",
            "retention_days",
            "choice_rule",
            "choice_purpose",
            "supplements",
            "valid_to",
        },
    ),
    "grants": (
        {"organisation", "role", "activity", "elements", "valid_from"},
        {"versions", "may_change", "subject_scope", "valid_to", "note"},
    ),
}


# Fields whose YAML value must have a particular shape; all other fields are text.
_BOOLEAN_FIELDS = {"changeable", "special_category", "active", "may_change"}
_INTEGER_FIELDS = {"display_order", "timeout_seconds", "retention_days", "version"}
_LIST_FIELDS = {"data_categories", "versions", "elements"}
_MAPPING_FIELDS = {"config"}
_DATE_FIELDS = {"valid_from", "valid_to"}
_MODELS: dict[str, type[Model]] = {
    "organisations": Organisation,
    "sources": Source,
    "elements": DataElement,
    "activities": ProcessingActivity,
    "grants": Grant,
}


def _shape_error(file: str, fieldname: str, value: Any) -> str | None:
    """Why a field's value has the wrong type or length for its column, or None."""
    if value is None:
        return None
    if fieldname in _BOOLEAN_FIELDS:
        return None if isinstance(value, bool) else "expected true or false"
    if fieldname in _INTEGER_FIELDS:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "expected a whole number"
    if fieldname in _LIST_FIELDS:
        if not isinstance(value, list):
            return "expected a list"
        if fieldname == "versions" and not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            return "expected a list of version numbers"
        return None
    if fieldname in _MAPPING_FIELDS:
        return None if isinstance(value, dict) else "expected a mapping of settings"
    if fieldname in _DATE_FIELDS or isinstance(value, dt.date):
        return None  # dates are checked where they are parsed
    if not isinstance(value, str):
        return "expected text"
    try:
        column = _MODELS[file]._meta.get_field(fieldname)
    except FieldDoesNotExist:
        return None
    limit = getattr(column, "max_length", None)
    if limit and len(value) > limit:
        return f"at most {limit} characters ({len(value)} given)"
    return None


def read_pack(path: Path | str) -> Pack:
    """Parse the pack's YAML files; raises PackError on unreadable or misshapen files."""
    pack = Pack(Path(path))
    problems: list[Problem] = []
    if not pack.path.is_dir():
        raise PackError([Problem(str(path), None, "", "", "not a directory")])
    for name in PACK_FILES:
        file = pack.path / f"{name}.yaml"
        if not file.exists():
            if name in REQUIRED_FILES:
                problems.append(Problem(file.name, None, "", "", "file is missing"))
            pack.data[name] = []
            continue
        try:
            content = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f" at line {mark.line + 1}" if mark else ""
            problems.append(
                Problem(
                    file.name,
                    None,
                    "",
                    "",
                    f"is not valid YAML{line}: {getattr(error, 'problem', error)}",
                )
            )
            continue
        except UnicodeDecodeError:
            problems.append(Problem(file.name, None, "", "", "is not UTF-8 text"))
            continue
        entries = content.get(name) if isinstance(content, dict) else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            problems.append(
                Problem(
                    file.name, None, "", name, f"expected a top-level '{name}:' list of entries"
                )
            )
            continue
        pack.data[name] = entries
    if problems:
        raise PackError(problems)
    return pack


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class _Checker:
    """Collects every problem in a pack instead of stopping at the first."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.problems: list[Problem] = []

    def problem(
        self,
        file: str,
        index: int | None,
        entry: dict[str, Any] | None,
        fieldname: str,
        message: str,
    ) -> None:
        name = str(
            (entry or {}).get("code")
            or "/".join(
                str((entry or {}).get(k, "")) for k in ("organisation", "role", "activity")
            ).strip("/")
        )
        self.problems.append(Problem(f"{file}.yaml", index, name, fieldname, message))

    def entries(self, file: str) -> Iterable[tuple[int, dict[str, Any]]]:
        required, optional = _FIELDS[file]
        for index, entry in enumerate(self.pack.data.get(file, []), start=1):
            for missing in sorted(required - entry.keys()):
                self.problem(file, index, entry, missing, "is required")
            for fieldname in sorted(entry.keys() & (required | optional)):
                error = _shape_error(file, fieldname, entry[fieldname])
                if error:
                    self.problem(file, index, entry, fieldname, error)
            for unknown in sorted(entry.keys() - required - optional):
                self.problem(
                    file,
                    index,
                    entry,
                    unknown,
                    f"unknown field (allowed: {', '.join(sorted(required | optional))})",
                )
            yield index, entry

    def validate(
        self,
        file: str,
        index: int,
        entry: dict[str, Any],
        fieldname: str,
        check: Callable[[Any], Any],
    ) -> Any:
        if fieldname not in entry:
            return None
        try:
            return check(entry[fieldname])
        except (ValidationError, ValueError, TypeError, LookupError) as error:
            message = (
                "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            )
            self.problem(file, index, entry, fieldname, message)
            return None

    def run(self) -> list[Problem]:
        organisations = self._unique_codes("organisations")
        for index, entry in self.entries("organisations"):
            self.validate("organisations", index, entry, "code", code_validator)
            self.validate("organisations", index, entry, "kind", _choice(OrganisationKind.values))

        sources = self._unique_codes("sources")
        provided: dict[str, frozenset[str]] = {}
        for index, entry in self.entries("sources"):
            self.validate("sources", index, entry, "code", code_validator)
            self.validate(
                "sources", index, entry, "organisation", _member(organisations, "organisation")
            )
            cls = self.validate("sources", index, entry, "connector", connector_class)
            if cls is not None and "code" in entry and isinstance(entry.get("config") or {}, dict):
                provided[entry["code"]] = cls(
                    Source(code=entry["code"], config=entry.get("config") or {})
                ).provides()

        elements: dict[str, str] = {}
        for index, entry in self.entries("elements"):
            code = entry.get("code")
            self.validate("elements", index, entry, "code", element_code_validator)
            self.validate("elements", index, entry, "party_type", _choice(PartyType.values))
            source = self.validate("elements", index, entry, "source", _member(sources, "source"))
            if code in elements:
                self.problem(
                    "elements",
                    index,
                    entry,
                    "source",
                    f"element declared twice: already sourced from '{elements[code]}'; an element has exactly one authoritative source",
                )
                continue
            if code and source:
                elements[code] = source
                if source in provided and code not in provided[source]:
                    self.problem(
                        "elements",
                        index,
                        entry,
                        "source",
                        f"the connector of source '{source}' does not provide {code}",
                    )

        activity_versions: dict[str, set[int]] = {}
        for index, entry in self.entries("activities"):
            self.validate("activities", index, entry, "code", code_validator)
            self.validate(
                "activities", index, entry, "controller", _member(organisations, "organisation")
            )
            self.validate("activities", index, entry, "gdpr_basis", _choice(GdprBasis.values))
            self.validate("activities", index, entry, "choice_rule", _choice(ChoiceRule.values))
            version = self.validate("activities", index, entry, "version", _positive_int)
            start = self.validate("activities", index, entry, "valid_from", _date)
            end = self.validate("activities", index, entry, "valid_to", _date)
            if start and end and end < start:
                self.problem("activities", index, entry, "valid_to", "lies before valid_from")
            if (
                entry.get("choice_rule") == ChoiceRule.OPT_IN
                and entry.get("gdpr_basis") != GdprBasis.CONSENT
            ):
                self.problem(
                    "activities",
                    index,
                    entry,
                    "gdpr_basis",
                    "an opt_in activity rests on consent (6.1.a)",
                )
            if version is not None and entry.get("code"):
                seen = activity_versions.setdefault(entry["code"], set())
                if version in seen:
                    self.problem(
                        "activities",
                        index,
                        entry,
                        "version",
                        f"version {version} of {entry['code']} is declared twice",
                    )
                seen.add(version)
        for index, entry in enumerate(self.pack.data.get("activities", []), start=1):
            target = entry.get("supplements")
            if target and target not in activity_versions:
                self.problem(
                    "activities",
                    index,
                    entry,
                    "supplements",
                    f"unknown processing activity '{target}'",
                )

        for index, entry in self.entries("grants"):
            self.validate(
                "grants", index, entry, "organisation", _member(organisations, "organisation")
            )
            self.validate("grants", index, entry, "role", _choice(Role.values))
            self.validate("grants", index, entry, "subject_scope", _choice(SubjectScope.values))
            activity = self.validate(
                "grants",
                index,
                entry,
                "activity",
                _member(set(activity_versions), "processing activity"),
            )
            if activity and isinstance(entry.get("versions"), list):
                unknown = set(entry["versions"] or []) - activity_versions[activity]
                if unknown:
                    self.problem(
                        "grants",
                        index,
                        entry,
                        "versions",
                        f"{activity} has no version {', '.join(map(str, sorted(unknown)))}",
                    )
            patterns = entry.get("elements")
            if "elements" in entry and (not isinstance(patterns, list) or not patterns):
                self.problem(
                    "grants", index, entry, "elements", "expected a non-empty list of element codes"
                )
            elif isinstance(patterns, list):
                for pattern in patterns:
                    if not fnmatch.filter(elements, str(pattern)):
                        self.problem(
                            "grants", index, entry, "elements", f"unknown element '{pattern}'"
                        )
            start = self.validate("grants", index, entry, "valid_from", _date)
            end = self.validate("grants", index, entry, "valid_to", _date)
            if start and end and end < start:
                self.problem("grants", index, entry, "valid_to", "lies before valid_from")
        return self.problems

    def _unique_codes(self, file: str) -> set[str]:
        codes: set[str] = set()
        for index, entry in enumerate(self.pack.data.get(file, []), start=1):
            code = entry.get("code")
            if code in codes:
                self.problem(file, index, entry, "code", f"'{code}' is declared twice")
            if code:
                codes.add(str(code))
        return codes


def _choice(allowed: Iterable[str]) -> Callable[[Any], Any]:
    options = sorted(allowed)

    def check(value: Any) -> Any:
        if value not in options:
            raise ValueError(f"'{value}' is not one of: {', '.join(options)}")
        return value

    return check


def _member(known: set[str], what: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in known:
            raise ValueError(f"unknown {what} '{value}'")
        return value

    return check


def _positive_int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError("must be a whole number of 1 or more")
    return value


def check_pack(path: Path | str) -> list[Problem]:
    """Every violation in a pack's files, without touching the database."""
    try:
        pack = read_pack(path)
    except PackError as error:
        return error.problems
    return _Checker(pack).run()


# --- loading --------------------------------------------------------------------------------


@dataclass
class LoadSummary:
    counts: dict[str, int] = field(default_factory=dict)
    revoked_grants: int = 0


@transaction.atomic
def load_pack(path: Path | str) -> LoadSummary:
    """Validate the whole pack, then create or update its records in one transaction."""
    pack = read_pack(path)
    problems = _Checker(pack).run()
    if problems:
        raise PackError(problems)
    data = pack.data
    summary = LoadSummary()

    organisations = {}
    for entry in data["organisations"]:
        organisations[entry["code"]], _ = Organisation.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "kind": entry["kind"],
                "oin": entry.get("oin", ""),
                "phone": entry.get("phone", ""),
            },
        )
    sources = {}
    for entry in data["sources"]:
        sources[entry["code"]], _ = Source.objects.update_or_create(
            code=entry["code"],
            defaults={
                "name": entry["name"],
                "organisation": organisations[entry["organisation"]],
                "connector": entry["connector"],
                "config": entry.get("config") or {},
                "timeout_seconds": entry.get("timeout_seconds"),
                "active": entry.get("active", True),
            },
        )
    elements = {}
    for entry in data["elements"]:
        elements[entry["code"]], _ = DataElement.objects.update_or_create(
            code=entry["code"],
            defaults={
                "label": entry["label"],
                "description": entry.get("description", ""),
                "party_type": entry["party_type"],
                "category": entry["category"],
                "source": sources[entry["source"]],
                "changeable": entry.get("changeable", False),
                "special_category": entry.get("special_category", False),
                "display_order": entry.get("display_order", 100),
            },
        )
    activities: dict[str, list[ProcessingActivity]] = {}
    for entry in data["activities"]:
        activity, _ = ProcessingActivity.objects.update_or_create(
            code=entry["code"],
            version=entry["version"],
            defaults={
                "name": entry["name"],
                "purpose": entry["purpose"],
                "controller": organisations[entry["controller"]],
                "gdpr_basis": entry["gdpr_basis"],
                "legal_article": entry["legal_article"],
                "data_categories": entry.get("data_categories", []),
                "retention": entry["retention"],
                "retention_days": entry.get("retention_days"),
                "choice_rule": entry.get("choice_rule", ChoiceRule.NONE),
                "choice_purpose": entry.get("choice_purpose", ""),
                "supplements": entry.get("supplements", ""),
                "valid_from": _date(entry["valid_from"]),
                "valid_to": _date(entry.get("valid_to")),
            },
        )
        activities.setdefault(entry["code"], []).append(activity)
    # Entries with the same key (organisation, role, activity, start, change, scope) are
    # one grant in the database: their elements add up rather than overwrite each other.
    granted: dict[int, tuple[Grant, set[str]]] = {}
    for entry in data["grants"]:
        versions = entry.get("versions")
        for activity in activities[entry["activity"]]:
            if versions and activity.version not in versions:
                continue
            grant, _ = Grant.objects.update_or_create(
                organisation=organisations[entry["organisation"]],
                role=entry["role"],
                activity=activity,
                valid_from=_date(entry["valid_from"]),
                may_change=entry.get("may_change", False),
                subject_scope=entry.get("subject_scope", SubjectScope.ANY),
                defaults={"valid_to": _date(entry.get("valid_to")), "note": entry.get("note", "")},
            )
            codes = granted.setdefault(grant.pk, (grant, set()))[1]
            for pattern in entry["elements"]:
                codes.update(fnmatch.filter(elements, str(pattern)))
    for grant, codes in granted.values():
        grant.elements.set([elements[c] for c in sorted(codes)])
    summary.revoked_grants = _revoke_grants_not_in(set(granted), organisations.values())
    summary.counts = {
        "organisations": len(organisations),
        "sources": len(sources),
        "elements": len(elements),
        "activities": sum(len(v) for v in activities.values()),
        "grants": len(granted),
    }
    return summary


def _revoke_grants_not_in(kept: set[int], organisations: Iterable[Organisation]) -> int:
    """End the pack's organisations' grants that the pack no longer contains.

    The pack is the register of record for its organisations: a grant removed from it
    must stop working, as of yesterday.
    Grants are ended, not deleted, so the audit trail can still name what allowed
    an earlier read.
    """
    yesterday = timezone.localdate() - timedelta(days=1)
    return (
        Grant.objects.filter(organisation__in=list(organisations))
        .exclude(pk__in=kept)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=yesterday))
        .update(valid_to=yesterday)
    )


def check_loaded() -> list[str]:
    """Violations in the configuration as loaded in the database."""
    problems = []
    for source in Source.objects.prefetch_related("elements"):
        try:
            provided = connector_class(source.connector)(source).provides()
        except LookupError as error:
            problems.append(f"source {source.code}: {error}")
            continue
        for element in source.elements.all():
            if element.code not in provided:
                problems.append(
                    f"element {element.code}: its source {source.code} ({source.connector}) does not provide it"
                )
    for element in DataElement.objects.filter(grants__isnull=True).order_by("code"):
        problems.append(f"element {element.code}: no grant allows anyone to see it")
    for activity in ProcessingActivity.objects.exclude(supplements=""):
        if not ProcessingActivity.objects.filter(code=activity.supplements).exists():
            problems.append(
                f"activity {activity.identifier}: supplements unknown activity {activity.supplements}"
            )
    return problems
