"""Deadline extensions: coordination staff move one neighbourhood's deadline on one window."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Neighbourhood

from .files import NeighbourhoodOwnedQuerySet
from .program import Window


class WindowExtension(models.Model):
    """Coordination staff move one neighbourhood's deadline on one window."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="extensions")
    neighbourhood = models.ForeignKey(
        Neighbourhood, verbose_name=_("quartier"), on_delete=models.CASCADE,
        related_name="window_extensions",
    )
    new_deadline = models.DateField(_("nouvelle date limite"))
    reason = models.TextField(_("motif"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    objects = NeighbourhoodOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("prolongation")
        verbose_name_plural = _("prolongations")
        constraints = [
            models.UniqueConstraint(fields=["window", "neighbourhood"],
                                    name="one_extension_per_window_and_neighbourhood"),
        ]

    def __str__(self) -> str:
        return f"{self.window} — {self.neighbourhood}: {self.new_deadline}"
