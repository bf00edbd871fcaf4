"""Reports and check-ins keep their allocation's neighbourhood, so one person's to-do and an
advisor's home read them by a (neighbourhood, due date) index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_neighbourhoods(apps, schema_editor):
    Allocation = apps.get_model("reporting", "Allocation")
    AllocationYear = apps.get_model("reporting", "AllocationYear")
    apps.get_model("reporting", "Report").objects.update(neighbourhood_id=Subquery(
        Allocation.objects.filter(pk=OuterRef("allocation_id")).values("neighbourhood_id")[:1]))
    apps.get_model("reporting", "CheckIn").objects.update(neighbourhood_id=Subquery(
        AllocationYear.objects.filter(pk=OuterRef("allocation_year_id"))
        .values("allocation__neighbourhood_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('neighbourhoods', '0004_drop_neighbourhood_permission_tables'),
        ('reporting', '0012_neighbourhood_active_allocation_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='checkin',
            name='neighbourhood',
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='neighbourhoods.neighbourhood'),
        ),
        migrations.AddField(
            model_name='report',
            name='neighbourhood',
            field=models.ForeignKey(db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='neighbourhoods.neighbourhood'),
        ),
        migrations.RunPython(fill_neighbourhoods, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name='checkin',
            name='neighbourhood',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='neighbourhoods.neighbourhood'),
        ),
        migrations.AlterField(
            model_name='report',
            name='neighbourhood',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='neighbourhoods.neighbourhood'),
        ),
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(condition=models.Q(('held_on__isnull', True)), fields=['neighbourhood', 'due_on', 'id'], name='checkin_neighbourhood_open_idx'),
        ),
        migrations.AddIndex(
            model_name='checkin',
            index=models.Index(condition=models.Q(('held_on__isnull', False)), fields=['neighbourhood', '-held_on'], name='checkin_neighbourhood_held_idx'),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('status__in', ['draft', 'changes_requested'])), fields=['neighbourhood', 'due_on', 'id'], name='report_neighbourhood_open_idx'),
        ),
    ]
