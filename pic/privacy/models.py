"""Consents to optional communications and the register of confidentiality incidents.

Registered by the pic app (pic/models.py imports this module)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Law 25 regulation (Regulation respecting confidentiality incidents, s. 7): an incident's entry
# is kept at least five years after the date or period the enterprise became aware of it.
INCIDENT_MINIMUM_YEARS = 5


class Consent(models.Model):
    """A person's consent to one optional use of their information, for the version of the text
    they read; withdrawing keeps the record (when) and stops the use. No row: no consent."""

    class Purpose(models.TextChoices):
        NEWS = "news", _("Nouvelles et événements du PIC")
        SURVEYS = "surveys", _("Sondages sur le programme")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="consents")
    purpose = models.CharField(_("finalité"), max_length=20, choices=Purpose.choices)
    version = models.CharField(_("version du texte"), max_length=20)
    given_at = models.DateTimeField(_("donné le"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["user", "purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "purpose"],
                                    condition=Q(withdrawn_at__isnull=True),
                                    name="one_standing_consent_per_purpose"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_purpose_display()} (v{self.version})"

    @property
    def is_standing(self) -> bool:
        return self.withdrawn_at is None


class IncidentQuerySet(models.QuerySet):
    def delete(self):
        for incident in self:
            incident.ensure_deletable()
        return super().delete()


class ConfidentialityIncident(models.Model):
    """One entry of the register of confidentiality incidents (Law 25, s. 3.8; regulation s. 6):
    what the regulation requires, kept at least five years after its discovery."""

    summary = models.CharField(_("titre"), max_length=200)
    information_involved = models.TextField(
        _("renseignements personnels visés"),
        help_text=_("La description des renseignements visés par l'incident ou, si elle n'est "
                    "pas connue, la raison pour laquelle elle ne peut être donnée."))
    circumstances = models.TextField(
        _("circonstances de l'incident"),
        help_text=_("Ce qui s'est passé et, si elle est connue, la cause."))
    occurred_on = models.DateField(
        _("date de l'incident"),
        help_text=_("Si l'incident s'est étendu sur une période, la date de son début."))
    occurred_until = models.DateField(_("fin de la période"), null=True, blank=True)
    discovered_on = models.DateField(_("date de la prise de connaissance"))
    people_affected = models.PositiveIntegerField(
        _("nombre de personnes concernées"),
        help_text=_("Une approximation si le nombre exact n'est pas connu."))
    risk_assessment = models.TextField(
        _("évaluation du risque de préjudice sérieux"),
        help_text=_("La sensibilité des renseignements, les conséquences appréhendées de leur "
                    "utilisation et la probabilité qu'ils soient utilisés à des fins "
                    "préjudiciables."))
    serious_injury_risk = models.BooleanField(
        _("l'incident présente un risque de préjudice sérieux"), default=False)
    cai_notified_on = models.DateField(
        _("avis à la Commission d'accès à l'information le"), null=True, blank=True,
        help_text=_("Vide : la Commission n'a pas été avisée."))
    people_notified_on = models.DateField(
        _("avis aux personnes concernées le"), null=True, blank=True,
        help_text=_("Vide : les personnes n'ont pas été avisées."))
    measures_taken = models.TextField(
        _("mesures prises"),
        help_text=_("Les mesures prises pour diminuer les risques de préjudice et éviter que "
                    "de nouveaux incidents de même nature se produisent."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("incident de confidentialité")
        verbose_name_plural = _("registre des incidents de confidentialité")
        ordering = ["-discovered_on", "-pk"]

    def __str__(self) -> str:
        return self.summary

    @property
    def keep_until(self) -> datetime.date:
        discovered = self.discovered_on
        try:
            return discovered.replace(year=discovered.year + INCIDENT_MINIMUM_YEARS)
        except ValueError:  # 29 February
            return discovered.replace(year=discovered.year + INCIDENT_MINIMUM_YEARS, day=28)

    def ensure_deletable(self) -> None:
        if timezone.localdate() < self.keep_until:
            raise RuntimeError(
                f"A confidentiality incident is kept at least {INCIDENT_MINIMUM_YEARS} years "
                f"after its discovery (until {self.keep_until:%Y-%m-%d}).")

    def delete(self, *args, **kwargs):
        self.ensure_deletable()
        return super().delete(*args, **kwargs)
