"""The follow-up lists (pic/lists.py: filters in the URL, sorting, pages, export): allocations,
reports, check-ins and payments, each from its selector scoped with `visible_to`."""

from django.utils.translation import gettext_lazy as _

from pic.lists import Column, FilteredListView, local_day

from .. import selectors
from ..filters import (
    AllocationFilterForm,
    CheckInFilterForm,
    DisbursementFilterForm,
    ReportFilterForm,
)

NEIGHBOURHOOD = _("Quartier")
PROPOSAL = _("Proposition")


class AllocationListView(FilteredListView):
    template_name = "reporting/allocation_list.html"
    context_object_name = "allocations"
    filter_form_class = AllocationFilterForm
    export_filename = "allocations"
    default_sort = "neighbourhood"
    columns = (
        Column("neighbourhood", NEIGHBOURHOOD, ("neighbourhood__name", "-starts_on"),
               lambda a: a.neighbourhood.name),
        Column("proposal", PROPOSAL, "proposal__title", lambda a: a.proposal.title),
        Column("stage", _("Étape"), "stage__number", lambda a: a.stage.number),
        Column("starts", _("Début"), "starts_on", lambda a: a.starts_on),
        Column("ends", _("Fin de l'étape"), "ends_on", lambda a: a.ends_on),
        Column("total", _("Montant annuel total"), None, lambda a: a.total),
        Column("status", _("État"), "status", lambda a: a.get_status_display()),
    )

    def get_base_queryset(self):
        return selectors.allocation_list(user=self.request.user)


class ReportListView(FilteredListView):
    template_name = "reporting/report_list.html"
    context_object_name = "reports"
    filter_form_class = ReportFilterForm
    export_filename = "rapports"
    default_sort = "due"
    columns = (
        Column("report", _("Rapport"), ("kind", "allocation_year__year_number"), str),
        Column("neighbourhood", NEIGHBOURHOOD, "allocation__neighbourhood__name",
               lambda r: r.allocation.neighbourhood.name),
        Column("due", _("À remettre le"), "due_on", lambda r: r.due_on),
        Column("status", _("État"), "status", lambda r: r.get_status_display()),
        Column("submitted", _("Remis le"), "submitted_at", lambda r: local_day(r.submitted_at)),
    )

    def get_base_queryset(self):
        return selectors.report_list(user=self.request.user)


class CheckInListView(FilteredListView):
    template_name = "reporting/checkin_list.html"
    context_object_name = "checkins"
    filter_form_class = CheckInFilterForm
    export_filename = "bilans"
    default_sort = "due"
    columns = (
        Column("neighbourhood", NEIGHBOURHOOD, "allocation_year__allocation__neighbourhood__name",
               lambda c: c.allocation_year.allocation.neighbourhood.name),
        Column("proposal", PROPOSAL, "allocation_year__allocation__proposal__title",
               lambda c: c.allocation_year.allocation.proposal.title),
        Column("year", _("Année"), "allocation_year__year_number",
               lambda c: c.allocation_year.year_number),
        Column("due", _("Prévu le"), "due_on", lambda c: c.due_on),
        Column("held", _("Tenu le"), "held_on", lambda c: c.held_on),
    )

    def get_base_queryset(self):
        return selectors.checkin_list(user=self.request.user)


class DisbursementListView(FilteredListView):
    template_name = "reporting/disbursement_list.html"
    context_object_name = "disbursements"
    filter_form_class = DisbursementFilterForm
    export_filename = "versements"
    default_sort = "-paid"
    columns = (
        Column("paid", _("Versé le"), "paid_on", lambda d: d.paid_on),
        Column("neighbourhood", NEIGHBOURHOOD, "allocation_year__allocation__neighbourhood__name",
               lambda d: d.allocation_year.allocation.neighbourhood.name),
        Column("proposal", PROPOSAL, "allocation_year__allocation__proposal__title",
               lambda d: d.allocation_year.allocation.proposal.title),
        Column("year", _("Année"), "allocation_year__year_number",
               lambda d: d.allocation_year.year_number),
        Column("amount", _("Montant ($)"), "amount", lambda d: d.amount),
    )

    def get_base_queryset(self):
        return selectors.disbursement_list(user=self.request.user)
