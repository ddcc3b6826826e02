"""Tamper with the processing log the way someone with database rights could."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

from django.db import connection

_migration = import_module("klantocratie.privacy.migrations.0002_append_only_log")


def execute(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """Drop the append-only trigger for the duration (inside the test's transaction)."""
    postgres = connection.vendor == "postgresql"
    execute(_migration.POSTGRES_BACKWARD if postgres else _migration.SQLITE_BACKWARD)
    try:
        yield
    finally:
        execute(_migration.POSTGRES_FORWARD if postgres else _migration.SQLITE_FORWARD)
