"""Load a pack's themes and council members (`participation.yaml`).

Every problem is reported with entry and field before anything is written; a clean
file is loaded in one transaction, updating entries by code, so loading it again
changes nothing. Entries left out of the file are made inactive, not deleted: their
polls and the residents' subscriptions keep their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from klantocratie.packfiles import FileChecker, read_yaml_file
from klantocratie.validation import Problem, ProblemsFound

from .models import CouncilMember, Theme

PARTICIPATION_FILE = "participation.yaml"


class ParticipationPackError(ProblemsFound):
    """The participation file was not loaded; `problems` lists why."""


@dataclass(frozen=True)
class ParticipationSummary:
    themes: int
    council_members: int


def _read(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    problems: list[Problem] = []
    if not path.is_file():
        raise ParticipationPackError([Problem(path.name, "", "", "bestand ontbreekt")])
    data = read_yaml_file(path, problems)
    if data is None:
        raise ParticipationPackError(problems)
    check = FileChecker(path.name, problems)
    theme_entries = check.entries(data, "themes", required=True)
    themes = [
        {
            "code": code,
            "name": check.text(item, "name", entry, max_length=120),
            "description": check.text(item, "description", entry, required=False),
        }
        for code, (entry, item) in zip(check.codes(theme_entries), theme_entries, strict=True)
    ]
    known = {theme["code"] for theme in themes}
    member_entries = check.entries(data, "council_members")
    members = []
    for code, (entry, item) in zip(check.codes(member_entries), member_entries, strict=True):
        theme_codes = item.get("themes", [])
        if not isinstance(theme_codes, list):
            check.fail(entry, "themes", "verwacht een lijst met themacodes")
            theme_codes = []
        for theme_code in theme_codes:
            if theme_code not in known:
                check.fail(entry, "themes", f"onbekend thema '{theme_code}'")
        members.append(
            {
                "code": code,
                "name": check.text(item, "name", entry, max_length=120),
                "fractie": check.text(item, "fractie", entry, max_length=120),
                "themes": [str(t) for t in theme_codes],
            }
        )
    if problems:
        raise ParticipationPackError(problems)
    return themes, members


def load_participation(pack_dir: Path) -> ParticipationSummary:
    themes, members = _read(pack_dir / PARTICIPATION_FILE)
    with transaction.atomic():
        by_code = {}
        for theme in themes:
            by_code[theme["code"]], _ = Theme.objects.update_or_create(
                code=theme["code"],
                defaults={
                    "name": theme["name"],
                    "description": theme["description"],
                    "active": True,
                },
            )
        Theme.objects.exclude(code__in=by_code).update(active=False)
        for member in members:
            council_member, _ = CouncilMember.objects.update_or_create(
                code=member["code"],
                defaults={"name": member["name"], "fractie": member["fractie"], "active": True},
            )
            council_member.themes.set([by_code[code] for code in member["themes"]])
        CouncilMember.objects.exclude(code__in=[m["code"] for m in members]).update(active=False)
    return ParticipationSummary(themes=len(themes), council_members=len(members))
