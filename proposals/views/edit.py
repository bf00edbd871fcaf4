"""The proposal's draft as a task list (proposals/sections.py): the list with each section's
status, one page per section, saved by its button or by itself (static/js/pic.js posts the
form with the header X-PIC-Autosave and reads a JSON answer), never over a newer save."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from pic.access import ensure
from pic.drafts import VERSION_FIELD, StaleDraft, saved_message, version_of

from .. import rules, sections, selectors, services, workflow
from ..forms import DocumentForm, ProposalForm
from ..models import Proposal

AUTOSAVE_HEADER = "X-PIC-Autosave"


def submission_errors(proposal: Proposal) -> dict:
    """What stops the proposal from being submitted (the window too, while it is a draft)."""
    return rules.submission_errors(proposal, check_window=proposal.status ==
                                   Proposal.Status.DRAFT)


def check_context(proposal: Proposal, rule_errors: dict) -> dict:
    """The task list's or the check-answers page's: each section's status and answers, the
    progress, and each failed rule linked to its field on its section page."""
    states = sections.proposal_sections(proposal, ProposalForm(proposal=proposal), rule_errors)
    return {"sections": states, "progress": sections.progress(states),
            "rule_links": sections.rule_error_links(proposal, rule_errors)}


def _edit_page(request, proposal, form, document_form, section=None, rule_errors=None,
               status=200):
    """The task list (no section), a section's page, or every section (a post to the task
    list's address that needs correcting)."""
    rule_errors = rule_errors or {}
    shown = [section] if section else []
    if section is None and form.is_bound:
        shown = list(sections.PROPOSAL_SECTIONS)
    context = {"proposal": proposal, "form": form, "document_form": document_form,
               "documents": proposal.documents.all(), "section": section, "shown": shown,
               "groups": sections.GROUPS, "next_section": section and sections.next_section(
                   section.slug), "section_total": len(sections.PROPOSAL_SECTIONS),
               "section_number": section and sections.PROPOSAL_SECTIONS.index(section) + 1}
    if shown:  # the rules about the fields on this page, beside them and linked in the summary
        names = {name for s in shown for name in s.fields}
        context["rule_errors"] = {k: v for k, v in rule_errors.items()
                                  if sections.group_of(k) in names}
    else:
        context.update(check_context(proposal, submission_errors(proposal)))
        context["rule_errors"] = rule_errors
    return render(request, ProposalEditView.template_name, context, status=status)


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


def _next_url(request, proposal, section):
    """Where a saved draft goes: « Enregistrer » stays, « Enregistrer et continuer » goes to the
    next section (then the task list), the last button to the check-answers page."""
    then = request.POST.get("then", "")
    if then == "submit":
        name = ("proposals:proposal-resubmit" if proposal.status == Proposal.Status.
                CHANGES_REQUESTED else "proposals:proposal-submit")
        return redirect(name, pk=proposal.pk)
    following = section and sections.next_section(section.slug)
    if then == "next" and following:
        return redirect(sections.section_url(proposal, following))
    if then == "stay" and section:
        return redirect(sections.section_url(proposal, section))
    return redirect("proposals:proposal-edit", pk=proposal.pk)


def _after_draft_saved(view, request, proposal, form, document_form, complete: bool):
    """Back to the page with what to correct, or with one more row; else on."""
    section = view.section
    if not complete:
        messages.warning(request, _("Brouillon enregistré, sauf les champs à corriger "
                                    "ci-dessous."))
        return _edit_page(request, proposal, form, document_form, section, status=400)
    if form.question_formset.adding_row:  # « Ajouter une ligne »: the same page, one more row
        messages.success(request, _("Brouillon enregistré; une ligne vide est ajoutée."))
        return _edit_page(request, proposal, form, document_form, section)
    messages.success(request, saved_message(proposal))
    return _next_url(request, proposal, section)


def _with_version(form, version: str) -> None:
    """The page drawn again after a save carries the new version (else its next save would
    be refused as stale)."""
    form.data = form.data.copy()
    form.data[form.add_prefix(VERSION_FIELD)] = version


def _section(slug: str | None):
    """The section of the address (None: the task list); an unknown one is a 404."""
    if not slug:
        return None
    section = sections.section_get(slug)
    if section is None:
        raise Http404
    return section


class ProposalEditView(LoginRequiredMixin, View):
    """The draft: every POST saves what is well-formed; a shape error or a stale version
    (refused) re-renders the typed values."""

    template_name = "proposals/proposal_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.section = _section(kwargs.get("section"))
        proposal = selectors.proposal_get(user=request.user, pk=kwargs["pk"])
        ensure(request.user, "proposal.edit", proposal)  # a read grant never gives a write
        if proposal.status not in workflow.EDITABLE_STATES:
            messages.info(request, _("Cette proposition ne se modifie pas."))
            return redirect("proposals:proposal-detail", pk=proposal.pk)
        self.proposal = proposal
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk, section=None):
        proposal, check = self.proposal, request.GET.get("verifier")
        return _edit_page(request, proposal, ProposalForm(proposal=proposal),
                          DocumentForm(stage=proposal.stage), self.section,
                          submission_errors(proposal) if check else {})

    def post(self, request, pk, section=None):
        proposal, form = self.proposal, ProposalForm(request.POST, proposal=self.proposal)
        valid, autosave = form.is_valid(), request.headers.get(AUTOSAVE_HEADER) == "1"
        try:
            saved = services.proposal_save_draft(proposal=proposal, actor=request.user,
                                                 data=form.draft_data(),
                                                 version=request.POST.get(VERSION_FIELD))
        except StaleDraft as stale:
            return _stale(request, proposal, form, stale, self.section, autosave)
        if autosave:
            return JsonResponse({"message": saved_message(saved), "version": version_of(saved),
                                 "complete": valid})
        _with_version(form, version_of(saved))
        proposal = selectors.proposal_get(user=request.user, pk=pk)
        document_form, uploaded = _upload_document(request, proposal)
        return _after_draft_saved(self, request, proposal, form, document_form, valid and uploaded)


def _stale(request, proposal, form, stale: StaleDraft, section, autosave: bool):
    """Nothing written: the message, and the page with what was typed (its version now the
    newer one: « Enregistrer » then replaces it, knowingly)."""
    message = stale.messages[0]
    if autosave:
        return JsonResponse({"conflict": True, "message": message, "version": stale.version},
                            status=409)
    messages.error(request, message)
    _with_version(form, stale.version)
    return _edit_page(request, proposal, form, DocumentForm(stage=proposal.stage), section
                      or None, status=409)
