"""Collecting problems, so one request or one file reports all of them at once.

Services check a whole request before writing and raise one ValidationError naming
every field; pack loaders check every file before loading and list every problem with
file, entry and field. People fix everything in one go instead of one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError


class FieldErrors:
    """Collects field errors of one request; raises them together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


@dataclass(frozen=True)
class Problem:
    """One problem in a pack file: where (file, entry, field) and what."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, {self.entry}" if self.entry else self.file
        return (
            f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class ProblemsFound(Exception):
    """A pack (or part of one) was not loaded; `problems` lists why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
