"""On PostgreSQL the persons an event concerns are append-only too, like the events."""

from typing import Any

from django.db import migrations

CREATE = """
CREATE TRIGGER audit_subject_append_only
    BEFORE UPDATE OR DELETE ON audit_auditsubject
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
"""

DROP = "DROP TRIGGER IF EXISTS audit_subject_append_only ON audit_auditsubject;"


def create_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_subjects")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
