"""Make the database itself refuse to alter processing-log records.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE; DELETE stays possible there
because Django's own test flush needs it, and the hash chain reports any removal.
Retention purges belong to a dedicated, audited procedure, not to ad-hoc SQL.
"""

from django.db import migrations

TABLE = "privacy_processinglogrecord"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION privacy_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'processing log is append-only: UPDATE and DELETE are refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER processing_log_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION privacy_log_append_only();
"""
POSTGRES_BACKWARD = f"""
DROP TRIGGER IF EXISTS processing_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS privacy_log_append_only();
"""
SQLITE_FORWARD = f"""
CREATE TRIGGER processing_log_no_update BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'processing log is append-only (UPDATE refused)'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS processing_log_no_update;"


def forward(apps, schema_editor):
    sql = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    schema_editor.execute(sql)


def backward(apps, schema_editor):
    sql = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
