from django import forms
from django.utils.translation import gettext_lazy as _

from pic.documents import ACCEPTED_HELP

from .models import Note


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the list of what was chosen; the content is checked by the
    service, pic.documents.validate_upload)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []

BODY_HELP = _("Texte simple : les retours à la ligne et les liens sont conservés. Mentionnez "
              "une personne qui peut lire le dossier avec @ suivi de son identifiant ou de "
              "son nom (liste ci-dessous).")


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Texte de la note"), help_text=BODY_HELP, max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 4}))
    visibility = forms.ChoiceField(label=_("Visibilité"), choices=Note.Visibility.choices,
                                   widget=forms.RadioSelect)
    attachments = MultipleFileField(label=_("Pièces jointes"), required=False,
                                    help_text=ACCEPTED_HELP)

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
