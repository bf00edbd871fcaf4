"""Meetings, their agenda, attendance and minutes; agenda items: vote, recusal, closing."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from pic.access import ActionRequiredMixin, can, ensure
from pic.files import private_file_response

from .. import selectors, services
from ..agenda_sources import agenda_source, agenda_sources
from ..forms import (
    AgendaItemAddForm,
    AttendanceForm,
    CloseItemForm,
    ConflictForm,
    MeetingForm,
    MinutesUploadForm,
    VoteForm,
)
from ..models import Analysis, MeetingMinutes
from .base import ServicePostView


class MeetingCreateView(ActionRequiredMixin, FormView):
    action = "meeting.manage"
    template_name = "governance/meeting_form.html"
    form_class = MeetingForm

    def form_valid(self, form):
        data = form.cleaned_data
        meeting = services.meeting_create(
            committee=data["committee"], title=data["title"], held_on=data["held_on"],
            location=data["location"], quorum_rule=data["quorum_rule"],
            actor=self.request.user)
        messages.success(self.request, _("Rencontre créée."))
        return redirect("governance:meeting-detail", pk=meeting.pk)


class MeetingDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meeting = selectors.meeting_get(user=user, pk=self.kwargs["pk"])
        members = selectors.committee_members(meeting=meeting)
        staff = can(user, "meeting.manage", meeting)
        chair = any(m.is_chair and m.user_id == user.pk for m in members)
        present = {a.member_id for a in meeting.attendances.all()}
        context.update(
            meeting=meeting, items=meeting.items.all(), members=members, present=present,
            is_staff=staff, is_chair=chair,
            minutes=meeting.minutes.all(),
            minutes_form=MinutesUploadForm() if can(user, "minutes.upload", meeting) else None,
            to_ratify=selectors.recommendations_to_ratify(user=user, meeting=meeting).count()
            if can(user, "ratification.record") else 0,
        )
        if can(user, "attendance.record", meeting):
            context["attendance_form"] = AttendanceForm(
                meeting=meeting, initial={"present": list(present)})
        if staff:
            context["add_form"] = AgendaItemAddForm(
                proposals=selectors.proposals_for_agenda(user=user, meeting=meeting))
            # Other kinds of items (a referred amendment), beside the proposals.
            context["other_sources"] = [
                (source, choices) for source in agenda_sources()
                if (choices := source.choices(user=user, meeting=meeting))]
        return context


class MeetingAgendaView(LoginRequiredMixin, TemplateView):
    """The printable agenda pack: every item with its analysis."""

    template_name = "governance/meeting_agenda.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        meeting = selectors.meeting_get(user=user, pk=self.kwargs["pk"])
        items = list(meeting.items.all())
        analyses = {
            a.proposal_id: a for a in Analysis.objects.visible_to(user)
            .filter(proposal__in=[i.proposal_id for i in items])
            .prefetch_related("prerequisites__prerequisite", "years")
        }
        context.update(meeting=meeting,
                       rows=[(item, analyses.get(item.proposal_id)) for item in items])
        return context


class AgendaItemAddView(ActionRequiredMixin, ServicePostView):
    action = "meeting.manage"

    def get_object(self):
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self, meeting, _form):
        for source in agenda_sources():
            if self.request.POST.get(source.field):
                item = source.add(meeting=meeting, pk=self.request.POST[source.field],
                                  actor=self.request.user)
                return _("« %(item)s » inscrite à l'ordre du jour.") % {"item": item.subject}
        form = AgendaItemAddForm(self.request.POST, proposals=selectors.proposals_for_agenda(
            user=self.request.user, meeting=meeting))
        if not form.is_valid():
            if any(str(item.proposal_id) == self.request.POST.get("proposal")
                   for item in meeting.items.all()):
                return _("Proposition inscrite à l'ordre du jour.")  # a double click
            raise ValidationError(_("Choisissez une proposition."))
        services.agenda_item_add(meeting=meeting, proposal=form.cleaned_data["proposal"],
                                 actor=self.request.user)
        return _("Proposition inscrite à l'ordre du jour.")

    def get_success_url(self, meeting):
        return reverse("governance:meeting-detail", args=[meeting.pk])


class AttendanceView(ServicePostView):
    form_class = AttendanceForm

    def get_object(self):
        meeting = selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])
        ensure(self.request.user, "attendance.record", meeting)
        return meeting

    def get_form_kwargs(self, meeting):
        return {"meeting": meeting}

    def perform(self, meeting, form):
        services.attendance_set(meeting=meeting, present=list(form.cleaned_data["present"]),
                                actor=self.request.user)
        return _("Présences enregistrées.")

    def get_success_url(self, meeting):
        return reverse("governance:meeting-detail", args=[meeting.pk])


class MinutesGenerateView(ActionRequiredMixin, ServicePostView):
    action = "meeting.manage"

    def get_object(self):
        return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self, meeting, _form):
        services.minutes_request(meeting=meeting, actor=self.request.user)
        return _("Procès-verbal demandé : il apparaît dans la liste dès qu'il est prêt "
                 "(rechargez la page au besoin).")

    def get_success_url(self, meeting):
        return reverse("governance:meeting-detail", args=[meeting.pk])


class MinutesUploadView(ServicePostView):
    """The chair or coordination uploads the adopted minutes (PDF)."""

    form_class = MinutesUploadForm

    def get_object(self):
        meeting = selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])
        ensure(self.request.user, "minutes.upload", meeting)
        return meeting

    def perform(self, meeting, form):
        minutes = services.minutes_upload(meeting=meeting, upload=form.cleaned_data["file"],
                                          actor=self.request.user)
        return _("Procès-verbal déposé (version %(v)s).") % {"v": minutes.version}

    def get_success_url(self, meeting):
        return reverse("governance:meeting-detail", args=[meeting.pk])


class ItemDocumentDownloadView(LoginRequiredMixin, View):
    """A document of a proposal on the agenda, for the committee that decides it."""

    def get(self, request, pk, document_pk):
        document = selectors.item_document_get(user=request.user, item_pk=pk,
                                               document_pk=document_pk)
        return private_file_response(document.file, filename=document.original_name,
                                     content_type=document.content_type)


class MinutesDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        minutes = get_object_or_404(
            MeetingMinutes.objects.filter(meeting__in=selectors.meeting_list(user=request.user)
                                          .values("pk")), pk=pk)
        return private_file_response(
            minutes.file, filename=f"proces-verbal-{minutes.meeting_id}-v{minutes.version}.pdf",
            content_type="application/pdf")


# --- Agenda items: vote, recusal, closing ----------------------------------------------------


class AgendaItemDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        item = selectors.item_get(user=user, pk=self.kwargs["pk"])
        rows = selectors.item_members(item=item)
        mine = next((row for row in rows if row.member.user_id == user.pk), None)
        chair = bool(mine and mine.member.is_chair)
        my_vote = None
        if mine is not None and mine.has_voted:
            my_vote = item.votes.filter(member=mine.member).values_list("choice", flat=True)[0]
        if not item.is_allocation:
            source = agenda_source(item.kind)
            context.update(panel_template=source.template, panel=source.panel(item=item))
        context.update(
            item=item, proposal=item.proposal,
            analysis=selectors.analysis_for(user=user, proposal=item.proposal),
            mine=mine, my_vote=my_vote, is_chair=chair,
            can_close=can(user, "vote.close", item),
            rows=rows, voted_count=sum(1 for r in rows if r.has_voted and not r.recusal),
            eligible_count=sum(1 for r in rows if not r.recusal),
            vote_form=VoteForm(initial={"choice": my_vote}),
            conflict_form=ConflictForm(),
        )
        return context


class ItemPostView(ServicePostView):
    action = ""  # asked before the form is read: a refusal is a 403 with its reason

    def get_object(self):
        item = selectors.item_get(user=self.request.user, pk=self.kwargs["pk"])
        ensure(self.request.user, self.action, item)
        return item

    def get_success_url(self, item):
        return reverse("governance:item-detail", args=[item.pk])


class VoteView(ItemPostView):
    action = "vote.cast"
    form_class = VoteForm

    def perform(self, item, form):
        vote = services.vote_cast(item=item, actor=self.request.user,
                                  choice=form.cleaned_data["choice"])
        return _("Votre vote est enregistré : %(choice)s.") % {"choice": vote.get_choice_display()}


class ConflictView(ItemPostView):
    action = "recusal.declare"
    form_class = ConflictForm

    def perform(self, item, form):
        services.recusal_declare(item=item, actor=self.request.user,
                                 details=form.cleaned_data["details"])
        return _("Votre conflit d'intérêts est consigné : vous êtes récusé·e de ce point.")


class CloseItemView(ItemPostView):
    """Closing is final: a confirmation page shows the tally and takes the reasons."""

    action = "vote.close"
    form_class, confirm = CloseItemForm, True
    confirm_template = "governance/item_close_confirm.html"

    def confirmation(self, item):
        decides = (agenda_source(item.kind).consequences if not item.is_allocation else [
            _("Selon le décompte, la proposition devient « Recommandée » ou « Non "
              "recommandée »; elle passe ensuite à l'entérinement ou à la lettre de refus.")])
        return {"title": _("Fermer le vote"), "subject": item.subject,
                "consequences": [
                    _("Le résultat est définitif : les votes ne changent plus."), *decides],
                "button": _("Oui, fermer le vote")}

    def get_context_data(self, item, form, **kwargs):
        return super().get_context_data(item, form, tally=selectors.item_tally(item), **kwargs)

    def perform(self, item, form):
        item = services.item_close(item=item, actor=self.request.user,
                                   reasons=form.cleaned_data.get("reasons", ""))
        return _("Vote fermé : %(result)s.") % {"result": item.get_result_display()}


class ReminderView(ItemPostView):
    action = "vote.remind"
    confirm = True

    def confirmation(self, item):
        return {"title": _("Envoyer un rappel de vote"), "subject": item.proposal,
                "consequences": [_("Un courriel de rappel part à chaque membre admissible qui "
                                   "n'a pas encore voté sur ce point.")],
                "button": _("Oui, envoyer le rappel")}

    def perform(self, item, _form):
        count = services.vote_reminder_send(item=item, actor=self.request.user)
        return ngettext("Rappel envoyé à %(n)s membre.", "Rappel envoyé à %(n)s membres.",
                        count) % {"n": count}


class VotersPanelView(LoginRequiredMixin, TemplateView):
    """The chair's live view of who has voted (htmx polls it); never how, until closed."""

    template_name = "governance/_voters.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        item = selectors.item_get(user=user, pk=self.kwargs["pk"])
        rows = selectors.item_members(item=item)
        ensure(user, "vote.close", item)
        context.update(item=item, rows=rows,
                       voted_count=sum(1 for r in rows if r.has_voted and not r.recusal),
                       eligible_count=sum(1 for r in rows if not r.recusal))
        return context
