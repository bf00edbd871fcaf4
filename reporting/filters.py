"""The follow-up lists' filters (pic/lists.py): allocations, reports, check-ins, payments."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.filters import NeighbourhoodFilterForm
from pic.lists import year_field
from proposals.filters import stage_choices

from . import selectors
from .models import Allocation, Report


def _overdue_field():
    return forms.BooleanField(label=_("En retard seulement"), required=False)


class AllocationFilterForm(NeighbourhoodFilterForm):
    lookups = {"stage": "stage__number", "status": "status"}

    stage = forms.TypedChoiceField(label=_("Étape"), required=False, coerce=int,
                                   empty_value=None)
    status = forms.ChoiceField(label=_("État"), required=False,
                               choices=[("", _("Tous")), *Allocation.Status.choices])
    year = year_field(_("Année (en cours)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stage_choices()

    def filter_year(self, queryset: QuerySet, value: int) -> QuerySet:
        """The allocations running during that calendar year."""
        return queryset.filter(starts_on__year__lte=value, ends_on__year__gte=value)


class ReportFilterForm(NeighbourhoodFilterForm):
    neighbourhood_path = "allocation__neighbourhood"
    lookups = {"kind": "kind", "status": "status", "year": "due_on__year"}

    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("Tous")), *Report.Kind.choices])
    status = forms.ChoiceField(label=_("État"), required=False,
                               choices=[("", _("Tous")), *Report.Status.choices])
    year = year_field(_("Année de l'échéance"))
    overdue = _overdue_field()

    def filter_overdue(self, queryset: QuerySet, value: bool) -> QuerySet:
        late = selectors.overdue_reports(user=self.user, today=timezone.localdate())
        return queryset.filter(pk__in=late.values("pk"))


class CheckInFilterForm(NeighbourhoodFilterForm):
    neighbourhood_path = "allocation_year__allocation__neighbourhood"
    lookups = {"year": "due_on__year"}

    held = forms.ChoiceField(label=_("État"), required=False, choices=[
        ("", _("Tous")), ("todo", _("À tenir")), ("done", _("Tenu"))])
    year = year_field(_("Année de l'échéance"))
    overdue = _overdue_field()

    def filter_held(self, queryset: QuerySet, value: str) -> QuerySet:
        return queryset.filter(held_on__isnull=value == "todo")

    def filter_overdue(self, queryset: QuerySet, value: bool) -> QuerySet:
        late = selectors.overdue_checkins(user=self.user, today=timezone.localdate())
        return queryset.filter(pk__in=late.values("pk"))


class DisbursementFilterForm(NeighbourhoodFilterForm):
    neighbourhood_path = "allocation_year__allocation__neighbourhood"
    lookups = {"year": "paid_on__year"}

    year = year_field(_("Année du versement"))
