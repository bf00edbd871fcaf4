"""A proposal: create, edit the draft, one view per transition, documents, versions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from pic.access import ActionRequiredMixin, can, ensure
from pic.files import private_file_response
from pic.forms import apply_validation_error
from pic.notes.selectors import note_thread
from pic.timeline import timeline
from pic.views import ActionView

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
        context.update(thread=note_thread(user=user, obj=proposal),
                       timeline=timeline(user=user, obj=proposal))
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
        "rule_errors": _submission_errors(proposal) if editable else {},
        "ci_fields": [(Proposal._meta.get_field(name).verbose_name, getattr(proposal, name))
                      for name in services.CI_CONDITIONS],
    }


def _submission_errors(proposal: Proposal) -> dict:
    """What stops the proposal from being submitted (the window too, while it is a draft)."""
    return rules.submission_errors(proposal, check_window=proposal.status == S.DRAFT)


def _edit_page(request, proposal, form, document_form, rule_errors=None, status=200):
    """The draft's page: its form, the document upload, what stops a submission."""
    return render(request, ProposalEditView.template_name, {
        "proposal": proposal, "form": form, "document_form": document_form,
        "rule_errors": rule_errors or {}, "documents": proposal.documents.all(),
    }, status=status)


def _upload_document(request, proposal) -> tuple[DocumentForm, bool]:
    """The document sent with the draft, if any: (its form, with its errors; whether it is
    stored or there was none)."""
    if not request.FILES.get("file"):
        return DocumentForm(stage=proposal.stage), True
    document_form = DocumentForm(request.POST, request.FILES, stage=proposal.stage)
    if not document_form.is_valid():
        return document_form, False
    try:
        services.document_upload(
            proposal=proposal, upload=document_form.cleaned_data["file"],
            actor=request.user,
            prerequisite_id=getattr(document_form.cleaned_data["prerequisite"], "pk", None))
    except ValidationError as error:
        document_form.add_error("file" if not hasattr(error, "error_dict") else None, error)
        return document_form, False
    return document_form, True


def _after_draft_saved(view, request, pk, form, document_form, complete: bool):
    """Back to the page with what to correct, or with one more row; else on to the
    submission's confirmation or back to the edit page."""
    if not complete:
        messages.warning(request, _("Brouillon enregistré, sauf les champs à corriger "
                                    "ci-dessous."))
        return view.render(request, view.get_proposal(request, pk), form, document_form,
                           status=400)
    if form.question_formset.adding_row:  # « Ajouter une ligne »: the same page, one more row
        messages.success(request, _("Brouillon enregistré; une ligne vide est ajoutée."))
        return view.render(request, view.get_proposal(request, pk), form, document_form)
    messages.success(request, _("Brouillon enregistré."))
    if request.POST.get("then") == "submit":
        return redirect("proposals:proposal-submit", pk=pk)
    return redirect("proposals:proposal-edit", pk=pk)


class ProposalEditView(LoginRequiredMixin, View):
    """The draft: saved on every POST, whatever its state; a shape error re-renders the typed
    values (and what was well-formed is saved all the same)."""

    template_name = "proposals/proposal_edit.html"

    def get_proposal(self, request, pk):
        return selectors.proposal_get(user=request.user, pk=pk)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        proposal = self.get_proposal(request, kwargs["pk"])
        ensure(request.user, "proposal.edit", proposal)  # a read grant never gives a write
        if proposal.status not in workflow.EDITABLE_STATES:
            messages.info(request, _("Cette proposition ne se modifie pas."))
            return redirect("proposals:proposal-detail", pk=proposal.pk)
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, proposal, form, document_form, rule_errors=None, status=200):
        return _edit_page(request, proposal, form, document_form, rule_errors, status)

    def get(self, request, pk):
        proposal = self.get_proposal(request, pk)
        rule_errors = _submission_errors(proposal) if request.GET.get("verifier") else {}
        return self.render(request, proposal, ProposalForm(proposal=proposal),
                           DocumentForm(stage=proposal.stage), rule_errors)

    def post(self, request, pk):
        proposal = self.get_proposal(request, pk)
        form = ProposalForm(request.POST, proposal=proposal)
        valid = form.is_valid()
        services.proposal_save_draft(proposal=proposal, actor=request.user,
                                     data=form.draft_data())
        document_form, uploaded = _upload_document(request, proposal)
        return _after_draft_saved(self, request, pk, form, document_form, valid and uploaded)


