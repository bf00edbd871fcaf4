"""Pages and one POST view per transition. Every object comes from a scoped selector."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from neighbourhoods.models import Invitation
from neighbourhoods.services import invitation_create
from pic.access import ActionRequiredMixin, can, ensure
from pic.files import private_file_response
from pic.forms import apply_validation_error
from pic.views import ActionView, error_messages
from proposals.models import PrerequisiteItem, Proposal

from . import selectors, services
from .forms import (
    AgendaItemAddForm,
    AnalysisForm,
    AttendanceForm,
    CloseItemForm,
    ConflictForm,
    MeetingForm,
    RatificationForm,
    SeatForm,
    VoteForm,
)
from .models import Analysis, CommitteeMember, DecisionLetter, MeetingMinutes


def _message_of(error: Exception) -> str:
    return " ".join(error_messages(error))


class ServicePostView(ActionView):
    """Load the object, call one service, say what happened (a refusal too), redirect."""

    refusals_as_messages = True


# --- Committees ------------------------------------------------------------------------------


class CommitteeListView(LoginRequiredMixin, TemplateView):
    """Committees and their current members: all for coordination staff, else one's own."""

    template_name = "governance/committee_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        staff = can(user, "committee.seat")
        context.update(
            committees=selectors.committee_list(user=user), is_staff=staff,
            seat_form=SeatForm() if staff else None,
        )
        return context


class SeatView(ActionRequiredMixin, ServicePostView):
    action = "committee.seat"
    form_class = SeatForm

    def perform(self, _target, form):
        data = form.cleaned_data
        committee = data["committee"]
        if data["user"] is None:
            invitation_create(
                email=data["email"], full_name=data["full_name"],
                kind=Invitation.Kind.COMMITTEE_SEAT, organisation=data["organisation"],
                target={"committee": committee.pk, "is_chair": data["is_chair"]},
                actor=self.request.user,
                base_url=self.request.build_absolute_uri("/")[:-1],
            )
            return _("Invitation envoyée à %(email)s : la personne siégera au %(committee)s "
                     "dès qu'elle l'aura acceptée.") % {"email": data["email"],
                                                       "committee": committee}
        seat = services.committee_member_seat(
            committee=committee, user=data["user"], organisation=data["organisation"],
            is_chair=data["is_chair"], actor=self.request.user)
        return _("%(user)s siège au %(committee)s.") % {"user": seat.user,
                                                       "committee": committee}

    def get_success_url(self, _target):
        return reverse("governance:committee-list")


class SeatEndView(ActionRequiredMixin, ServicePostView):
    action = "committee.seat"

    def get_object(self):
        return get_object_or_404(CommitteeMember.objects.current().select_related("user"),
                                 pk=self.kwargs["pk"])

    def perform(self, seat, _form):
        services.committee_member_end(seat=seat, actor=self.request.user)
        return _("%(user)s ne siège plus à ce comité.") % {"user": seat.user}

    def get_success_url(self, seat):
        return reverse("governance:committee-list")


# --- Meetings --------------------------------------------------------------------------------


class MeetingListView(LoginRequiredMixin, ListView):
    template_name = "governance/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 25

    def get_queryset(self):
        return selectors.meeting_list(user=self.request.user)


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
        )
        if can(user, "attendance.record", meeting):
            context["attendance_form"] = AttendanceForm(
                meeting=meeting, initial={"present": list(present)})
        if staff:
            context["add_form"] = AgendaItemAddForm(
                proposals=selectors.proposals_for_agenda(user=user, meeting=meeting))
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
        return {"title": _("Fermer le vote"), "subject": item.proposal,
                "consequences": [
                    _("Le résultat est définitif : les votes ne changent plus."),
                    _("Selon le décompte, la proposition devient « Recommandée » ou « Non "
                      "recommandée »; elle passe ensuite à l'entérinement ou à la lettre de "
                      "refus.")],
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
        return _("Rappel envoyé à %(n)s membre(s).") % {"n": count}


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


# --- Analysis --------------------------------------------------------------------------------


class AnalysisDetailView(LoginRequiredMixin, TemplateView):
    template_name = "governance/analysis_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        proposal = get_object_or_404(
            Proposal.objects.select_related("neighbourhood", "stage", "initiative"),
            pk=self.kwargs["proposal_pk"])
        analysis = selectors.analysis_for(user=user, proposal=proposal)
        if analysis is None:
            if not (Proposal.objects.visible_to(user).filter(pk=proposal.pk).exists()
                    and can(user, "analysis.write", proposal)):
                raise Http404
        context.update(proposal=proposal, analysis=analysis,
                       can_edit=can(user, "analysis.write", proposal)
                       and proposal.status in selectors.UNDECIDED)
        return context


class AnalysisEditView(LoginRequiredMixin, FormView):
    template_name = "governance/analysis_form.html"
    form_class = AnalysisForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.proposal = get_object_or_404(
                Proposal.objects.visible_to(request.user)
                .select_related("neighbourhood", "stage", "initiative")
                .prefetch_related("years"),
                pk=kwargs["proposal_pk"])
            if not can(request.user, "analysis.write", self.proposal):
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            proposal=self.proposal,
            prerequisites=PrerequisiteItem.objects.filter(stage_id=self.proposal.stage_id),
            analysis=Analysis.objects.filter(proposal=self.proposal)
            .prefetch_related("prerequisites", "years").first(),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["proposal"] = self.proposal
        return context

    def form_valid(self, form):
        try:
            services.analysis_save(proposal=self.proposal, actor=self.request.user,
                                   **form.service_arguments())
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, _message_of(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Analyse enregistrée."))
        return redirect("governance:analysis-detail", proposal_pk=self.proposal.pk)


# --- Ratification and letters ----------------------------------------------------------------


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
