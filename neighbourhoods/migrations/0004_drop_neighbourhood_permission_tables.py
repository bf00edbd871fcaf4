"""The guardian tables that duplicated memberships and advisor assignments go (their rows went
in 0003)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('neighbourhoods', '0003_delete_neighbourhood_access_rows'),
    ]

    operations = [
        migrations.AlterUniqueTogether(
            name='neighbourhooduserobjectpermission',
            unique_together=None,
        ),
        migrations.RemoveField(
            model_name='neighbourhooduserobjectpermission',
            name='content_object',
        ),
        migrations.RemoveField(
            model_name='neighbourhooduserobjectpermission',
            name='permission',
        ),
        migrations.RemoveField(
            model_name='neighbourhooduserobjectpermission',
            name='user',
        ),
        migrations.AlterModelOptions(
            name='neighbourhood',
            options={'ordering': ['name'], 'verbose_name': 'quartier', 'verbose_name_plural': 'quartiers'},
        ),
        migrations.DeleteModel(
            name='NeighbourhoodGroupObjectPermission',
        ),
        migrations.DeleteModel(
            name='NeighbourhoodUserObjectPermission',
        ),
    ]
