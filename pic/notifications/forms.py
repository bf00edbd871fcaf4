from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, Mode


class NotificationPreferenceForm(forms.Form):
    """One choice per kind: an email at once, in the daily digest, or none."""

    def __init__(self, *args, modes: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for code, kind in KINDS.items():
            self.fields[self.field_name(code)] = forms.ChoiceField(
                label=kind.label, choices=Mode.choices, initial=modes.get(code, kind.default),
                widget=forms.Select, required=False)

    @staticmethod
    def field_name(code: str) -> str:
        return "notify_" + code.replace(".", "__")

    def modes(self) -> dict[str, str]:
        """The choices sent (a kind left out of the form keeps its current choice)."""
        return {code: self.cleaned_data[self.field_name(code)] for code in KINDS
                if self.cleaned_data.get(self.field_name(code))}


PREFERENCES_HELP = _("Les notifications restent toujours dans votre boîte de réception; "
                     "choisissez pour chacune si elle vous est aussi envoyée par courriel.")