def _rule_errors(error: ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for e in v for m in e.messages] for k, v in error.error_dict.items()}


class TransitionView(ActionView):
    """One view per transition; those the neighbourhood does (submit, resubmit, withdraw)
    have a confirmation page that says what will happen (it works without JavaScript)."""

    transition = ""
    confirm_template = "proposals/proposal_confirm.html"

    def get_object(self):
        proposal = selectors.proposal_get(user=self.request.user, pk=self.kwargs["pk"])
        ensure(self.request.user, f"proposal.{self.transition}", proposal)
        return proposal

    def get_success_url(self, proposal):
        return reverse("proposals:proposal-detail", args=[proposal.pk])

    def get_context_data(self, proposal, form, **kwargs):
        return super().get_context_data(proposal, form, proposal=proposal,
                                        transition=self.transition,
                                        rule_errors=self.precheck(proposal), **kwargs)

    def precheck(self, proposal):
        if self.transition in ("submit", "resubmit") and proposal.status in (
                S.DRAFT, S.CHANGES_REQUESTED):
            return rules.submission_errors(proposal, check_window=self.transition == "submit")
        return {}

    def perform(self, proposal, _form):
        workflow.TRANSITION_FUNCTIONS[self.transition](proposal=proposal,
                                                       actor=self.request.user)

    def refused(self, proposal, form, error):
        if hasattr(error, "error_dict") and self.transition in ("submit", "resubmit") and \
                can(self.request.user, "proposal.edit", proposal):
            messages.error(self.request, _("La proposition n'a pas été déposée : corrigez ce qui "
                                           "est indiqué ci-dessous."))
            return _edit_page(self.request, proposal, ProposalForm(proposal=proposal),
                              DocumentForm(stage=proposal.stage), _rule_errors(error), 400)
        return super().refused(proposal, form, error)


class ProposalSubmitView(TransitionView):
    transition, confirm = "submit", True
    success_message = _("Proposition déposée. Un accusé de réception a été envoyé par courriel "
                        "à votre table et à votre conseiller·ère.")

    def confirmation(self, proposal):
        return {"title": _("Déposer la proposition"), "subject": proposal.title,
                "consequences": [_("Attention : une fois déposée, la proposition ne se modifie "
                                   "plus, sauf si des modifications vous sont demandées. Une "
                                   "version numérotée est conservée et un accusé de réception "
                                   "est envoyé par courriel.")],
                "button": _("Oui, déposer la proposition")}


class ProposalResubmitView(ProposalSubmitView):
    transition = "resubmit"
    success_message = _("Proposition déposée de nouveau. Un accusé de réception a été envoyé "
                        "par courriel.")

    def confirmation(self, proposal):
        return {**super().confirmation(proposal),
                "title": _("Déposer de nouveau la proposition")}


class ProposalWithdrawView(TransitionView):
    transition, confirm = "withdraw", True
    success_message = _("Proposition retirée.")

    def confirmation(self, proposal):
        return {"title": _("Retirer la proposition"), "subject": proposal.title, "danger": True,
                "consequences": [_("Attention : le retrait est définitif. La proposition ne "
                                   "pourra plus être déposée ni modifiée; il faudra en créer "
                                   "une nouvelle.")],
                "button": _("Oui, retirer la proposition")}


class ProposalStartAnalysisView(TransitionView):
    transition = "start_analysis"
    success_message = _("Analyse commencée.")


class ProposalLetterSentView(TransitionView):
    transition = "mark_letter_sent"
    success_message = _("Envoi de la lettre de confirmation noté.")


class ProposalRequestChangesView(TransitionView):
    """The form (GET) says what will happen; its POST asks the neighbourhood for changes, or
    shows the form again with what was typed."""

    transition, confirm, form_class = "request_changes", True, RequestChangesForm
    template_name = confirm_template = "proposals/request_changes_form.html"
    success_message = _("Modifications demandées au quartier.")

    def perform(self, proposal, form):
        workflow.proposal_request_changes(proposal=proposal, actor=self.request.user,
                                          message=form.cleaned_data["message"])


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
