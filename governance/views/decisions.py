"""Ratification and decision letters."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from pic.access import ActionRequiredMixin, ensure
from pic.files import private_file_response
from proposals.models import Proposal

from .. import selectors, services
from ..forms import RatificationActForm, RatificationForm
from ..models import DecisionLetter
from .base import ServicePostView


def _date_or_today(value: str | None):
    """The date typed (for the warnings shown before ratifying), else today."""
    try:
        return parse_date(value or "") or timezone.localdate()
    except ValueError:
        return timezone.localdate()


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
            acts=selectors.ratification_act_list(user=self.request.user)[:10],
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
    success_message = _("Décision entérinée; la lettre de confirmation est à relire et à envoyer "
                        "(Lettres de décision).")

    def get_form_kwargs(self, proposal):
        return {"initial": {"ratified_on": self.request.GET.get("ratified_on")}}

    def confirmation(self, proposal):
        ratified_on = _date_or_today(self.request.GET.get("ratified_on"))
        return {"title": _("Enregistrer l'entérinement"),
                "subject": f"{proposal.neighbourhood} — {proposal.title}",
                "consequences": [
                    _("La proposition devient « Entérinée » : la décision est définitive."),
                    _("L'allocation est créée, avec ses années, son calendrier des versements, "
                      "ses bilans et ses rapports."),
                    _("La lettre de confirmation est produite « à envoyer » : l'équipe de "
                      "coordination la relit avant de l'envoyer au quartier."),
                    *[_("Attention : %(w)s") % {"w": w} for w in services.ratification_warnings(
                        proposal=proposal, ratified_on=ratified_on)]],
                "button": _("Oui, enregistrer l'entérinement")}

    def perform(self, proposal, form):
        services.ratification_record(proposal=proposal, actor=self.request.user,
                                     ratified_on=form.cleaned_data["ratified_on"])


def _act_confirmation(meeting) -> dict:
    """What the deliberation page says will happen."""
    return {"title": _("Entériner les recommandations de la rencontre « %(m)s »")
            % {"m": meeting.title} if meeting else _("Entériner des recommandations"),
            "subject": str(meeting) if meeting else "",
            "consequences": [
                _("Une délibération est enregistrée (forme, date, numéro de résolution, "
                  "procès-verbal)."),
                _("Chaque proposition cochée devient « Entérinée », avec sa propre "
                  "allocation, son calendrier des versements et sa lettre de confirmation."),
                _("Chaque proposition est traitée à part : si l'une échoue, elle est nommée "
                  "et les autres sont entérinées.")],
            "button": _("Oui, entériner les recommandations cochées")}


def _act_record(request, meeting, data) -> str:
    """The deliberation recorded; each failure named in a message; the summary returned."""
    proposals = list(data["proposals"])
    result = services.ratification_act_record(
        proposals=proposals, actor=request.user,
        committee=services.ratifying_committee(proposals[0].stage.program),
        mode=data["mode"], held_on=data["held_on"], resolution_number=data["resolution_number"],
        source_meeting=meeting, minutes=data.get("minutes"), notes=data["notes"])
    for proposal, message in result.failures:
        messages.error(request, _("Non entérinée : %(p)s — %(m)s")
                       % {"p": f"{proposal.neighbourhood} — {proposal.title}", "m": message})
    return ngettext("Résolution %(r)s : %(n)s proposition entérinée; sa lettre part au "
                    "quartier.",
                    "Résolution %(r)s : %(n)s propositions entérinées; chacune reçoit son "
                    "allocation et sa lettre.", len(result.ratified)) % {
        "r": result.act.resolution_number, "n": len(result.ratified)}


class RatificationActView(ActionRequiredMixin, ServicePostView):
    """The ratifying body's deliberation (meeting or written consultation, date, resolution
    number, minutes) ratifying the recommendations ticked: all those of one comité de gestion
    meeting when it comes from there. The page says what will happen, file by file, before
    « Oui »; each file is ratified in its own transaction and a failure is named."""

    action = "ratification.record"
    confirm = True
    confirm_template = "governance/ratification_act_confirm.html"
    form_class = RatificationActForm

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self, meeting):
        return {"proposals": selectors.recommendations_to_ratify(user=self.request.user,
                                                                 meeting=meeting),
                "initial": {"held_on": timezone.localdate()}}

    def get_context_data(self, meeting, form, **kwargs):
        held_on = _date_or_today(form.data.get("held_on") if form.is_bound else None)
        proposals = list(form.fields["proposals"].queryset)
        warnings = services.ratification_warnings_of(proposals=proposals, ratified_on=held_on)
        rows = [(p, warnings[p.pk]) for p in proposals]
        body = services.ratifying_committee(rows[0][0].stage.program) if rows else None
        return super().get_context_data(meeting, form, rows=rows, body=body, **kwargs)

    def confirmation(self, meeting):
        return _act_confirmation(meeting)

    def perform(self, meeting, form):
        return _act_record(self.request, meeting, form.cleaned_data)

    def get_success_url(self, meeting):
        return reverse("governance:ratification-list")


class RefusalLetterView(DecisionView):
    action = "letter.issue"
    success_message = _("La lettre de refus est produite : relisez-la, puis envoyez-la.")

    def confirmation(self, proposal):
        return {"title": _("Envoyer la lettre de refus"),
                "subject": f"{proposal.neighbourhood} — {proposal.title}",
                "consequences": [_("La lettre de refus est produite « à envoyer » : vous la "
                                   "relisez avant de l'envoyer au quartier.")],
                "button": _("Oui, produire la lettre de refus")}

    def perform(self, proposal, _form):
        services.refusal_letter_request(proposal=proposal, actor=self.request.user)


class LetterRegenerateView(ActionRequiredMixin, ServicePostView):
    action = "letter.regenerate"

    def get_object(self):
        return get_object_or_404(DecisionLetter.objects.visible_to(self.request.user),
                                 pk=self.kwargs["pk"])

    def perform(self, letter, _form):
        new = services.letter_issue(proposal=letter.proposal, kind=letter.kind,
                                    actor=self.request.user, regenerate=True,
                                    amendment_number=letter.amendment_number)
        return _("Nouvelle version produite, à envoyer (version %(v)s).") % {"v": new.version}

    def get_success_url(self, letter):
        return reverse("governance:letter-list")


class RatificationActMinutesView(ActionRequiredMixin, View):
    """The minutes of a ratifying body's deliberation (coordination staff)."""

    action = "ratification.record"

    def get(self, request, pk):
        act = get_object_or_404(selectors.ratification_act_list(user=request.user)
                                .exclude(minutes=""), pk=pk)
        return private_file_response(act.minutes, filename=f"resolution-{act.pk}.pdf",
                                     content_type="application/pdf")


class LetterDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        letter = get_object_or_404(DecisionLetter.objects.visible_to(request.user), pk=pk)
        return private_file_response(
            letter.file, filename=f"lettre-decision-{letter.proposal_id}-v{letter.version}.pdf",
            content_type="application/pdf")
