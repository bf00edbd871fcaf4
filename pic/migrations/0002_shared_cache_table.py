"""The database table of the embedded default's shared cache (settings: CACHES without
REDIS_URL): used TOTP codes and login rate limits are seen by every process."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "pic_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("pic", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
