"""Re-encrypt every stored TOTP secret and recovery-code seed with the first key of
PIC_MFA_ENCRYPTION_KEYS (README: "Rotating the MFA encryption key")."""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

from pic.mfa import reencrypt_authenticator_data


class Command(BaseCommand):
    help = "Re-encrypt the stored MFA secrets with the first key of PIC_MFA_ENCRYPTION_KEYS."

    @transaction.atomic
    def handle(self, *args, **options):
        count = 0
        for authenticator in Authenticator.objects.select_for_update():
            authenticator.data = reencrypt_authenticator_data(authenticator.type,
                                                              authenticator.data)
            authenticator.save(update_fields=["data"])
            count += 1
        self.stdout.write(f"{count} authenticator(s) re-encrypted with the first key.")
