"""The numbered, frozen snapshots of a proposal (proposals/versions.py takes and compares
them)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .files import Proposal, ProposalOwnedQuerySet


class ProposalVersion(models.Model):
    """A numbered, frozen snapshot of the proposal, taken at each (re)submission."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    # What this version is, when it is not a (re)submission: « Modification n° 2 ».
    label = models.CharField(_("nature"), max_length=120, blank=True)
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ProposalOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return _("Version %(n)s") % {"n": self.number}
