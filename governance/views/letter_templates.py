"""« Modèles de lettres »: coordination edits the letters' texts (with their placeholders
beside the editor and a PDF preview against a recent file, before saving), the letterhead and
each program's signatory."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pic.access import ActionRequiredMixin
from pic.forms import apply_validation_error
from proposals.models import Program

from .. import services
from ..letter_forms import LetterheadForm, LetterTemplateForm, SignatoryForm
from ..letter_templates import (
    BLOCKS,
    PLACEHOLDERS,
    preview_proposals,
    template_rows,
    template_text,
)
from ..models import DecisionLetter, Letterhead, LetterSignatory, LetterTemplate
from .base import ServicePostView

LIST_URL = "governance:letter-template-list"


def _programs():
    return Program.objects.order_by("-starts_on", "pk")


def _target(kwargs) -> tuple[Program, str, str]:
    """The program, kind and language a template's URL names (else 404)."""
    kind, language = kwargs["kind"], kwargs["language"]
    if kind not in DecisionLetter.Kind.values or language not in LetterTemplate.Language.values:
        raise Http404
    return get_object_or_404(_programs(), pk=kwargs["program"]), kind, language


def _inline_pdf(pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="apercu-lettre.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class LetterTemplateListView(ActionRequiredMixin, View):
    action = "letter.template"

    def get(self, request):
        programs = [{"program": p, "rows": template_rows(p),
                     "signatory": LetterSignatory.objects.filter(program=p).first()}
                    for p in _programs()]
        return render(request, "governance/letter_template_list.html", {
            "programs": programs, "letterhead": Letterhead.objects.order_by("pk").first()})


class _FormPage(ActionRequiredMixin, View):
    """GET the form, POST it to one service; a refusal shows the errors with what was typed."""

    action = "letter.template"
    form_class = None
    template_name = ""
    success_message = ""

    def get(self, request, **kwargs):
        return self.page(self.form_class(**self.form_kwargs(initial=self.initial())))

    def post(self, request, **kwargs):
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs())
        if form.is_valid():
            try:
                response = self.save(form)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                if response is not None:
                    return response
                messages.success(request, str(self.success_message))
                return redirect(LIST_URL)
        return self.page(form, status=400)

    def form_kwargs(self, **kwargs):
        return kwargs

    def page(self, form, status=200):
        return render(self.request, self.template_name,
                      {"form": form, **self.context()}, status=status)

    def context(self) -> dict:
        return {}


class LetterTemplateEditView(_FormPage):
    form_class = LetterTemplateForm
    template_name = "governance/letter_template_form.html"
    success_message = gettext_lazy("Modèle de lettre enregistré : les prochaines lettres de "
                                   "ce type le suivent.")

    def target(self):
        return _target(self.kwargs)

    def initial(self):
        subject, body = template_text(*self.target())
        proposals = self.form_kwargs()["proposals"]
        return {"subject": subject, "body": body, "proposal": proposals.first()}

    def form_kwargs(self, **kwargs):
        program, kind, _language = self.target()
        return {"proposals": preview_proposals(self.request.user, program, kind), **kwargs}

    def context(self):
        program, kind, language = self.target()
        return {"program": program, "kind": kind, "language": language,
                "kind_label": DecisionLetter.Kind(kind).label,
                "language_label": LetterTemplate.Language(language).label,
                "placeholders": [(n, label, n in BLOCKS) for n, label in PLACEHOLDERS.items()]}

    def save(self, form):
        program, kind, language = self.target()
        text = {"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]}
        if "preview" not in self.request.POST:
            services.letter_template_save(program=program, kind=kind, language=language,
                                          actor=self.request.user, **text)
            return None
        proposal = form.cleaned_data["proposal"]
        if proposal is None:
            raise ValidationError({"proposal": _("Choisissez un dossier pour l'aperçu.")})
        return _inline_pdf(services.letter_template_preview(
            proposal=proposal, kind=kind, language=language, actor=self.request.user, **text))


class LetterTemplateResetView(ActionRequiredMixin, ServicePostView):
    action = "letter.template"
    confirm = True
    success_message = gettext_lazy("Le texte d'origine est rétabli; le texte remplacé reste "
                                   "au journal d'audit.")

    def get_object(self):
        return _target(self.kwargs)

    def confirmation(self, target):
        program, kind, language = target
        return {"title": _("Rétablir le texte d'origine"),
                "subject": f"{program} — {DecisionLetter.Kind(kind).label} ({language})",
                "consequences": [_("Le texte enregistré est remplacé par celui livré avec "
                                   "l'application pour les prochaines lettres.")],
                "button": _("Oui, rétablir le texte d'origine")}

    def perform(self, target, _form):
        program, kind, language = target
        services.letter_template_reset(program=program, kind=kind, language=language,
                                       actor=self.request.user)

    def get_success_url(self, target):
        return reverse(LIST_URL)


class LetterheadEditView(_FormPage):
    form_class = LetterheadForm
    template_name = "governance/letter_setting_form.html"
    success_message = gettext_lazy("En-tête des lettres enregistré.")

    def initial(self):
        stored = Letterhead.objects.order_by("pk").first()
        return {"name": stored.name, "address": stored.address} if stored else {}

    def context(self):
        stored = Letterhead.objects.order_by("pk").first()
        return {"heading": _("En-tête des lettres"), "has_image": bool(stored and stored.logo)}

    def save(self, form):
        data = form.cleaned_data
        services.letterhead_save(name=data["name"], address=data["address"],
                                 logo=data["logo"] or None, remove_logo=data["remove_logo"],
                                 actor=self.request.user)


class SignatoryEditView(_FormPage):
    form_class = SignatoryForm
    template_name = "governance/letter_setting_form.html"
    success_message = gettext_lazy("Signataire des lettres enregistré.")

    def program(self):
        return get_object_or_404(_programs(), pk=self.kwargs["program"])

    def initial(self):
        stored = LetterSignatory.objects.filter(program=self.program()).first()
        return {"name": stored.name, "title": stored.title} if stored else {}

    def context(self):
        program = self.program()
        stored = LetterSignatory.objects.filter(program=program).first()
        return {"heading": _("Signataire des lettres"), "program": program,
                "has_image": bool(stored and stored.signature)}

    def save(self, form):
        data = form.cleaned_data
        services.signatory_save(program=self.program(), name=data["name"],
                                title=data["title"], signature=data["signature"] or None,
                                remove_signature=data["remove_signature"],
                                actor=self.request.user)
