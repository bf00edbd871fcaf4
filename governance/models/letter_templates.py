"""What coordination edits of the decision letters in the app: their texts per program, kind
and language (governance.letter_templates renders them, sandboxed), and the letterhead."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.storage import private_storage

from .decisions import DecisionLetter


class LetterTemplate(models.Model):
    """A letter's subject and body with placeholders (`{{ quartier }}`); a program without one
    for a kind and language writes the shipped text (governance.letter_templates.DEFAULTS)."""

    class Language(models.TextChoices):
        FR = "fr", _("Français")
        EN = "en", _("Anglais")

    program = models.ForeignKey("proposals.Program", on_delete=models.CASCADE,
                                related_name="letter_templates")
    kind = models.CharField(_("lettre"), max_length=20, choices=DecisionLetter.Kind.choices)
    language = models.CharField(_("langue"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("objet"), max_length=300)
    body = models.TextField(_("texte de la lettre"))
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("modèle de lettre")
        verbose_name_plural = _("modèles de lettres")
        constraints = [
            models.UniqueConstraint(fields=["program", "kind", "language"],
                                    name="one_letter_template_per_kind_and_language"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) — {self.program}"


class Letterhead(models.Model):
    """The letterhead of every letter (one row): the sender, its address lines and its logo;
    the settings PIC_LETTERHEAD_* stand in for what is left empty."""

    name = models.CharField(_("organisme expéditeur"), max_length=160, blank=True)
    address = models.TextField(_("adresse (une ligne par ligne)"), blank=True)
    logo = models.FileField(_("logo (PNG ou JPEG)"), storage=private_storage,
                            upload_to="letterhead/", blank=True)
    updated_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("en-tête des lettres")
        verbose_name_plural = _("en-têtes des lettres")

    def __str__(self) -> str:
        return self.name or str(_("En-tête des lettres"))
