"""Insert-or-update of a chunk of rows, the way each database does it fastest.

QuerySet.bulk_create(update_conflicts=True) compiles every value of every row through
the ORM, which made it most of an import's time. Its statement,
``INSERT … ON CONFLICT (…) DO UPDATE SET … = EXCLUDED.…``, reads the same on SQLite and
PostgreSQL; here SQLite runs it once per row from one prepared statement (executemany,
in C), and PostgreSQL once for the chunk, with one array per column.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Values the database drivers take as they are; others (dates, decimals) are prepared
# by their field, as the ORM would.
_PLAIN = (str, int, bool, type(None))


def upsert(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, unique_fields: Sequence[str]
) -> None:
    """Insert the rows; a row whose unique fields match a stored one updates it.

    Every row names the same fields. An update changes the fields named and the
    auto_now timestamps; fields not named keep their stored value, and get their
    default (or now, for auto_now_add) on insert.
    """
    if not rows:
        return
    meta = model._meta
    names = list(rows[0])
    named: list[models.Field[Any, Any]] = [_field(model, name) for name in names]
    others = [
        field
        for field in meta.concrete_fields
        if field.name not in names and not isinstance(field, models.AutoField)
    ]
    stamped = [field for field in others if getattr(field, "auto_now", False)]
    inserted = [field for field in others if field not in stamped]
    now = timezone.now()
    # The same for every row, so prepared once.
    fixed = [field.get_db_prep_save(now, connection) for field in stamped] + [
        field.get_db_prep_save(
            now if getattr(field, "auto_now_add", False) else field.get_default(), connection
        )
        for field in inserted
    ]
    columns = [*named, *stamped, *inserted]
    quote = connection.ops.quote_name
    updated = [f for f in named if f.name not in unique_fields] + stamped
    conflict = ", ".join(quote(_field(model, name).column) for name in unique_fields)
    # Table and column names come from the model, quoted; values are always parameters.
    target = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "
    on_conflict = f" ON CONFLICT ({conflict}) DO UPDATE SET " + ", ".join(
        f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in updated
    )
    params = [
        [
            value if isinstance(value, _PLAIN) else field.get_db_prep_save(value, connection)
            for field, value in zip(named, [row[name] for name in names], strict=True)
        ]
        + fixed
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement with one array per column: PostgreSQL plans it once, and the
            # driver sends a few parameters instead of splitting a statement of thousands.
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in columns)
            cursor.execute(
                f"{target}SELECT * FROM unnest({arrays}){on_conflict}",  # noqa: S608
                [list(column) for column in zip(*params, strict=True)],
            )
        else:
            # SQLite runs one prepared statement for every row, in C.
            values = f"VALUES ({', '.join(['%s'] * len(columns))})"
            cursor.executemany(f"{target}{values}{on_conflict}", params)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is no column"
    return field
