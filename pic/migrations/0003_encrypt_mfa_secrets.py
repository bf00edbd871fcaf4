"""TOTP secrets and recovery-code seeds stored in clear before encryption was on are encrypted
with the first key of PIC_MFA_ENCRYPTION_KEYS (pic/mfa.py)."""

from django.db import migrations


def encrypt_secrets(apps, schema_editor):
    from pic.mfa import reencrypt_authenticator_data

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.using(schema_editor.connection.alias).all():
        data = reencrypt_authenticator_data(authenticator.type, authenticator.data)
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [("pic", "0002_shared_cache_table"), ("mfa", "0003_authenticator_type_uniq")]

    operations = [migrations.RunPython(encrypt_secrets, migrations.RunPython.noop)]
