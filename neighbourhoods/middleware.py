"""Coordination staff must set up two-factor authentication when PIC_REQUIRE_STAFF_MFA is on."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import is_coordination

# Paths a member of staff without MFA may still reach: setting it up, leaving, assets.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/health/", "/i18n/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(request, _("L'équipe de coordination doit activer "
                                        "l'authentification à deux facteurs avant de continuer."))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request) -> bool:
        if not settings.PIC_REQUIRE_STAFF_MFA:
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(ALLOWED_PREFIXES):
            return False
        if not is_coordination(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
