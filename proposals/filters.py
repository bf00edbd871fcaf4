"""The proposal list's filters (pic/lists.py): window, stage, status, neighbourhood, advisor,
year of the window's deadline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.filters import NeighbourhoodFilterForm

from .models import Proposal, Stage, Window


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
    year = forms.IntegerField(label=_("Année"), required=False, min_value=2000,
                              max_value=2100, widget=forms.NumberInput(attrs={"size": 6}))

    field_order = ["window", "stage", "status", "neighbourhood", "advisor", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = Stage.objects.order_by("number").values_list("number", flat=True).distinct()
        self.fields["stage"].choices = [("", _("Toutes")), *((n, n) for n in numbers)]
