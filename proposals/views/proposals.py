"""A proposal: create, edit the draft, one view per transition, documents, versions."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
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

from .. import rules, sections, selectors, services, workflow
from ..forms import RequestChangesForm
from ..journey_forms import ProposalCreateForm
from ..models import Initiative, LetterOfIntent, Proposal, Stage
from ..states import RATIFIED_STATES
from ..versions import versions_compare
from .edit import check_context, submission_errors
from .files import _member_neighbourhoods

S = Proposal.Status


# --- Proposals ----------------------------------------------------------------------------


class ProposalCreateView(ActionRequiredMixin, FormView):
    action = "proposal.create"  # for one's own table (the form offers only those)
    template_name = "proposals/proposal_create.html"
    form_class = ProposalCreateForm

    def get_initial(self):
        """From a link: « Proposer l'étape suivante » (?depuis=, ?initiative=, ?etape=) or
        « Commencer la proposition » of a letter of intent (?lettre=: its stage too)."""
        get = self.request.GET
        initial = {"initiative": get.get("initiative"), "start_from": get.get("depuis"),
                   "stage": get.get("etape"), "letter_of_intent": get.get("lettre")}
        letter = _acknowledged_letters(self.request.user).filter(
            pk=get.get("lettre")).first() if (get.get("lettre") or "").isdigit() else None
        if letter is not None:
            initial["stage"] = letter.target_stage_id
        return initial

    def get_form_kwargs(self):
        program = selectors.current_program()
        mine = _member_neighbourhoods(self.request.user)
        return {**super().get_form_kwargs(),
                "initiatives": Initiative.objects.filter(
                    neighbourhood__in=mine).select_related("neighbourhood"),
                "stages": program.stages.all() if program else Stage.objects.none(),
                "letters": _acknowledged_letters(self.request.user),
                "previous": Proposal.objects.filter(neighbourhood__in=mine).exclude(
                    status=S.WITHDRAWN).select_related("stage").order_by("-created_at")}

    def form_valid(self, form):
        try:
            proposal = services.proposal_create(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Brouillon créé : rédigez votre proposition, elle est "
                                         "enregistrée à chaque fois."))
        return redirect("proposals:proposal-edit", pk=proposal.pk)


def _acknowledged_letters(user):
    """The letters of intent a new proposal may start from: acknowledged, of one's tables."""
    return LetterOfIntent.objects.filter(
        neighbourhood__in=_member_neighbourhoods(user),
        acknowledged_at__isnull=False).select_related("target_stage")


class ProposalDetailView(LoginRequiredMixin, TemplateView):
    template_name = "proposals/proposal_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        proposal = selectors.proposal_get(user=user, pk=self.kwargs["pk"])
        context.update(proposal_context(proposal, user))
        thread = note_thread(user=user, obj=proposal)
        context.update(thread=thread, timeline=timeline(user=user, obj=proposal,
                                                        notes=thread.get("notes", [])))
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
    rule_errors = submission_errors(proposal) if editable else {}
    return {
        "proposal": proposal,
        "prerequisites": prerequisites,
        "is_member": member,
        # A person given read access to this initiative only does not see the file.
        "sees_file": can(user, "proposal.view_file", proposal),
        "editable": editable,
        "can": {name: allowed.get(name, False) for name in workflow.TRANSITIONS},
        "rule_errors": rule_errors,
        "rule_links": sections.rule_error_links(proposal, rule_errors),
        "ci_fields": [(Proposal._meta.get_field(name).verbose_name, getattr(proposal, name))
                      for name in services.CI_CONDITIONS],
        "next_stage": _next_stage(proposal) if can(user, "proposal.create", proposal) else None,
    }


def _next_stage(proposal: Proposal):
    """The stage a ratified proposal's initiative may go on to (the link « Proposer l'étape
    suivante »), or None."""
    if proposal.status not in RATIFIED_STATES:
        return None
    return proposal.stage.program.stages.filter(number=proposal.stage.number + 1).first()


NOT_SUBMITTED = _("La proposition n'a pas été déposée : corrigez ce qui est indiqué ci-dessous.")


def _check_answers(proposal: Proposal, rule_errors: dict) -> dict:
    """« Vérifier et déposer »: every answer with its « Modifier » link; the button stays
    disabled, its reason beside it, while a rule fails (the service refuses all the same)."""
    context = check_context(proposal, rule_errors)
    if rule_errors:
        context["confirm_blocked"] = _("Le dépôt n'est pas encore possible : corrigez d'abord "
                                       "ce qui est indiqué en haut de la page.")
    return context


class TransitionView(ActionView):
    """One view per transition; submit, resubmit and withdraw have a confirmation page."""

    transition = ""
    confirm_template = "proposals/proposal_confirm.html"

    def get_object(self):
        proposal = selectors.proposal_get(user=self.request.user, pk=self.kwargs["pk"])
        ensure(self.request.user, f"proposal.{self.transition}", proposal)
        return proposal

    def get_success_url(self, proposal):
        return reverse("proposals:proposal-detail", args=[proposal.pk])

    def get_context_data(self, proposal, form, **kwargs):
        rule_errors, user = self.precheck(proposal), self.request.user
        if self.transition in ("submit", "resubmit") and can(user, "proposal.edit", proposal):
            kwargs.update(_check_answers(proposal, rule_errors))
        return super().get_context_data(proposal, form, proposal=proposal,
                                        transition=self.transition, rule_errors=rule_errors,
                                        focus_errors=getattr(self, "refusal", False), **kwargs)

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
            messages.error(self.request, NOT_SUBMITTED)
            self.refusal = True
            return self.render_confirmation(proposal, None, status=400)
        return super().refused(proposal, form, error)


class ProposalSubmitView(TransitionView):
    transition, confirm = "submit", True
    success_message = _("Proposition déposée. Un accusé de réception a été envoyé par courriel "
                        "à votre table et à votre conseiller·ère.")

    def confirmation(self, proposal):
        return {"title": _("Vérifier et déposer la proposition"), "subject": proposal.title,
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
                "title": _("Vérifier et déposer de nouveau la proposition")}


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
