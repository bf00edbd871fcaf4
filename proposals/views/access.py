"""Read access to one initiative, given to one person by coordination staff (and revoked)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from pic.access import ActionRequiredMixin
from pic.forms import apply_validation_error
from pic.models import User

from .. import selectors, services
from ..forms import InitiativeAccessForm


class InitiativeAccessGrantView(ActionRequiredMixin, View):
    action = "initiative.grant_read"

    def post(self, request, pk):
        initiative = selectors.initiative_get(user=request.user, pk=pk)
        form = InitiativeAccessForm(request.POST)
        if form.is_valid():
            try:
                services.initiative_access_grant(initiative=initiative,
                                                 user=form.cleaned_data["email"],
                                                 actor=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
        if form.errors:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
        else:
            messages.success(request, _("Accès en lecture donné à %(email)s.")
                             % {"email": form.cleaned_data["email"].email})
        return redirect("proposals:initiative-detail", pk=initiative.pk)


class InitiativeAccessRevokeView(ActionRequiredMixin, View):
    """GET: a confirmation page (it works without JavaScript); POST: the revocation."""

    action = "initiative.grant_read"

    template_name = "proposals/initiative_access_revoke.html"

    def get_reader(self, request, initiative):
        value = request.POST.get("user") or request.GET.get("user") or ""
        readers = {u.pk: u for u in selectors.initiative_reader_list(initiative=initiative)}
        return readers.get(int(value)) if value.isdigit() else None

    def get(self, request, pk):
        initiative = selectors.initiative_get(user=request.user, pk=pk)
        reader = self.get_reader(request, initiative)
        if reader is None:
            return redirect("proposals:initiative-detail", pk=initiative.pk)
        return render(request, self.template_name, {"initiative": initiative, "reader": reader})

    def post(self, request, pk):
        initiative = selectors.initiative_get(user=request.user, pk=pk)
        value = request.POST.get("user", "")
        user = get_object_or_404(User, pk=value) if value.isdigit() else None
        if user is not None:
            services.initiative_access_revoke(initiative=initiative, user=user,
                                              actor=request.user)
            messages.success(request, _("Accès en lecture retiré à %(email)s.")
                             % {"email": user.email})
        return redirect("proposals:initiative-detail", pk=initiative.pk)
