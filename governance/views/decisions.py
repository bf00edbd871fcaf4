"""Ratification and decision letters."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from pic.access import ActionRequiredMixin, can, ensure
from pic.files import private_file_response
from proposals.models import Proposal

from .. import selectors, services
from ..forms import RatificationForm
from ..models import DecisionLetter
from .base import ServicePostView


class RatificationListView(ActionRequiredMixin, ListView):
    """What is actionable, soonest deadline first, a page at a time; `?vue=fermes`: the
    refused files whose letter is written."""

    action = "ratification.record"
    template_name = "governance/ratification_list.html"
    context_object_name = "proposals"
    paginate_by = 25

    def closed(self) -> bool:
        return self.request.GET.get("vue") == "fermes"

    def get_queryset(self):
        return selectors.ratification_watchlist(user=self.request.user, closed=self.closed())

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        self.counts = selectors.ratification_counts(user=self.request.user)
        if not self.closed():
            paginator.count = self.counts["total"]  # the same rows: no second COUNT
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rows=selectors.ratification_rows(context["page_obj"].object_list),
            closed=self.closed(),
            counts=self.counts,
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


class LetterListView(LoginRequiredMixin, ListView):
    template_name = "governance/letter_list.html"
    context_object_name = "letters"
    paginate_by = 50

    def get_queryset(self):
        return selectors.letter_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_staff"] = can(self.request.user, "letter.regenerate")
        return context


class LetterDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        letter = get_object_or_404(DecisionLetter.objects.visible_to(request.user), pk=pk)
        return private_file_response(
            letter.file, filename=f"lettre-decision-{letter.proposal_id}-v{letter.version}.pdf",
            content_type="application/pdf")
