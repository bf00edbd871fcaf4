"""Neighbourhood access is read from memberships and advisor assignments directly: the
guardian rows that duplicated them (and the permission they granted) go. The tables go in
the next migration (on PostgreSQL, deleting rows and altering their tables cannot share one
transaction)."""

from django.db import migrations

ACCESS_PERMISSION = "access_neighbourhood"


def delete_duplicated_access_rows(apps, schema_editor):
    for name in ("NeighbourhoodUserObjectPermission", "NeighbourhoodGroupObjectPermission"):
        apps.get_model("neighbourhoods", name).objects.all().delete()
    # Deleting the permission also removes any generic guardian row that granted it.
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="neighbourhoods", codename=ACCESS_PERMISSION).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('guardian', '0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more'),
        ('neighbourhoods', '0002_initial'),
    ]

    operations = [
        migrations.RunPython(delete_duplicated_access_rows, migrations.RunPython.noop),
    ]
