"""The forms of the « Modèles de lettres » pages: their shape only (the services check the
placeholders and the images)."""

from django import forms
from django.utils.translation import gettext_lazy as _

IMAGE_ACCEPT = {"accept": "image/png,image/jpeg"}


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=300)
    body = forms.CharField(
        label=_("Texte de la lettre"), max_length=20000,
        widget=forms.Textarea(attrs={"rows": 20}), strip=False,
        help_text=_("Une ligne vide commence un paragraphe. Les champs de fusion s'écrivent "
                    "entre doubles accolades, comme {{ quartier }}; leur liste est à côté."))
    proposal = forms.ModelChoiceField(
        label=_("Dossier pour l'aperçu"), queryset=None, required=False,
        help_text=_("L'aperçu remplit les champs de fusion avec ce dossier récent."))

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["proposal"].label_from_instance = (
            lambda p: f"{p.neighbourhood.name} — {p.title} ({p.get_status_display()})")


class LetterheadForm(forms.Form):
    name = forms.CharField(label=_("Organisme expéditeur"), max_length=160, required=False,
                           help_text=_("Vide : le nom des paramètres du site."))
    address = forms.CharField(label=_("Adresse"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Une ligne par ligne d'adresse. Vide : l'adresse "
                                          "des paramètres du site."))
    logo = forms.FileField(label=_("Logo (PNG ou JPEG, 512 Ko au plus)"), required=False,
                           widget=forms.FileInput(attrs=IMAGE_ACCEPT))
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Nom de la personne signataire"), max_length=120)
    title = forms.CharField(label=_("Titre"), max_length=160, required=False)
    signature = forms.FileField(
        label=_("Image de la signature (PNG ou JPEG, 512 Ko au plus)"), required=False,
        widget=forms.FileInput(attrs=IMAGE_ACCEPT))
    remove_signature = forms.BooleanField(label=_("Retirer l'image de la signature"),
                                          required=False)
