"""The plan de quartier: a record of the neighbourhood (adopted or being adopted, its date,
its priorities, its document), from which each initiative picks its « changement
prioritaire »."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Neighbourhood
from pic.storage import private_storage

from .files import NeighbourhoodOwnedQuerySet, StoredDocument


class NeighbourhoodPlan(models.Model):
    class Status(models.TextChoices):
        ADOPTED = "adopted", _("Adopté")
        BEING_ADOPTED = "being_adopted", _("En cours d'adoption")

    neighbourhood = models.OneToOneField(Neighbourhood, verbose_name=_("quartier"),
                                         on_delete=models.CASCADE, related_name="plan")
    title = models.CharField(_("titre"), max_length=200)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices)
    adopted_on = models.DateField(
        _("date d'adoption"), null=True, blank=True,
        help_text=_("La date d'adoption, ou celle prévue si le plan est en cours d'adoption."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    objects = NeighbourhoodOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan de quartier")
        verbose_name_plural = _("plans de quartier")

    def __str__(self) -> str:
        return self.title


class PlanOwnedQuerySet(NeighbourhoodOwnedQuerySet):
    neighbourhood_path = "plan__neighbourhood"


class PlanPriority(models.Model):
    """One priority of the plan: an initiative's « changement prioritaire » is one of them."""

    plan = models.ForeignKey(NeighbourhoodPlan, on_delete=models.CASCADE,
                             related_name="priorities")
    position = models.PositiveSmallIntegerField(_("ordre"), default=1)
    label = models.CharField(_("priorité"), max_length=300)

    objects = PlanOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("priorité du plan de quartier")
        verbose_name_plural = _("priorités du plan de quartier")
        ordering = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class NeighbourhoodPlanDocument(StoredDocument):
    """The plan's document, checked on upload as every document is (proposals/documents.py)."""

    plan = models.ForeignKey(NeighbourhoodPlan, on_delete=models.CASCADE,
                             related_name="documents")
    file = models.FileField(storage=private_storage, upload_to="plans/%Y/%m/", max_length=255)

    objects = PlanOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document du plan de quartier")
        verbose_name_plural = _("documents du plan de quartier")
        ordering = ["plan", "-uploaded_at", "-pk"]
