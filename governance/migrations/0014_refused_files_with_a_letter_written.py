"""A refused file whose refusal letter is written is marked so (it leaves the ratification
page's index: proposals.models.files.ACTIONABLE)."""

from django.db import migrations
from django.db.models import Exists, OuterRef


def mark_lettered(apps, schema_editor):
    DecisionLetter = apps.get_model("governance", "DecisionLetter")
    apps.get_model("proposals", "Proposal").objects.filter(Exists(
        DecisionLetter.objects.filter(proposal=OuterRef("pk"), kind="refusal"))
    ).update(refusal_letter_written=True)


class Migration(migrations.Migration):

    dependencies = [
        ('governance', '0013_open_items_index_holds_their_id'),
        ('proposals', '0013_undecided_and_actionable_file_indexes'),
    ]

    operations = [
        migrations.RunPython(mark_lettered, migrations.RunPython.noop, elidable=True),
    ]
