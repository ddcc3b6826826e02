"""The full-text index of the search documents: a table of Dutch stems per database.

SQLite gets an FTS5 table (rowid = search document id); PostgreSQL a plain table with a
GIN index over the text search vector of its stems (see ``knowledge.backends``).
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_fts"
POSTGRES_CREATE = [
    # No foreign key, like SQLite's FTS5 table: the services keep both in step, and a
    # key would stop Django from truncating the search documents (test flushes).
    "CREATE TABLE IF NOT EXISTS knowledge_fts ("
    "id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL)",
    "CREATE INDEX IF NOT EXISTS knowledge_fts_stems ON knowledge_fts USING gin "
    "((setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', body)))",
]
POSTGRES_DROP = "DROP TABLE IF EXISTS knowledge_fts"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
