"""Load the public signal-rule catalogue from a pack folder.

`signals/teams.yaml` names the teams that work the worklists; every other
`signals/*.yaml` is one version of one rule. A rule is refused (and, because the
catalogue loads all or nothing, so is the rest) when it is unclear, uses a fact its
declared elements do not cover, uses an element its activity is not granted for, or
runs under an activity that would include residents who objected to proactive
outreach.
"""

from __future__ import annotations

import hashlib
import json
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from klantocratie.accounts.roles import Role
from klantocratie.packfiles import FileChecker, read_yaml_file, version_problems
from klantocratie.privacy.models import ChoiceRule, Grant, ProcessingActivity, SubjectScope
from klantocratie.registry.models import DataElement, Organisation
from klantocratie.validation import Problem, ProblemsFound

from .conditions import Condition, ConditionError, parse_condition
from .models import ActionKind, Outcome, Severity, SignalRule, Team

TEAMS_FILE = "teams.yaml"


class SignalPackError(ProblemsFound):
    """The signal rules were not loaded; `problems` lists why."""


@dataclass
class SignalRuleSummary:
    teams: int = 0
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def outreach_purpose() -> str:
    return str(settings.PROACTIVE_OUTREACH_PURPOSE)


def _fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _placeholders(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


def _check_teams(folder: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    path = folder / TEAMS_FILE
    if not path.is_file():
        problems.append(Problem(TEAMS_FILE, "", "", "bestand ontbreekt"))
        return []
    data = read_yaml_file(path, problems)
    if data is None:
        return []
    check = FileChecker(TEAMS_FILE, problems)
    organisations = set(Organisation.objects.values_list("code", flat=True))
    roles = {role for role in Role.values if role not in (Role.ANALYTICS, Role.RESIDENT)}
    entries = check.entries(data, "teams", required=True)
    teams = []
    for code, (entry, item) in zip(check.codes(entries), entries, strict=True):
        team = {
            "code": code,
            "name": check.text(item, "name", entry, max_length=120),
            "organisation": check.choice(item, "organisation", organisations, entry),
            "role": check.choice(item, "role", roles, entry),
            "activity": check.text(item, "activity", entry, max_length=100),
        }
        teams.append(team)
    return teams


def granted_elements(activity: ProcessingActivity, on: date) -> set[str]:
    """Elements the analytic environment may extract for any resident under `activity`."""
    grants = Grant.objects.filter(
        organisation=activity.controller,
        role=Role.ANALYTICS,
        activity=activity,
        subject_scope=SubjectScope.ANY,
        valid_from__lte=on,
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    return {code for grant in grants for code in grant.elements.values_list("code", flat=True)}


def _check_activity(
    check: FileChecker, code: str, on: date
) -> tuple[ProcessingActivity | None, set[str]]:
    activity = (
        ProcessingActivity.objects.filter(code=code, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("controller")
        .first()
    )
    if activity is None:
        check.fail("", "activity", f"geen geldige verwerking {code!r} in het register")
        return None, set()
    if (
        activity.choice_rule != ChoiceRule.OPT_OUT
        or activity.effective_choice_purpose != outreach_purpose()
    ):
        check.fail(
            "",
            "activity",
            f"verwerking {code!r} respecteert het bezwaar tegen proactief benaderen niet "
            f"(keuzeregel opt-out voor '{outreach_purpose()}'); de regel zou inwoners "
            "meenemen die daartegen bezwaar maakten",
        )
    return activity, granted_elements(activity, on)


def _parse_rule(
    path: Path, data: dict[str, Any], check: FileChecker, teams: set[str], on: date
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "file": path.name,
        "code": check.text(data, "code", max_length=100),
        "version": check.number(data, "version"),
        "name": check.text(data, "name", max_length=200),
        "description": check.text(data, "description"),
        "activity": check.text(data, "activity", max_length=100),
        "explanation": check.text(data, "explanation"),
        "resident_explanation": check.text(data, "resident_explanation"),
        "action": check.choice(data, "action", set(ActionKind.values)),
        "team": check.choice(data, "team", teams),
        "severity": check.choice(data, "severity", set(Severity.values)),
        "retention_days": check.number(data, "retention_days"),
        "declined_retention_days": check.number(data, "declined_retention_days", required=False)
        or 30,
        "reports_back_to_creditor": check.flag(data, "reports_back_to_creditor"),
        "valid_from": check.date(data, "valid_from"),
        "valid_to": check.date(data, "valid_to", required=False),
    }
    if spec["version"] == 0:
        check.fail("", "version", "versies tellen vanaf 1")
    if spec["retention_days"] == 0:
        check.fail("", "retention_days", "een signaal moet minstens een dag bewaard worden")
    elements = data.get("elements")
    if not isinstance(elements, list) or not all(isinstance(e, str) for e in elements):
        check.fail("", "elements", "geef de lijst met gebruikte gegevens")
        elements = []
    spec["elements"] = sorted(set(elements))
    known = set(DataElement.objects.filter(code__in=elements).values_list("code", flat=True))
    for code in sorted(set(elements) - known):
        check.fail("", "elements", f"onbekend gegeven {code!r}")
    condition: Condition | None = None
    try:
        condition = parse_condition(data.get("facts"), data.get("when"))
    except ConditionError as error:
        check.fail("", error.field, error.message)
    spec["condition"] = condition
    spec["spec"] = {"facts": data.get("facts"), "when": data.get("when")}
    if condition is not None:
        undeclared = sorted(condition.elements() - set(elements))
        if undeclared:
            check.fail(
                "",
                "elements",
                f"de voorwaarde gebruikt feiten van {', '.join(undeclared)}; noem die gegevens",
            )
        names = {fact.name for fact in condition.facts}
        for name in ("explanation", "resident_explanation"):
            try:
                unknown = sorted(_placeholders(spec[name]) - names)
            except ValueError:
                check.fail("", name, "ongeldige {…} in de tekst")
                continue
            if unknown:
                check.fail("", name, f"onbekende feiten in de tekst: {', '.join(unknown)}")
    if spec["activity"]:
        activity, granted = _check_activity(check, spec["activity"], on)
        if activity is not None:
            for code in sorted(set(elements) - granted):
                check.fail(
                    "",
                    "elements",
                    f"{code} is niet toegekend aan de analyseomgeving voor "
                    f"{spec['activity']!r}; zonder grondslag laadt de regel niet",
                )
    offer = data.get("offer") or {}
    if not isinstance(offer, dict):
        check.fail("", "offer", "verwacht title, text en eventueel life_event")
        offer = {}
    spec["offer_title"] = check.text(offer, "title", "offer", required=False, max_length=200)
    spec["offer_text"] = check.text(offer, "text", "offer", required=False)
    spec["life_event"] = check.text(offer, "life_event", "offer", required=False, max_length=100)
    if spec["action"] == ActionKind.OFFER and not (spec["offer_title"] and spec["offer_text"]):
        check.fail("offer", "title", "een aanbod heeft een titel en een tekst")
    if spec["action"] == ActionKind.TASK and offer:
        check.fail("offer", "", "alleen een regel met action 'aanbod' doet een aanbod")
    outcomes = data.get("outcomes", list(Outcome.values))
    if not isinstance(outcomes, list) or not outcomes:
        check.fail("", "outcomes", "geef een lijst met mogelijke uitkomsten")
        outcomes = []
    for outcome in outcomes:
        if outcome not in Outcome.values:
            check.fail("", "outcomes", f"'{outcome}' staat niet in de lijst met uitkomsten")
    spec["outcomes"] = [o for o in outcomes if o in Outcome.values]
    spec["sha256"] = _fingerprint(
        {key: value for key, value in spec.items() if key not in ("file", "condition")}
    )
    return spec


def check_signal_rules(folder: Path | str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Parse and check the teams and every rule; raise SignalPackError listing all problems."""
    path = Path(folder)
    if not path.is_dir():
        raise SignalPackError([Problem(str(path), "", "", "map bestaat niet")])
    problems: list[Problem] = []
    teams = _check_teams(path, problems)
    team_codes = {team["code"] for team in teams}
    on = timezone.localdate()
    rules = []
    for file in sorted(path.glob("*.yaml")):
        if file.name == TEAMS_FILE:
            continue
        data = read_yaml_file(file, problems)
        if data is None:
            continue
        rules.append(_parse_rule(file, data, FileChecker(file.name, problems), team_codes, on))
    problems.extend(
        version_problems(rules, code_field="code", frozen_hash=_loaded_hash, frozen_as="geladen")
    )
    if problems:
        raise SignalPackError(problems)
    return teams, rules


def _loaded_hash(spec: dict[str, Any]) -> str | None:
    existing = SignalRule.objects.filter(code=spec["code"], version=spec["version"]).first()
    return existing.content_sha256 if existing is not None else None


def load_signal_rules(folder: Path | str) -> SignalRuleSummary:
    teams, rules = check_signal_rules(folder)
    summary = SignalRuleSummary(teams=len(teams))
    with transaction.atomic():
        for team in teams:
            Team.objects.update_or_create(
                code=team["code"],
                defaults={
                    "name": team["name"],
                    "organisation": Organisation.objects.get(code=team["organisation"]),
                    "role": team["role"],
                    "activity": team["activity"],
                },
            )
        for spec in sorted(rules, key=lambda s: (s["code"], s["version"])):
            label = f"{spec['code']} v{spec['version']}"
            if SignalRule.objects.filter(code=spec["code"], version=spec["version"]).exists():
                summary.unchanged.append(label)
                continue
            rule = SignalRule.objects.create(
                code=spec["code"],
                version=spec["version"],
                name=spec["name"],
                description=spec["description"],
                activity=spec["activity"],
                elements=spec["elements"],
                spec=spec["spec"],
                explanation=spec["explanation"],
                resident_explanation=spec["resident_explanation"],
                action=spec["action"],
                team=Team.objects.get(code=spec["team"]),
                offer_title=spec["offer_title"],
                offer_text=spec["offer_text"],
                life_event=spec["life_event"],
                outcomes=spec["outcomes"],
                severity=spec["severity"],
                retention_days=spec["retention_days"],
                declined_retention_days=spec["declined_retention_days"],
                reports_back_to_creditor=spec["reports_back_to_creditor"],
                valid_from=spec["valid_from"],
                valid_to=spec["valid_to"],
                content_sha256=spec["sha256"],
                source_file=spec["file"],
            )
            # A new version takes over: the one before ends the day before it starts.
            SignalRule.objects.filter(
                code=rule.code, version__lt=rule.version, valid_to__isnull=True
            ).update(valid_to=rule.valid_from - timedelta(days=1))
            summary.loaded.append(label)
    return summary
