"""TOTP secrets and recovery-code seeds are encrypted at rest (pic/mfa.py, Fernet), keys from
PIC_MFA_ENCRYPTION_KEYS, the first encrypting, all decrypting (rotation)."""

import importlib
from types import SimpleNamespace

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from pic.mfa import ENCRYPTED_PREFIX, decrypt_secret
from tests import factories

from .conftest import current_code, is_signed_in, password_step, totp_step, with_totp


def stored_row(authenticator) -> str:
    """The row as the database holds it (no model, no adapter)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        return str(cursor.fetchone()[0])


def test_the_stored_totp_secret_is_encrypted_and_login_still_works(client, tq_saint_michel):
    secret = with_totp(tq_saint_michel)
    authenticator = Authenticator.objects.get(user=tq_saint_michel, type="totp")

    row = stored_row(authenticator)
    assert secret not in row
    assert ENCRYPTED_PREFIX in row

    password_step(client, tq_saint_michel.email)
    assert not is_signed_in(client)
    response = totp_step(client, current_code(secret))
    assert response.status_code == 302
    assert is_signed_in(client)


def test_recovery_code_seeds_are_encrypted_and_codes_still_work(client, tq_saint_michel):
    with_totp(tq_saint_michel)
    codes = RecoveryCodes.activate(tq_saint_michel)
    seed = decrypt_secret(codes.instance.data["seed"])
    assert seed not in stored_row(codes.instance)

    password_step(client, tq_saint_michel.email)
    totp_step(client, codes.get_unused_codes()[0])
    assert is_signed_in(client)


def test_rotation_old_keys_still_decrypt_then_re_encrypt(settings, tq_saint_michel):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.PIC_MFA_ENCRYPTION_KEYS = [old]
    secret = with_totp(tq_saint_michel)
    authenticator = Authenticator.objects.get(user=tq_saint_michel, type="totp")

    settings.PIC_MFA_ENCRYPTION_KEYS = [new, old]  # the new key first
    assert decrypt_secret(authenticator.data["secret"]) == secret
    call_command("mfa_rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.PIC_MFA_ENCRYPTION_KEYS = [new]  # the old key retired
    authenticator.refresh_from_db()
    assert decrypt_secret(authenticator.data["secret"]) == secret


def test_the_migration_encrypts_clear_secrets(tq_saint_michel):
    from django.apps import apps

    authenticator = Authenticator.objects.create(
        user=tq_saint_michel, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    migration = importlib.import_module("pic.migrations.0003_encrypt_mfa_secrets")
    migration.encrypt_secrets(apps, SimpleNamespace(connection=connection))

    assert "JBSWY3DPEHPK3PXP" not in stored_row(authenticator)
    authenticator.refresh_from_db()
    assert decrypt_secret(authenticator.data["secret"]) == "JBSWY3DPEHPK3PXP"


def test_the_totp_set_up_stores_an_encrypted_secret(client, tq_saint_michel):
    password_step(client, tq_saint_michel.email)
    client.post(reverse("account_reauthenticate"), {"password": factories.PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    authenticator = Authenticator.objects.get(user=tq_saint_michel, type="totp")
    assert secret not in stored_row(authenticator)
    assert decrypt_secret(authenticator.data["secret"]) == secret
