"""Amendments after ratification: after the exchange with the team, the table amends its
proposal and the coming year's action plan (and, once a year, adjusts the initiative). Each
amendment is frozen as a new version of the proposal at submission (proposals.versions), is
reviewed by the advisor and accepted by coordination; amounts beyond the allocation go back
to the committee (an agenda item of the comité de gestion, which approves or refuses it).
Its status changes only through reporting/services/amendments.py."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from proposals.models import NeighbourhoodOwnedQuerySet

from .allocations import Allocation


class Amendment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposée")
        REVIEWED = "reviewed", _("Revue par le·la conseiller·ère")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
        ACCEPTED = "accepted", _("Acceptée")
        REFERRED = "referred", _("Renvoyée au comité")
        REFUSED = "refused", _("Refusée par le comité")
        WITHDRAWN = "withdrawn", _("Retirée")

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT,
                                   related_name="amendments")
    neighbourhood = models.ForeignKey("neighbourhoods.Neighbourhood", on_delete=models.PROTECT,
                                      related_name="amendments")
    number = models.PositiveSmallIntegerField(_("numéro"))
    status = models.CharField(_("état"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    year_number = models.PositiveSmallIntegerField(_("année visée par le plan d'action"))
    reason = models.TextField(_("ce qui change, à la suite de l'échange avec l'équipe"),
                              blank=True)
    action_plan = models.TextField(_("plan d'action de l'année à venir"), blank=True)
    adjusts_initiative = models.BooleanField(_("ajustement annuel de l'initiative"),
                                             default=False)
    # The amended proposal: {field: value} over the version in force (texts, "years",
    # "initiative_title", "desired_change").
    changes = models.JSONField(default=dict, blank=True)
    # The allocation's yearly amounts when the amendment started ({"1": "85000.00"}).
    allocated = models.JSONField(default=dict, blank=True)
    base_version = models.ForeignKey("proposals.ProposalVersion", on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True)
    version = models.OneToOneField("proposals.ProposalVersion", on_delete=models.PROTECT,
                                   related_name="amendment", null=True, blank=True)
    # The comité de gestion's agenda item that decides a referred amendment (its vote, its
    # result and its reasons).
    agenda_item = models.OneToOneField("governance.AgendaItem", on_delete=models.PROTECT,
                                       related_name="amendment", null=True, blank=True,
                                       verbose_name=_("point à l'ordre du jour du comité"))
    review_note = models.TextField(_("avis du·de la conseiller·ère"), blank=True)
    changes_requested_note = models.TextField(_("modifications demandées"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)

    objects = NeighbourhoodOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("modification après entérinement")
        verbose_name_plural = _("modifications après entérinement")
        ordering = ["allocation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "number"],
                                    name="one_amendment_number"),
        ]

    def __str__(self) -> str:
        return _("Modification n° %(n)s — %(p)s") % {"n": self.number,
                                                      "p": self.allocation.proposal}
