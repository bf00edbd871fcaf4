"""The governance lists (pic/lists.py: filters in the URL, sorting, pages, export): meetings
and decision letters, from selectors scoped with `visible_to`; and a member's items to vote
on, a page at a time."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView

from pic.access import can
from pic.lists import Column, FilteredListView, local_day

from .. import selectors
from ..filters import LetterFilterForm, MeetingFilterForm


class MeetingListView(FilteredListView):
    template_name = "governance/meeting_list.html"
    context_object_name = "meetings"
    filter_form_class = MeetingFilterForm
    export_filename = "rencontres"
    default_sort = "-date"
    columns = (
        Column("date", _("Date"), "held_on", lambda m: m.held_on),
        Column("committee", _("Comité"), "committee__kind", lambda m: m.committee.display_name),
        Column("title", _("Rencontre"), "title", lambda m: m.title),
        Column("items", _("Points"), "item_count", lambda m: m.item_count),
    )

    def get_base_queryset(self):
        return selectors.meeting_list(user=self.request.user)


class LetterListView(FilteredListView):
    template_name = "governance/letter_list.html"
    context_object_name = "letters"
    filter_form_class = LetterFilterForm
    export_filename = "lettres"
    default_sort = "-created"
    columns = (
        Column("proposal", _("Dossier"), ("proposal__neighbourhood__name", "proposal__title"),
               lambda x: f"{x.proposal.neighbourhood.name} — {x.proposal.title}"),
        Column("kind", _("Lettre"), ("kind", "version"),
               lambda x: f"{x.title} (v{x.version})"),
        Column("created", _("Produite le"), "created_at", lambda x: local_day(x.created_at)),
        Column("emailed", _("Envoyée le"), "emailed_at", lambda x: local_day(x.emailed_at)),
    )

    def get_base_queryset(self):
        return selectors.letter_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_staff"] = can(user, "letter.regenerate")
        context["can_send"] = can(user, "letter.send")
        context["can_edit_templates"] = can(user, "letter.template")
        context["acknowledgeable"] = {
            letter.pk for letter in context["letters"]
            if letter.awaits_acknowledgement and can(user, "letter.acknowledge", letter.proposal)}
        return context


class ItemsToVoteView(LoginRequiredMixin, ListView):
    """Every open item on the member's committees' agendas, next meeting's first, each with
    the member's recusal or vote (the home shows the first ones)."""

    template_name = "governance/items_to_vote.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.items_to_vote(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.with_recusal(user=self.request.user,
                                                 items=list(context["object_list"]))
        return context
