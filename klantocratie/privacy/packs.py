"""Load the choosable purposes (`privacy-choices.yaml`) from a pack folder.

The file describes, in the resident's language, each purpose a person can make a
choice about. It is checked against the register that is already loaded: every
activity named must exist and depend on that purpose with a matching rule, and every
activity that depends on a purpose must be named, so the choices page tells the whole
story. The file loads all or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from klantocratie.packfiles import FileChecker, read_yaml_file
from klantocratie.validation import Problem, ProblemsFound

from .models import ChoiceKind, ChoicePurpose, ChoiceRule, ProcessingActivity

CHOICES_FILE = "privacy-choices.yaml"

_RULE_OF_KIND = {ChoiceKind.OPT_IN: ChoiceRule.OPT_IN, ChoiceKind.OPT_OUT: ChoiceRule.OPT_OUT}


class ChoicePackError(ProblemsFound):
    """The choosable purposes were not loaded; `problems` lists why."""


@dataclass
class ChoicePurposeSummary:
    loaded: list[str] = field(default_factory=list)


def _dependants() -> dict[str, dict[str, set[str]]]:
    """Purpose -> activity code -> the choice rules its versions have."""
    found: dict[str, dict[str, set[str]]] = {}
    for activity in ProcessingActivity.objects.exclude(choice_rule=ChoiceRule.NONE):
        rules = found.setdefault(activity.effective_choice_purpose, {})
        rules.setdefault(activity.code, set()).add(activity.choice_rule)
    return found


def _check_purpose(
    check: FileChecker, entry: str, item: dict[str, Any], code: str, register: dict[str, Any]
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "code": code,
        "kind": check.choice(item, "kind", set(ChoiceKind.values), entry),
        "title": check.text(item, "title", entry, max_length=200),
        "benefit": check.text(item, "benefit", entry),
        "privacy_cost": check.text(item, "privacy_cost", entry),
        "statement": check.text(item, "statement", entry),
        "withdraw_statement": check.text(item, "withdraw_statement", entry),
        "display_order": check.number(item, "display_order", entry, required=False) or 100,
    }
    activities = item.get("activities")
    if not isinstance(activities, list) or not activities:
        check.fail(entry, "activities", "noem de verwerkingen waarover deze keuze gaat")
        activities = []
    named = [str(a) for a in activities]
    spec["activities"] = named
    dependants = register.get(code, {})
    rule = _RULE_OF_KIND.get(spec["kind"])
    for activity in named:
        rules = dependants.get(activity)
        if rules is None:
            check.fail(
                entry,
                "activities",
                f"verwerking {activity!r} staat niet in het register met keuzedoel {code!r}",
            )
        elif rule is not None and rules != {rule}:
            check.fail(
                entry,
                "kind",
                f"verwerking {activity!r} heeft keuzeregel {', '.join(sorted(rules))}, niet {rule}",
            )
    for activity in sorted(set(dependants) - set(named)):
        check.fail(
            entry,
            "activities",
            f"verwerking {activity!r} hangt ook van deze keuze af; noem haar, "
            "zodat de inwoner ziet waarover de keuze gaat",
        )
    return spec


def check_choice_purposes(folder: Path | str) -> list[dict[str, Any]]:
    """Parse and check the file; raise ChoicePackError listing every problem."""
    path = Path(folder) / CHOICES_FILE
    problems: list[Problem] = []
    if not path.is_file():
        needed = sorted(_dependants())
        if not needed:
            # A register without choosable purposes needs no descriptions of them.
            return []
        raise ChoicePackError(
            [
                Problem(
                    CHOICES_FILE,
                    "",
                    "",
                    f"bestand ontbreekt; het register kent keuzedoelen {', '.join(needed)}",
                )
            ]
        )
    data = read_yaml_file(path, problems)
    if data is None:
        raise ChoicePackError(problems)
    check = FileChecker(CHOICES_FILE, problems)
    register = _dependants()
    entries = check.entries(data, "purposes", required=True)
    specs = [
        _check_purpose(check, entry, item, code, register)
        for code, (entry, item) in zip(check.codes(entries), entries, strict=True)
    ]
    described = {spec["code"] for spec in specs}
    for purpose in sorted(set(register) - described):
        check.fail(
            "",
            "purposes",
            f"keuzedoel {purpose!r} uit het register ontbreekt; zonder beschrijving kan "
            "niemand die keuze maken",
        )
    if problems:
        raise ChoicePackError(problems)
    return specs


def load_choice_purposes(folder: Path | str) -> ChoicePurposeSummary:
    """Create or update the purposes; ones no longer in the file are removed (the
    choices made under them keep their own statement and receipt)."""
    specs = check_choice_purposes(folder)
    summary = ChoicePurposeSummary()
    with transaction.atomic():
        for spec in specs:
            ChoicePurpose.objects.update_or_create(
                code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
            )
            summary.loaded.append(spec["code"])
        ChoicePurpose.objects.exclude(code__in=summary.loaded).delete()
    return summary
