"""Reading pack files: YAML entries checked field by field, every problem collected.

Pack loaders (case types, signal rules) read files that policy staff write; they
report every problem with file, entry and field, instead of stopping at the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from klantocratie.validation import Problem


class FileChecker:
    """Reads one file's entries, collecting problems instead of stopping at the first."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def fail(self, entry: str, name: str, message: str) -> None:
        self.problems.append(Problem(self.file, entry, name, message))

    def text(
        self,
        data: dict[str, Any],
        name: str,
        entry: str = "",
        *,
        required: bool = True,
        max_length: int | None = None,
    ) -> str:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(entry, name, "verplicht veld ontbreekt")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(entry, name, "verwacht tekst")
            return ""
        text = str(value).strip()
        if max_length and len(text) > max_length:
            self.fail(entry, name, f"langer dan {max_length} tekens")
        return text

    def number(
        self, data: dict[str, Any], name: str, entry: str = "", *, required: bool = True
    ) -> int | None:
        value = data.get(name)
        if value is None:
            if required:
                self.fail(entry, name, "verplicht veld ontbreekt")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(entry, name, "verwacht een geheel getal van 0 of meer")
            return None
        return value

    def flag(self, data: dict[str, Any], name: str, entry: str = "") -> bool:
        value = data.get(name, False)
        if not isinstance(value, bool):
            self.fail(entry, name, "verwacht true of false")
            return False
        return value

    def date(
        self, data: dict[str, Any], name: str, entry: str = "", *, required: bool = True
    ) -> dt.date | None:
        value = data.get(name)
        if value is None:
            if required:
                self.fail(entry, name, "verplicht veld ontbreekt")
            return None
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(entry, name, f"'{value}' is geen datum (JJJJ-MM-DD)")
            return None

    def choice(
        self,
        data: dict[str, Any],
        name: str,
        allowed: set[str] | frozenset[str],
        entry: str = "",
        *,
        default: str | None = None,
    ) -> str:
        value = data.get(name, default)
        if value is None:
            self.fail(entry, name, "verplicht veld ontbreekt")
            return ""
        if str(value) not in allowed:
            self.fail(
                entry, name, f"'{value}' is niet toegestaan; kies uit {', '.join(sorted(allowed))}"
            )
            return ""
        return str(value)

    def entries(
        self, data: dict[str, Any], name: str, *, required: bool = False
    ) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(name)
        if value is None:
            if required:
                self.fail("", name, "verplicht: een lijst met ten minste één item")
            return []
        if not isinstance(value, list) or (required and not value):
            self.fail(
                "", name, "verwacht een lijst" + (" met ten minste één item" if required else "")
            )
            return []
        found = []
        for index, item in enumerate(value, start=1):
            label = f"{name} {index}"
            if not isinstance(item, dict):
                self.fail(label, "", "verwacht velden (naam: waarde)")
                continue
            if item.get("code"):
                label += f" ({item['code']})"
            found.append((label, item))
        return found

    def codes(self, items: list[tuple[str, dict[str, Any]]]) -> list[str]:
        seen: list[str] = []
        for entry, item in items:
            code = self.text(item, "code", entry, max_length=50)
            if code and code in seen:
                self.fail(entry, "code", f"'{code}' komt twee keer voor")
            seen.append(code)
        return seen


def read_yaml_file(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f"regel {mark.line + 1}" if mark else ""
        problems.append(Problem(path.name, where, "", f"geen geldige YAML ({error})"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(path.name, "", "", "verwacht velden (naam: waarde)"))
        return None
    return data


def version_problems(
    specs: list[dict[str, Any]],
    *,
    code_field: str,
    frozen_hash: Callable[[dict[str, Any]], str | None],
    frozen_as: str = "gepubliceerd",
) -> list[Problem]:
    """Each code's version once in the folder, and a frozen version left as it is.

    ``frozen_hash`` gives the stored content hash of a version that may no longer change
    (published, or loaded), or None; a changed file must become version N+1 instead.
    """
    problems: list[Problem] = []
    seen: dict[tuple[str, int], str] = {}
    for spec in specs:
        key = (spec[code_field], spec["version"])
        if key in seen:
            problems.append(
                Problem(
                    spec["file"],
                    "",
                    "version",
                    f"versie {key[1]} van {key[0]} staat ook in {seen[key]}",
                )
            )
        seen[key] = spec["file"]
        stored = frozen_hash(spec)
        if stored is not None and stored != spec["sha256"]:
            problems.append(
                Problem(
                    spec["file"],
                    "",
                    "version",
                    f"versie {spec['version']} is {frozen_as} en kan niet meer veranderen; "
                    f"maak versie {spec['version'] + 1}",
                )
            )
    return problems
