"""Two-factor authentication: who must have it (the one place that decides), and the TOTP
secrets and recovery-code seeds encrypted at rest (allauth's MFA adapter, Fernet).

Who: in production, every person who can read files beyond their own neighbourhood —
coordination staff, advisors, committee members, partners with portfolio access — and any
superuser, even one with no program role. `PIC_REQUIRE_STAFF_MFA` is the switch (on outside
DEBUG); each group has its own setting in `PIC_MFA_REQUIRED` (all on by default).
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from pic.access import roles_of

# Paths a person without the MFA their role requires may still reach: setting it up (allauth's
# pages), leaving, assets.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/health/", "/i18n/")

# Which fact of the person's program roles (pic.access.roles_of) puts them in each group.
ROLE_GROUPS = {
    "coordination": "coordination",
    "advisor": "advisor",
    "committee": "committee_member",
    "partner": "partner",
}


def mfa_required(user) -> bool:
    """Must this person use two-factor authentication, by their roles and the settings?"""
    if user is None or not user.is_authenticated or not settings.PIC_REQUIRE_STAFF_MFA:
        return False
    required = settings.PIC_MFA_REQUIRED
    if required.get("superuser") and user.is_superuser:
        return True
    groups = [group for group in ROLE_GROUPS if required.get(group)]
    if not groups:
        return False
    roles = roles_of(user)
    return any(getattr(roles, ROLE_GROUPS[group]) for group in groups)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def signed_in_through_allauth(request) -> bool:
    """The session was opened by allauth's login (password, then MFA if the person has it)."""
    return bool(get_authentication_records(request, request.user))


def session_passed_mfa(request) -> bool:
    """This session's person gave a second factor (at login, or when asked again)."""
    return any(record.get("method") == "mfa"
               for record in get_authentication_records(request, request.user))


class MFARequiredMiddleware:
    """Sends whoever must use MFA and has not set it up to allauth's TOTP set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not request.path.startswith(ALLOWED_PREFIXES)
                and mfa_required(user) and not has_totp(user)):
            messages.warning(request, _(
                "Votre rôle donne accès aux dossiers au-delà d'un seul quartier : activez "
                "l'authentification à deux facteurs avant de continuer."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)


# --- Secrets at rest ----------------------------------------------------------------------------

ENCRYPTED_PREFIX = "fernet:"
# The secret fields of allauth's Authenticator.data, by authenticator type.
SECRET_FIELDS = {"totp": ("secret",), "recovery_codes": ("seed",)}
SECRET_LIST_FIELDS = {"recovery_codes": ("migrated_codes",)}


def _fernet() -> MultiFernet:
    """The first key of PIC_MFA_ENCRYPTION_KEYS encrypts; every key decrypts."""
    return MultiFernet([Fernet(key.encode()) for key in settings.PIC_MFA_ENCRYPTION_KEYS])


def encrypt_secret(text: str) -> str:
    return ENCRYPTED_PREFIX + _fernet().encrypt(text.encode()).decode()


def decrypt_secret(stored: str) -> str:
    """Clear values written before encryption was on are read as they are (the migration
    0003_encrypt_mfa_secrets encrypts them)."""
    if not stored.startswith(ENCRYPTED_PREFIX):
        return stored
    return _fernet().decrypt(stored.removeprefix(ENCRYPTED_PREFIX).encode()).decode()


def _reencrypt(stored: str) -> str:
    if stored.startswith(ENCRYPTED_PREFIX):
        token = stored.removeprefix(ENCRYPTED_PREFIX).encode()
        return ENCRYPTED_PREFIX + _fernet().rotate(token).decode()
    return encrypt_secret(stored)


def reencrypt_authenticator_data(kind: str, data: dict) -> dict:
    """`data` with every secret encrypted under the first key (clear ones encrypted, others
    rotated): used by the migration and by `manage.py mfa_rotate_keys`."""
    data = dict(data)
    for name in SECRET_FIELDS.get(kind, ()):
        if isinstance(data.get(name), str):
            data[name] = _reencrypt(data[name])
    for name in SECRET_LIST_FIELDS.get(kind, ()):
        if isinstance(data.get(name), list):
            data[name] = [_reencrypt(value) for value in data[name]]
    return data


class MFAAdapter(DefaultMFAAdapter):
    """allauth stores what `encrypt` returns and reads it back through `decrypt`."""

    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)
