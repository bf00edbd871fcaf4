"""The proposal's budget by line and by year: its own page, linked from the proposal (the
neighbourhood writes it while the proposal is a draft; everyone who sees the file reads it)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from pic.access import can, ensure
from pic.forms import apply_validation_error

from .. import selectors
from ..budget import budget_grid, proposal_budget_save
from ..forms import BudgetForm
from ..workflow import EDITABLE_STATES


def _page(request, proposal, form, status=200):
    return render(request, "proposals/proposal_budget.html",
                  {"proposal": proposal, "grid": budget_grid(proposal), "form": form},
                  status=status)


class ProposalBudgetView(LoginRequiredMixin, View):
    def get(self, request, pk):
        proposal = selectors.proposal_get(user=request.user, pk=pk)
        editable = (can(request.user, "proposal.edit", proposal)
                    and proposal.status in EDITABLE_STATES)
        return _page(request, proposal,
                     BudgetForm(grid=budget_grid(proposal)) if editable else None)

    def post(self, request, pk):
        proposal = selectors.proposal_get(user=request.user, pk=pk)
        ensure(request.user, "proposal.edit", proposal)
        form = BudgetForm(request.POST, grid=budget_grid(proposal))
        if form.is_valid():
            try:
                proposal_budget_save(proposal=proposal, actor=request.user, lines=form.lines())
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Le budget est enregistré."))
                return redirect("proposals:proposal-budget", pk=pk)
        return _page(request, proposal, form, status=400)
