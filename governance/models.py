"""Committees and the people seated on them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Organisation


class Committee(models.Model):
    class Kind(models.TextChoices):
        PARTENAIRES = "partenaires", _("Comité des partenaires")
        GESTION = "gestion", _("Comité de gestion")
        GOUVERNANCE = "gouvernance", _("Comité de gouvernance")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    mandate = models.TextField(_("rôle"), blank=True)

    class Meta:
        verbose_name = _("comité")
        verbose_name_plural = _("comités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMemberQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "CommitteeMemberQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on), started_on__lte=on)


class CommitteeMember(models.Model):
    """A person seated on a committee for an organisation."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_seats"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation représentée"), on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    is_chair = models.BooleanField(_("présidence"), default=False)
    started_on = models.DateField(_("depuis"), default=timezone.localdate)
    ended_on = models.DateField(_("jusqu'au"), null=True, blank=True)

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("membre de comité")
        verbose_name_plural = _("membres de comité")
        ordering = ["committee", "-is_chair", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"], condition=Q(ended_on__isnull=True),
                name="one_open_seat_per_person_per_committee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation}) — {self.committee}"
