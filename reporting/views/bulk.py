"""Bulk: a reminder to the members of several neighbourhoods at once (ticked on the
neighbourhood list). The page says what will happen and asks for confirmation; each
neighbourhood is reminded in its own transaction and a refused one is named (pic/bulk.py)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from neighbourhoods.models import Neighbourhood
from pic import bulk
from pic.access import ensure
from pic.views import ActionView

from ..services import nudges


class NeighbourhoodSelectionForm(forms.Form):
    selected = forms.ModelMultipleChoiceField(queryset=None, to_field_name="slug",
                                              widget=forms.MultipleHiddenInput)

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = neighbourhoods


class NeighbourhoodRemindView(ActionView):
    confirm = True
    form_class = NeighbourhoodSelectionForm

    def get_object(self) -> list[Neighbourhood]:
        ensure(self.request.user, "neighbourhood.remind")
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return list(Neighbourhood.objects.visible_to(self.request.user)
                    .filter(slug__in=data.getlist("selected")[:200]).order_by("name"))

    def get(self, request, *args, **kwargs):
        if not self.get_object():
            messages.error(request, _("Cochez au moins un quartier dans la liste."))
            return redirect("neighbourhoods:neighbourhood-list")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self, neighbourhoods):
        return {"neighbourhoods": Neighbourhood.objects.visible_to(self.request.user),
                "initial": {"selected": [n.slug for n in neighbourhoods]}}

    def confirmation(self, neighbourhoods) -> dict:
        lines = [_("Chaque membre de %(q)s recevra un courriel listant les rapports à remettre "
                   "(en retard ou attendus dans les %(d)s prochains jours).")
                 % {"q": n.name, "d": nudges.NUDGE_DAYS} for n in neighbourhoods]
        return {"title": _("Envoyer un rappel aux quartiers"), "consequences": lines,
                "button": _("Oui, envoyer le rappel")}

    def perform(self, neighbourhoods, form):
        result = nudges.neighbourhoods_remind(
            neighbourhoods=list(form.cleaned_data["selected"]), actor=self.request.user)
        bulk.report(self.request, result, done=lambda items: ngettext(
            "Rappel envoyé à %(n)s quartier : %(names)s.",
            "Rappel envoyé à %(n)s quartiers : %(names)s.",
            len(items)) % {"n": len(items), "names": ", ".join(n.name for n in items)},
            failed=lambda n, why: _("%(q)s : aucun rappel envoyé. %(why)s") % {
                "q": n.name, "why": why})
        return ""

    def get_success_url(self, neighbourhoods) -> str:
        return reverse("neighbourhoods:neighbourhood-list")
