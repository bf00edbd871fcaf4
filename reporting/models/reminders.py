"""The reminders sent and each person's reminder preferences."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderSent(models.Model):
    """One reminder given to one person: recorded once (person, kind, object, due date), so a
    rerun never repeats it. `emailed_on` is the day of the digest that held it (one a day)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reminders")
    kind = models.CharField(_("type"), max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField(_("échéance"))
    sent_on = models.DateField(_("envoyé le"), db_index=True)
    emailed_on = models.DateField(_("envoyé par courriel le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "content_type", "object_id", "due_on"],
                                    name="one_reminder_per_person_kind_object_due_date"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind} {self.due_on}"


class ReminderPreference(models.Model):
    """The optional reminders a person wants by email (the others are always sent)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="reminder_preference")
    window_closing = models.BooleanField(
        _("périodes de dépôt qui se terminent (14, 7 et 1 jours avant)"), default=True)
    report_due_early = models.BooleanField(
        _("rapports à remettre dans 30 jours"), default=True)
    checkin_due = models.BooleanField(_("bilans de mi-année à tenir bientôt"), default=True)

    class Meta:
        verbose_name = _("préférences de rappel")
        verbose_name_plural = _("préférences de rappel")

    def __str__(self) -> str:
        return str(self.user)
