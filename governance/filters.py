"""The governance lists' filters (pic/lists.py): meetings and decision letters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from neighbourhoods.filters import NeighbourhoodFilterForm
from pic.lists import ListFilterForm, year_field

from .models import Committee, DecisionLetter


class CommitteeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class MeetingFilterForm(ListFilterForm):
    lookups = {"committee": "committee", "year": "held_on__year"}

    committee = CommitteeChoiceField(label=_("Comité"), required=False,
                                     queryset=Committee.objects.order_by("kind"),
                                     empty_label=_("Tous"))
    year = year_field(_("Année"))


class LetterFilterForm(NeighbourhoodFilterForm):
    neighbourhood_path = "proposal__neighbourhood"
    lookups = {"kind": "kind", "year": "created_at__year"}

    kind = forms.ChoiceField(label=_("Lettre"), required=False,
                             choices=[("", _("Toutes")), *DecisionLetter.Kind.choices])
    year = year_field(_("Année"))
