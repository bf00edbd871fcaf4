"""The program's configuration, for coordination staff."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from pic.access import ActionRequiredMixin, can
from pic.formatting import format_date
from pic.forms import apply_validation_error

from .. import selectors, services
from ..forms import (
    BudgetCategoryForm,
    ExternalPartnerForm,
    IndicatorDefinitionForm,
    PrerequisiteItemForm,
    ProgramForm,
    StageForm,
    WindowExtensionForm,
    WindowForm,
)
from ..models import (
    BudgetCategory,
    ExternalPartner,
    IndicatorDefinition,
    PrerequisiteItem,
    Program,
    Stage,
    Window,
)

# --- The program (coordination staff) --------------------------------------------------------


class ProgramView(ActionRequiredMixin, TemplateView):
    action = "program.edit"
    template_name = "proposals/program.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(programs=selectors.program_list(), **kwargs)


def _config_objects(view, kwargs):
    """(the piece being changed, the parent a new piece goes under): one of them, or neither."""
    if "pk" in kwargs:
        return get_object_or_404(view.model, pk=kwargs["pk"]), None
    if view.parent_model is not None:
        return None, get_object_or_404(view.parent_model, pk=kwargs["parent"])
    return None, None


class ProgramConfigView(ActionRequiredMixin, FormView):
    """Create or change one piece of the program (program, stage, prerequisite, window)."""

    action = "program.edit"

    template_name = "proposals/program_form.html"
    model = None
    parent_model = None
    parent_field = ""
    title = ""

    def dispatch(self, request, *args, **kwargs):
        self.instance, self.parent = None, None
        if can(request.user, self.action):  # else super() answers: login or 403
            self.instance, self.parent = _config_objects(self, kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.instance
        if self.form_class is WindowForm:
            kwargs["program"] = self.instance.program if self.instance else self.parent
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, instance=self.instance, **kwargs)

    def form_valid(self, form):
        instance = form.save(commit=False)
        if self.parent is not None:
            setattr(instance, self.parent_field, self.parent)
        m2m = {"stages": form.cleaned_data["stages"]} if "stages" in form.cleaned_data else None
        try:
            services.program_config_save(instance=instance, actor=self.request.user, m2m=m2m)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Enregistré."))
        return redirect("proposals:program")


class ProgramCreateView(ProgramConfigView):
    form_class, model = ProgramForm, Program
    title = gettext_lazy("Nouveau programme")


class ProgramUpdateView(ProgramCreateView):
    title = gettext_lazy("Modifier le programme")


class StageCreateView(ProgramConfigView):
    form_class, model, parent_model, parent_field = StageForm, Stage, Program, "program"
    title = gettext_lazy("Nouvelle étape")


class StageUpdateView(StageCreateView):
    title = gettext_lazy("Modifier l'étape")


class PrerequisiteCreateView(ProgramConfigView):
    form_class, model, parent_model, parent_field = (PrerequisiteItemForm, PrerequisiteItem,
                                                     Stage, "stage")
    title = gettext_lazy("Nouveau préalable")


class PrerequisiteUpdateView(PrerequisiteCreateView):
    title = gettext_lazy("Modifier le préalable")


class WindowCreateView(ProgramConfigView):
    form_class, model, parent_model, parent_field = WindowForm, Window, Program, "program"
    title = gettext_lazy("Nouvelle période de dépôt")


class WindowUpdateView(WindowCreateView):
    title = gettext_lazy("Modifier la période de dépôt")


class BudgetCategoryCreateView(ProgramConfigView):
    form_class, model, parent_model, parent_field = (BudgetCategoryForm, BudgetCategory,
                                                     Program, "program")
    title = gettext_lazy("Nouvelle catégorie budgétaire")


class BudgetCategoryUpdateView(BudgetCategoryCreateView):
    title = gettext_lazy("Modifier la catégorie budgétaire")


class ExternalPartnerCreateView(ProgramConfigView):
    form_class, model, parent_model, parent_field = (ExternalPartnerForm, ExternalPartner,
                                                     Program, "program")
    title = gettext_lazy("Nouveau partenaire externe")


class ExternalPartnerUpdateView(ExternalPartnerCreateView):
    title = gettext_lazy("Modifier le partenaire externe")


class IndicatorDefinitionCreateView(ProgramConfigView):
    form_class, model, parent_model, parent_field = (IndicatorDefinitionForm,
                                                     IndicatorDefinition, Program, "program")
    title = gettext_lazy("Nouvel indicateur du catalogue")


class IndicatorDefinitionUpdateView(IndicatorDefinitionCreateView):
    title = gettext_lazy("Modifier l'indicateur du catalogue")


class WindowExtensionCreateView(ActionRequiredMixin, FormView):
    action = "window.extend"
    template_name = "proposals/program_form.html"
    form_class = WindowExtensionForm

    def dispatch(self, request, *args, **kwargs):
        if not can(request.user, self.action):
            return super().dispatch(request, *args, **kwargs)  # login or 403
        self.window = get_object_or_404(Window, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Prolongation — %(w)s (date limite : %(d)s)")
            % {"w": self.window, "d": format_date(self.window.deadline)}, **kwargs)

    def form_valid(self, form):
        try:
            services.window_extension_grant(window=self.window, actor=self.request.user,
                                            **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Prolongation accordée."))
        return redirect("proposals:program")
