"""The audit table refuses UPDATE, DELETE and TRUNCATE on PostgreSQL (a trigger), whoever asks:
QuerySet.update()/delete(), raw SQL, or a cascade. Every event now has its place in the chain.
On SQLite (the embedded demo) there is no trigger: the model and its QuerySet refuse in Python."""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION pic_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS pic_auditevent_append_only_rows ON pic_auditevent;
CREATE TRIGGER pic_auditevent_append_only_rows BEFORE UPDATE OR DELETE ON pic_auditevent
    FOR EACH ROW EXECUTE FUNCTION pic_audit_append_only();
DROP TRIGGER IF EXISTS pic_auditevent_append_only_truncate ON pic_auditevent;
CREATE TRIGGER pic_auditevent_append_only_truncate BEFORE TRUNCATE ON pic_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION pic_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS pic_auditevent_append_only_truncate ON pic_auditevent;
DROP TRIGGER IF EXISTS pic_auditevent_append_only_rows ON pic_auditevent;
DROP FUNCTION IF EXISTS pic_audit_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("pic", "0004_audit_hash_chain"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="rang"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
