"""Collecting problems, so one request or one file reports all of them at once.

Services check a whole request before writing and raise one ValidationError naming
every field; pack loaders check every file before loading and list every problem with
file, entry and field. People fix everything in one go instead of one error at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from klantocratie.privacy.errors import GateError


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


def report_to_form(form: forms.Form, error: ValidationError | GateError) -> None:
    """A service's errors next to the form's fields; the rest above the form."""
    if isinstance(error, GateError):
        form.add_error(None, error.message)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def messages_of(error: ValidationError | GateError) -> list[str]:
    """A service's or the gate's refusal as plain messages (for a page's alert)."""
    return [error.message] if isinstance(error, GateError) else list(error.messages)
