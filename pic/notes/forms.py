from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Note

BODY_HELP = _("Texte simple : les retours à la ligne et les liens sont conservés. Mentionnez "
              "une personne qui peut lire le dossier avec @ suivi de son identifiant ou de "
              "son nom (liste ci-dessous).")


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Texte de la note"), help_text=BODY_HELP, max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(label=_("Visibilité"), choices=Note.Visibility.choices,
                                   widget=forms.RadioSelect)

    def __init__(self, *args, internal_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not internal_allowed:
            # The table writes shared notes only: the choice is not offered.
            self.fields["visibility"].choices = [(Note.Visibility.SHARED,
                                                  Note.Visibility.SHARED.label)]
            self.fields["visibility"].widget = forms.HiddenInput()


class NoteEditForm(forms.Form):
    body = forms.CharField(label=_("Texte de la note"), help_text=BODY_HELP, max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 4}))
