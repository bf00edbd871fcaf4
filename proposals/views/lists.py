"""The proposal list (pic/lists.py: filters in the URL, sorting, pages, export)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.access import can, sees_whole_program
from pic.lists import Column, FilteredListView, local_day

from .. import selectors
from ..filters import ProposalFilterForm


class ProposalListView(FilteredListView):
    template_name = "proposals/proposal_list.html"
    context_object_name = "proposals"
    filter_form_class = ProposalFilterForm
    export_filename = "propositions"
    default_sort = "-updated"
    columns = (
        Column("title", _("Proposition"), "title", lambda p: p.title),
        Column("neighbourhood", _("Quartier"), "neighbourhood__name",
               lambda p: p.neighbourhood.name),
        Column("stage", _("Étape"), "stage__number", lambda p: p.stage.number),
        Column("window", _("Période de dépôt"), "window__deadline",
               lambda p: p.window.display_name if p.window else ""),
        Column("status", _("État"), "status", lambda p: p.get_status_display()),
        Column("updated", _("Mise à jour"), "updated_at", lambda p: local_day(p.updated_at)),
    )

    def get_base_queryset(self):
        return selectors.proposal_list(user=self.request.user)

    def unfiltered_total(self):
        user = self.request.user
        if not sees_whole_program(user):
            return None  # an advisor's or a table's files: counted with their scope
        return sum(selectors.status_totals_kept(user=user, today=timezone.localdate()).values())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_create"] = can(user, "proposal.create")
        if can(user, "meeting.manage"):  # the bulk action lives with the agendas (governance)
            context["bulk_agenda_url"] = reverse("governance:agenda-bulk-add")
        return context
