"""The program's settings as staff edit them: the program, its stages, prerequisites, windows
and extensions, budget categories, external partners and the indicator catalogue."""

from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Neighbourhood
from pic.forms import DateField

from .models import (
    BudgetCategory,
    ExternalPartner,
    IndicatorDefinition,
    PrerequisiteItem,
    Program,
    Stage,
    Window,
)


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ["name", "slug", "starts_on", "ends_on", "letter_of_intent_deadline",
                  "ratification_weeks", "allow_planning_to_intensification",
                  "next_stage_requires"]
        field_classes = {name: DateField
                         for name in ("starts_on", "ends_on", "letter_of_intent_deadline")}


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["number", "name", "name_en", "description", "normal_duration_years",
                  "max_duration_years", "min_yearly_amount", "max_yearly_amount",
                  "capacity_building_amount"]


class PrerequisiteItemForm(forms.ModelForm):
    class Meta:
        model = PrerequisiteItem
        fields = ["position", "label", "label_en", "guidance", "guidance_en"]


class WindowForm(forms.ModelForm):
    class Meta:
        model = Window
        fields = ["name", "name_en", "opens_on", "deadline", "stages"]
        field_classes = {"opens_on": DateField, "deadline": DateField}
        widgets = {"stages": forms.CheckboxSelectMultiple}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stages"].queryset = program.stages.all()


class WindowExtensionForm(forms.Form):
    neighbourhood = forms.ModelChoiceField(label=_("Quartier"),
                                           queryset=Neighbourhood.objects.all())
    new_deadline = DateField(label=_("Nouvelle date limite"))
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 4}))


class BudgetCategoryForm(forms.ModelForm):
    class Meta:
        model = BudgetCategory
        fields = ["code", "name", "name_en", "position", "active"]


class ExternalPartnerForm(forms.ModelForm):
    class Meta:
        model = ExternalPartner
        fields = ["name", "name_en", "description", "url", "position", "active"]


class IndicatorDefinitionForm(forms.ModelForm):
    class Meta:
        model = IndicatorDefinition
        fields = ["name", "name_en", "unit", "kind", "aim", "active"]
