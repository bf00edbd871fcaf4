from django import forms
from django.utils.translation import gettext_lazy as _

from pic.forms import DateField

from .models import ConfidentialityIncident
from .services import INCIDENT_FIELDS


class IncidentForm(forms.ModelForm):
    class Meta:
        model = ConfidentialityIncident
        fields = INCIDENT_FIELDS
        field_classes = {name: DateField for name in (
            "occurred_on", "occurred_until", "discovered_on", "cai_notified_on",
            "people_notified_on")}

    def clean(self):
        data = super().clean()
        occurred, until, discovered = (data.get("occurred_on"), data.get("occurred_until"),
                                       data.get("discovered_on"))
        if occurred and until and until < occurred:
            self.add_error("occurred_until", _("La fin de la période précède son début."))
        if occurred and discovered and discovered < occurred:
            self.add_error("discovered_on", _("La prise de connaissance précède l'incident."))
        for name in ("cai_notified_on", "people_notified_on"):
            if discovered and data.get(name) and data[name] < discovered:
                self.add_error(name, _("Un avis ne peut précéder la prise de connaissance."))
        return data
