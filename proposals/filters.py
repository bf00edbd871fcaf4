"""The proposal list's filters (pic/lists.py): window, stage, status, neighbourhood, advisor,
year of the window's deadline."""

from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.filters import NeighbourhoodFilterForm
from pic.lists import year_field

from .models import Proposal, Stage, Window
from .states import AWAITING_RATIFICATION

# the files submitted and not yet decided (the advisor home's « Dossiers ouverts » links here)
AWAITING_DECISION = "en-cours"


def stage_choices() -> list:
    numbers = Stage.objects.order_by("number").values_list("number", flat=True).distinct()
    return [("", _("Toutes")), *((n, n) for n in numbers)]


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ProposalFilterForm(NeighbourhoodFilterForm):
    lookups = {"window": "window", "stage": "stage__number", "year": "window__deadline__year"}

    window = WindowChoiceField(label=_("Période de dépôt"), required=False,
                               queryset=Window.objects.order_by("deadline"),
                               empty_label=_("Toutes"))
    stage = forms.TypedChoiceField(label=_("Étape"), required=False, coerce=int,
                                   empty_value=None)
    status = forms.ChoiceField(label=_("État"), required=False,
                               choices=[("", _("Tous")),
                                        (AWAITING_DECISION, _("En cours de décision")),
                                        *Proposal.Status.choices])
    year = year_field(_("Année"))

    field_order = ["window", "stage", "status", "neighbourhood", "advisor", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stage_choices()

    def filter_status(self, queryset, value):
        if value == AWAITING_DECISION:
            return queryset.filter(status__in=AWAITING_RATIFICATION)
        return queryset.filter(status=value)
