"""A proposal: create, edit the draft, one view per transition, documents, versions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from pic.access import ActionRequiredMixin, can, ensure
from pic.files import private_file_response
from pic.forms import apply_validation_error

from .. import rules, selectors, services, workflow
from ..forms import (
    DocumentForm,
    ProposalCreateForm,
    ProposalForm,
    RequestChangesForm,
)
from ..models import Initiative, Proposal, Stage
from ..versions import versions_compare
from .files import _member_neighbourhoods

S = Proposal.Status


# --- Proposals ----------------------------------------------------------------------------


class ProposalCreateView(ActionRequiredMixin, FormView):
    action = "proposal.create"  # for one's own table (the form offers only those)
    template_name = "proposals/proposal_create.html"
    form_class = ProposalCreateForm

    def get_initial(self):
        return {"initiative": self.request.GET.get("initiative")}

    def get_form_kwargs(self):
        program = selectors.current_program()
        return {**super().get_form_kwargs(),
                "initiatives": Initiative.objects.filter(
                    neighbourhood__in=_member_neighbourhoods(self.request.user)).select_related(
                    "neighbourhood"),
                "stages": program.stages.all() if program else Stage.objects.none()}

    def form_valid(self, form):
        try:
            proposal = services.proposal_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Brouillon créé : rédigez votre proposition, elle est "
                                         "enregistrée à chaque fois."))
        return redirect("proposals:proposal-edit", pk=proposal.pk)


class ProposalDetailView(LoginRequiredMixin, TemplateView):
    template_name = "proposals/proposal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        proposal = selectors.proposal_get(user=user, pk=self.kwargs["pk"])
        context.update(proposal_context(proposal, user))
        return context


def proposal_context(proposal: Proposal, user) -> dict:
    member = can(user, "proposal.edit", proposal)
    # A button shows when the table allows the transition from this state and the person may
    # do its action (pic.access): the same two checks the transition itself makes.
    allowed = {name: can(user, f"proposal.{name}", proposal)
               for name in workflow.allowed_transitions(proposal.status)}
    evidence = {e.item_id: e.text for e in proposal.evidence.all()}
    docs_by_item: dict[int, list] = {}
    for document in proposal.documents.all():
        docs_by_item.setdefault(document.prerequisite_id, []).append(document)
    prerequisites = [{"item": item, "text": evidence.get(item.pk, ""),
                      "documents": docs_by_item.get(item.pk, [])}
                     for item in proposal.stage.prerequisites.all()]
    editable = member and proposal.status in workflow.EDITABLE_STATES
    return {
        "proposal": proposal,
        "prerequisites": prerequisites,
        "is_member": member,
        # A person given read access to this initiative only does not see the file.
        "sees_file": can(user, "proposal.view_file", proposal),
        "editable": editable,
        "can": {name: allowed.get(name, False) for name in workflow.TRANSITIONS},
        "rule_errors": rules.submission_errors(
            proposal, check_window=proposal.status == S.DRAFT) if editable else {},
        "ci_fields": [(Proposal._meta.get_field(name).verbose_name, getattr(proposal, name))
                      for name in services.CI_CONDITIONS],
    }


class ProposalEditView(LoginRequiredMixin, View):
    """The draft: saved on every POST, whatever its state; a shape error re-renders the typed
    values (and what was well-formed is saved all the same)."""

    template_name = "proposals/proposal_edit.html"

    def get_proposal(self, request, pk):
        proposal = selectors.proposal_get(user=request.user, pk=pk)
        ensure(request.user, "proposal.edit", proposal)  # a read grant never gives a write
        if proposal.status not in workflow.EDITABLE_STATES:
            messages.info(request, _("Cette proposition ne se modifie pas."))
            raise _Redirect(reverse("proposals:proposal-detail", args=[proposal.pk]))
        return proposal

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except _Redirect as r:
            return HttpResponseRedirect(r.url)

    def render(self, request, proposal, form, document_form, rule_errors=None, status=200):
        return render(request, self.template_name, {
            "proposal": proposal, "form": form, "document_form": document_form,
            "rule_errors": rule_errors or {}, "documents": proposal.documents.all(),
        }, status=status)

    def get(self, request, pk):
        proposal = self.get_proposal(request, pk)
        rule_errors = {}
        if request.GET.get("verifier"):
            rule_errors = rules.submission_errors(
                proposal, check_window=proposal.status == S.DRAFT)
        return self.render(request, proposal, ProposalForm(proposal=proposal),
                           DocumentForm(stage=proposal.stage), rule_errors)

    def post(self, request, pk):
        proposal = self.get_proposal(request, pk)
        form = ProposalForm(request.POST, proposal=proposal)
        valid = form.is_valid()
        services.proposal_save_draft(proposal=proposal, actor=request.user,
                                     data=form.draft_data())
        document_form = DocumentForm(request.POST, request.FILES, stage=proposal.stage)
        uploaded = True
        if request.FILES.get("file"):
            uploaded = False
            if document_form.is_valid():
                try:
                    services.document_upload(
                        proposal=proposal, upload=document_form.cleaned_data["file"],
                        actor=request.user,
                        prerequisite_id=getattr(document_form.cleaned_data["prerequisite"],
                                                "pk", None))
                    uploaded = True
                except ValidationError as error:
                    document_form.add_error(
                        "file" if not hasattr(error, "error_dict") else None, error)
        else:
            document_form = DocumentForm(stage=proposal.stage)
        if not valid or not uploaded:
            messages.warning(request, _("Brouillon enregistré, sauf les champs à corriger "
                                        "ci-dessous."))
            proposal = selectors.proposal_get(user=request.user, pk=pk)
            return self.render(request, proposal, form, document_form, status=400)
        messages.success(request, _("Brouillon enregistré."))
        if request.POST.get("then") == "submit":
            return redirect("proposals:proposal-submit", pk=proposal.pk)
        return redirect("proposals:proposal-edit", pk=proposal.pk)


class _Redirect(Exception):  # noqa: N818
    def __init__(self, url):
        self.url = url


class TransitionView(LoginRequiredMixin, View):
    """A POST view per transition; those the neighbourhood does get a GET confirmation page
    (it works without JavaScript)."""

    transition = ""
    confirm = False
    success_message = ""

    def get_proposal(self, request, pk):
        return selectors.proposal_get(user=request.user, pk=pk)

    def get(self, request, pk):
        if not self.confirm:
            return redirect("proposals:proposal-detail", pk=pk)
        proposal = self.get_proposal(request, pk)
        ensure(request.user, f"proposal.{self.transition}", proposal)
        return render(request, "proposals/proposal_confirm.html", {
            "proposal": proposal, "transition": self.transition,
            "rule_errors": self.precheck(proposal)})

    def precheck(self, proposal):
        if self.transition in ("submit", "resubmit") and proposal.status in (
                S.DRAFT, S.CHANGES_REQUESTED):
            return rules.submission_errors(proposal, check_window=self.transition == "submit")
        return {}

    def call(self, request, proposal):
        return workflow.TRANSITION_FUNCTIONS[self.transition](proposal=proposal,
                                                              actor=request.user)

    def post(self, request, pk):
        proposal = self.get_proposal(request, pk)
        try:
            self.call(request, proposal)
        except ValidationError as error:
            return self.refused(request, proposal, error)
        messages.success(request, self.success_message)
        return redirect("proposals:proposal-detail", pk=proposal.pk)

    def refused(self, request, proposal, error):
        if hasattr(error, "error_dict") and self.transition in ("submit", "resubmit") and \
                can(request.user, "proposal.edit", proposal):
            messages.error(request, _("La proposition n'a pas été déposée : corrigez ce qui est "
                                      "indiqué ci-dessous."))
            rule_errors = {k: [str(m) for e in v for m in e.messages]
                           for k, v in error.error_dict.items()}
            return render(request, ProposalEditView.template_name, {
                "proposal": proposal, "form": ProposalForm(proposal=proposal),
                "document_form": DocumentForm(stage=proposal.stage),
                "rule_errors": rule_errors, "documents": proposal.documents.all(),
            }, status=400)
        for message in error.messages:
            messages.error(request, message)
        return redirect("proposals:proposal-detail", pk=proposal.pk)


class ProposalSubmitView(TransitionView):
    transition, confirm = "submit", True

    @property
    def success_message(self):
        return _("Proposition déposée. Un accusé de réception a été envoyé par courriel à "
                 "votre table et à votre conseiller·ère.")


class ProposalResubmitView(TransitionView):
    transition, confirm = "resubmit", True

    @property
    def success_message(self):
        return _("Proposition déposée de nouveau. Un accusé de réception a été envoyé par "
                 "courriel.")


class ProposalWithdrawView(TransitionView):
    transition, confirm = "withdraw", True

    @property
    def success_message(self):
        return _("Proposition retirée.")


class ProposalStartAnalysisView(TransitionView):
    transition = "start_analysis"

    @property
    def success_message(self):
        return _("Analyse commencée.")


class ProposalRecommendView(TransitionView):
    transition = "recommend"

    @property
    def success_message(self):
        return _("Proposition recommandée.")


class ProposalNotRecommendView(TransitionView):
    transition = "not_recommend"

    @property
    def success_message(self):
        return _("Proposition non recommandée.")


class ProposalRatifyView(TransitionView):
    transition = "ratify"

    @property
    def success_message(self):
        return _("Décision entérinée.")


class ProposalLetterSentView(TransitionView):
    transition = "mark_letter_sent"

    @property
    def success_message(self):
        return _("Envoi de la lettre de confirmation noté.")


class ProposalRequestChangesView(LoginRequiredMixin, FormView):
    template_name = "proposals/request_changes_form.html"
    form_class = RequestChangesForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.proposal = selectors.proposal_get(user=request.user, pk=kwargs["pk"])
            ensure(request.user, "proposal.request_changes", self.proposal)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(proposal=self.proposal, **kwargs)

    def form_valid(self, form):
        try:
            workflow.proposal_request_changes(proposal=self.proposal, actor=self.request.user,
                                              message=form.cleaned_data["message"])
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Modifications demandées au quartier."))
        return redirect("proposals:proposal-detail", pk=self.proposal.pk)


# --- Documents and versions -----------------------------------------------------------------


class DocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk)
        return private_file_response(document.file, filename=document.original_name,
                                     content_type=document.content_type)


class DocumentDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        document = selectors.document_get(user=request.user, pk=pk)
        try:
            services.document_delete(document=document, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("proposals:proposal-detail", pk=document.proposal_id)
        messages.success(request, _("Document « %(name)s » supprimé.")
                         % {"name": document.original_name})
        return redirect("proposals:proposal-edit", pk=document.proposal_id)


class VersionCompareView(LoginRequiredMixin, TemplateView):
    template_name = "proposals/version_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = selectors.proposal_get(user=self.request.user, pk=self.kwargs["pk"])
        versions = list(selectors.version_list(user=self.request.user, proposal=proposal))
        by_number = {v.number: v for v in versions}

        def pick(key, default):
            value = self.request.GET.get(key, "")
            return by_number.get(int(value)) if value.isdigit() else default

        newer = pick("b", versions[-1] if versions else None)
        older = pick("a", versions[-2] if len(versions) > 1 else newer)
        rows = versions_compare(older.snapshot, newer.snapshot) if newer and older else []
        context.update(proposal=proposal, versions=versions, older=older, newer=newer,
                       rows=rows)
        return context
