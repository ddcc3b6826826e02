"""Which source types take partner files, and how their rows are stored.

The framework never imports a source app (only connectors reach source tables). Each
importable source app describes its format and its table in its own ``imports.py`` and
registers it here from its AppConfig.ready(), keyed by the connector its Source rows name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models

from .schema import IDENTITY_COLUMNS, KEY, REJECTS_COLUMNS, Column, Values


def _key_as_written(values: Values) -> str:
    return str(values[KEY])


def _no_problems(values: Values) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class Importer:
    """One source type's part of the format and where its rows go.

    ``to_model`` turns a valid row into the model's field values, the ``unique_fields``
    among them; a row whose unique fields match a stored record updates it.
    ``record_key`` is the reference under which the row's identity is kept as a
    PartnerRecord, made from the ``key_columns``: two rows of a file with the same key
    are one record twice. ``check`` adds rules across the type's own columns.
    """

    connector: str
    title: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    unique_fields: tuple[str, ...]
    to_model: Callable[[Values], dict[str, Any]]
    record_key: Callable[[Values], str] = _key_as_written
    key_columns: tuple[str, ...] = (KEY,)
    check: Callable[[Values], list[tuple[str, str]]] = _no_problems

    @cached_property
    def all_columns(self) -> tuple[Column, ...]:
        return IDENTITY_COLUMNS + self.columns

    @cached_property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.all_columns)


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    names = importer.column_names
    clashes = {name for name in names if names.count(name) > 1} | (
        set(names) & set(REJECTS_COLUMNS)
    )
    if clashes:
        raise ValueError(f"{importer.connector}: columns {sorted(clashes)} are taken")
    _IMPORTERS[importer.connector] = importer
    return importer


def importer_for(connector: str) -> Importer | None:
    return _IMPORTERS.get(connector)


def importers() -> list[Importer]:
    """Every registered importer, in a stable order (for the docs check and the admin)."""
    return [_IMPORTERS[key] for key in sorted(_IMPORTERS)]
