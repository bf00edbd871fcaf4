"""Committees, the people seated on them, and which committee ratifies a program."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Organisation
from pic.i18n_fields import localized


class QuorumRule(models.TextChoices):
    MAJORITY = "majority", _("Majorité des membres admissibles présents")
    TWO_THIRDS = "two_thirds", _("Deux tiers des membres admissibles présents")


class Committee(models.Model):
    class Kind(models.TextChoices):
        PARTENAIRES = "partenaires", _("Comité des partenaires")
        GESTION = "gestion", _("Comité de gestion")
        GOUVERNANCE = "gouvernance", _("Comité de gouvernance")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120, blank=True)
    mandate = models.TextField(_("rôle"), blank=True)
    quorum_rule = models.CharField(
        _("règle de quorum"), max_length=20, choices=QuorumRule.choices,
        default=QuorumRule.MAJORITY,
    )

    class Meta:
        verbose_name = _("comité")
        verbose_name_plural = _("comités")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (English when filled in, else French)."""
        return localized(self, "name")


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


# --- Program settings held by governance ----------------------------------------------------


class ProgramGovernance(models.Model):
    """Which committee ratifies a program's decisions (default: the comité des partenaires)."""

    program = models.OneToOneField(
        "proposals.Program", on_delete=models.CASCADE, related_name="governance"
    )
    ratifying_committee = models.ForeignKey(
        Committee, verbose_name=_("instance qui entérine"), on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("gouvernance d'un programme")
        verbose_name_plural = _("gouvernance des programmes")

    def __str__(self) -> str:
        return f"{self.program} → {self.ratifying_committee}"
