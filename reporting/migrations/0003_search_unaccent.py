"""Search (reporting/search.py), on PostgreSQL: the unaccent extension, the text search
configurations pic_fr and pic_en (french and english that run unaccent first) and a GIN index
on each searched kind's document. Nothing on SQLite (pic_fold does the folding there)."""

from django.db import migrations

CONFIGS = {"pic_fr": ("french", "french_stem"), "pic_en": ("english", "english_stem")}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from reporting.search import index_statements

    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, (source, stem) in CONFIGS.items():
        schema_editor.execute(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') "
            f"THEN CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source}); "
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {stem}; END IF; END $$")
    for statement in index_statements(schema_editor.connection):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from reporting.search import KINDS

    for kind in KINDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {kind.model._meta.db_table}_search_idx")
    for name in CONFIGS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_list_order_and_due_date_indexes"),
        ("proposals", "0005_list_order_and_due_date_indexes"),
        ("neighbourhoods", "0004_drop_neighbourhood_permission_tables"),
        ("pic", "0007_outbox_message"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
