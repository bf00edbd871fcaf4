"""The proposal list's filters (pic/lists.py): window, stage, status, neighbourhood, advisor,
year of the window's deadline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.filters import NeighbourhoodFilterForm
from pic.lists import year_field

from .models import Proposal, Stage, Window


def stage_choices() -> list:
    numbers = Stage.objects.order_by("number").values_list("number", flat=True).distinct()
    return [("", _("Toutes")), *((n, n) for n in numbers)]


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ProposalFilterForm(NeighbourhoodFilterForm):
    lookups = {"window": "window", "stage": "stage__number", "status": "status",
               "year": "window__deadline__year"}

    window = WindowChoiceField(label=_("Période de dépôt"), required=False,
                               queryset=Window.objects.order_by("deadline"),
                               empty_label=_("Toutes"))
    stage = forms.TypedChoiceField(label=_("Étape"), required=False, coerce=int,
                                   empty_value=None)
    status = forms.ChoiceField(label=_("État"), required=False,
                               choices=[("", _("Tous")), *Proposal.Status.choices])
    year = year_field(_("Année"))

    field_order = ["window", "stage", "status", "neighbourhood", "advisor", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stage_choices()
