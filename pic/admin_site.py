"""The Django admin behind allauth's one door: its own login form never authenticates anyone.

/admin/login/ sends people to allauth's login (its rate limits, its MFA step) with `next`, and
the admin lets in only active staff whose session went through allauth, with a second factor
when they have one or their role requires it (pic/mfa.py). The admin never shows TOTP secrets.
"""

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from pic import mfa


class PicAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        """Asked many times per admin page: answered once per request and person (a logout
        within the request replaces request.user)."""
        cached = getattr(request, "_pic_admin_permission", None)
        if cached is None or cached[0] is not request.user:
            cached = request._pic_admin_permission = (request.user,
                                                      self._has_permission(request))
        return cached[1]

    def _has_permission(self, request) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if not mfa.signed_in_through_allauth(request):
            return False
        needs_second_factor = mfa.mfa_required(user) or mfa.has_totp(user)
        return not needs_second_factor or mfa.session_passed_mfa(request)

    def login(self, request, extra_context=None):
        """Never a form: allauth's login, or its re-authentication, then back here."""
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            step = "account_login"
        elif self.has_permission(request):
            return HttpResponseRedirect(next_url)
        elif not (user.is_active and user.is_staff):
            raise PermissionDenied
        elif mfa.has_totp(user):
            step = "mfa_reauthenticate"  # prove the second factor in this session
        else:
            step = "account_reauthenticate"  # a session allauth did not open
        query = urlencode({REDIRECT_FIELD_NAME: next_url})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")


class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has which factor, never its secret: view and delete (to reset a lost device)."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    search_fields = ("user__email", "user__full_name")
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def hide_mfa_secrets(site: admin.AdminSite) -> None:
    """Replace allauth.mfa's registration (which shows Authenticator.data) with ours."""
    if site.is_registered(Authenticator):
        site.unregister(Authenticator)
    site.register(Authenticator, AuthenticatorAdmin)
