"""Allocations, their payments and indicators.

Each view: a selector scoped to the user, one service call, a message, a redirect."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from governance.models import DecisionLetter
from pic.access import can, ensure
from pic.forms import apply_validation_error
from pic.notes.selectors import note_thread

from .. import selectors
from ..forms import (
    DisbursementForm,
    IndicatorForm,
)
from ..models import Report
from ..services import allocations as allocation_services
from ..services import reports


class AllocationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/allocation_detail.html"

    def get_context_data(self, **kwargs):
        allocation = selectors.allocation_get(user=self.request.user, pk=self.kwargs["pk"])
        context = super().get_context_data(allocation=allocation, **kwargs)
        context["can_disburse"] = can(self.request.user, "allocation.disburse", allocation)
        context["can_schedule"] = can(self.request.user, "instalment.release", allocation)
        context["budget"] = selectors.ratified_budget_table(allocation)
        context["today"] = timezone.localdate()
        context["letter"] = (DecisionLetter.objects.visible_to(self.request.user)
                             .filter(proposal_id=allocation.proposal_id,
                                     kind=DecisionLetter.Kind.ALLOCATION)
                             .order_by("-version").first())
        context["disbursement_form"] = kwargs.get("disbursement_form") or DisbursementForm(
            allocation=allocation, initial={"paid_on": timezone.localdate()})
        context["indicator_form"] = IndicatorForm(proposal=allocation.proposal)
        context["questions"] = allocation.proposal.evaluation_questions.prefetch_related(
            "indicators")
        context["amendments"] = allocation.amendments.all()  # prefetched
        context["can_amend"] = can(self.request.user, "amendment.create", allocation)
        context["final_report"] = next(
            (r for r in allocation.reports.all() if r.kind == Report.Kind.FINAL), None)
        context["thread"] = note_thread(user=self.request.user, obj=allocation)
        return context


class DisbursementCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        allocation = selectors.allocation_get(user=request.user, pk=pk)
        ensure(request.user, "allocation.disburse", allocation)
        form = DisbursementForm(request.POST, allocation=allocation)
        if form.is_valid():
            try:
                allocation_services.disbursement_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Le versement est enregistré."))
                return redirect("reporting:allocation-detail", pk=pk)
        view = AllocationDetailView()
        view.setup(request, pk=pk)
        return render(request, view.template_name,
                      view.get_context_data(disbursement_form=form), status=400)


class IndicatorCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        allocation = selectors.allocation_get(user=request.user, pk=pk)
        form = IndicatorForm(request.POST, proposal=allocation.proposal)
        if form.is_valid():
            try:
                reports.indicator_add(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("L'indicateur est ajouté."))
        else:
            messages.error(request, _("Indicateur incomplet : nom et unité sont requis."))
        return redirect("reporting:allocation-detail", pk=pk)
