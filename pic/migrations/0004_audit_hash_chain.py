"""The audit log's hash chain: a sequence and the SHA-256 of each event and of the one before it;
existing events are chained in the order they happened (time, then id)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from pic import audit_chain


def chain_existing_events(apps, schema_editor):
    AuditEvent = apps.get_model("pic", "AuditEvent")
    events = AuditEvent.objects.using(schema_editor.connection.alias).order_by("created_at", "pk")
    previous_hash = audit_chain.GENESIS_HASH
    for sequence, event in enumerate(events.iterator(chunk_size=1000), start=1):
        event.sequence = sequence
        event.previous_hash = previous_hash
        event.details = audit_chain.normalise_details(event.details)
        event.hash = audit_chain.hash_of(event)
        AuditEvent.objects.using(schema_editor.connection.alias).filter(pk=event.pk).update(
            sequence=event.sequence, previous_hash=event.previous_hash, details=event.details,
            hash=event.hash)
        previous_hash = event.hash


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('pic', '0003_encrypt_mfa_secrets'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='empreinte SHA-256'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='empreinte précédente'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(editable=False, null=True, unique=True, verbose_name='rang'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur·rice'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='content_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
    ]
