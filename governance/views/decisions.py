"""Ratification and decision letters."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from pic.access import ActionRequiredMixin, ensure
from pic.files import private_file_response
from proposals.models import Proposal

from .. import selectors, services
from ..forms import RatificationForm
from ..models import DecisionLetter
from .base import ServicePostView


class RatificationListView(ActionRequiredMixin, TemplateView):
    action = "ratification.record"
    template_name = "governance/ratification_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = selectors.ratification_watchlist(user=self.request.user)
        context.update(
            rows=rows,
            flagged=[r for r in rows if r.late or r.at_risk],
            form=RatificationForm(),
        )
        return context


class DecisionView(ActionRequiredMixin, ServicePostView):
    action = "ratification.record"
    confirm = True

    def get_object(self):
        proposal = get_object_or_404(Proposal.objects.visible_to(self.request.user)
                                     .select_related("neighbourhood", "stage"),
                                     pk=self.kwargs["proposal_pk"])
        ensure(self.request.user, self.action, proposal)
        return proposal

    def get_success_url(self, proposal):
        return reverse("governance:ratification-list")


class RatifyView(DecisionView):
    """The one road to a ratification. The watch-list's date leads to this page, which says
    what will happen; « Oui, enregistrer » records it."""

    form_class = RatificationForm
    success_message = _("Décision entérinée; la lettre de confirmation part au quartier.")

    def get_form_kwargs(self, proposal):
        return {"initial": {"ratified_on": self.request.GET.get("ratified_on")}}

    def confirmation(self, proposal):
        return {"title": _("Enregistrer l'entérinement"),
                "subject": f"{proposal.neighbourhood} — {proposal.title}",
                "consequences": [
                    _("La proposition devient « Entérinée » : la décision est définitive."),
                    _("L'allocation est créée, avec ses années, ses bilans et ses rapports."),
                    _("La lettre de confirmation est produite et envoyée par courriel au "
                      "quartier.")],
                "button": _("Oui, enregistrer l'entérinement")}

    def perform(self, proposal, form):
        services.ratification_record(proposal=proposal, actor=self.request.user,
                                     ratified_on=form.cleaned_data["ratified_on"])


class RefusalLetterView(DecisionView):
    action = "letter.issue"
    success_message = _("La lettre de refus part au quartier.")

    def confirmation(self, proposal):
        return {"title": _("Envoyer la lettre de refus"),
                "subject": f"{proposal.neighbourhood} — {proposal.title}",
                "consequences": [_("La lettre de refus est produite et envoyée par courriel au "
                                   "quartier; elle ne se retire pas.")],
                "button": _("Oui, envoyer la lettre de refus")}

    def perform(self, proposal, _form):
        services.refusal_letter_request(proposal=proposal, actor=self.request.user)


class LetterRegenerateView(ActionRequiredMixin, ServicePostView):
    action = "letter.regenerate"

    def get_object(self):
        return get_object_or_404(DecisionLetter.objects.visible_to(self.request.user),
                                 pk=self.kwargs["pk"])

    def perform(self, letter, _form):
        new = services.letter_issue(proposal=letter.proposal, kind=letter.kind,
                                    actor=self.request.user, regenerate=True)
        return _("Nouvelle version produite et envoyée (version %(v)s).") % {"v": new.version}

    def get_success_url(self, letter):
        return reverse("governance:letter-list")


class LetterDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        letter = get_object_or_404(DecisionLetter.objects.visible_to(request.user), pk=pk)
        return private_file_response(
            letter.file, filename=f"lettre-decision-{letter.proposal_id}-v{letter.version}.pdf",
            content_type="application/pdf")
