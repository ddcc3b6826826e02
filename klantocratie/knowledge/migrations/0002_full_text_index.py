"""The full-text index of the search documents, in each database's own way.

SQLite gets an FTS5 table fed with pre-stemmed text (rowid = search document id);
PostgreSQL gets a GIN index over its ``dutch`` text search vector of the same rows.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_fts"
POSTGRES_CREATE = (
    "CREATE INDEX IF NOT EXISTS knowledge_searchdocument_dutch ON knowledge_searchdocument "
    "USING gin ((setweight(to_tsvector('dutch', title), 'A') || to_tsvector('dutch', index_text)))"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS knowledge_searchdocument_dutch"


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
