"""A proposal's analysis: reading it and writing it."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from pic.access import can
from pic.forms import apply_validation_error
from proposals.models import PrerequisiteItem, Proposal

from .. import selectors, services
from ..forms import AnalysisForm
from ..models import Analysis
from .base import _message_of


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


def _proposal_to_analyse(user, pk):
    """The proposal this person may write the analysis of (404 otherwise)."""
    proposal = get_object_or_404(
        Proposal.objects.visible_to(user)
        .select_related("neighbourhood", "stage", "initiative")
        .prefetch_related("years"),
        pk=pk)
    if not can(user, "analysis.write", proposal):
        raise Http404
    return proposal


class AnalysisEditView(LoginRequiredMixin, FormView):
    template_name = "governance/analysis_form.html"
    form_class = AnalysisForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.proposal = _proposal_to_analyse(request.user, kwargs["proposal_pk"])
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
