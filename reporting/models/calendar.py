"""A person's private iCalendar feed: the address holds a secret token; only its SHA-256 is
kept, so the address is shown once, when it is made (reporting/services/calendar.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="calendar_feed")
    token_sha256 = models.CharField(_("empreinte du jeton"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        verbose_name = _("agenda iCalendar")
        verbose_name_plural = _("agendas iCalendar")

    def __str__(self) -> str:
        return str(self.user)
