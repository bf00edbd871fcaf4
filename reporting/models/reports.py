"""Mid-year check-ins, annual and final reports, their financial lines and documents."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.choices import ChoiceLabelsMixin
from pic.storage import private_storage
from proposals.models import DefaultBudgetCategory, NeighbourhoodOwnedQuerySet, StoredDocument

from .allocations import (
    MONEY,
    Allocation,
    AllocationOwnedQuerySet,
    AllocationYear,
    YearOwnedQuerySet,
)


class CheckIn(models.Model):
    """The mid-year check-in of one allocation year, held and recorded by the advisor."""

    allocation_year = models.OneToOneField(AllocationYear, on_delete=models.CASCADE,
                                           related_name="checkin")
    # its allocation's (which never changes), kept here so one neighbourhood's check-ins are
    # read by an index without going through the years and the allocations; set on
    # creation by `save` (bulk inserts pass it)
    neighbourhood = models.ForeignKey("neighbourhoods.Neighbourhood", on_delete=models.PROTECT,
                                      related_name="+", editable=False, db_index=False)
    due_on = models.DateField(_("prévu le"))
    held_on = models.DateField(_("tenu le"), null=True, blank=True)
    participants = models.TextField(_("participant·e·s"), blank=True)
    summary = models.TextField(_("résumé"), blank=True)
    follow_ups = models.TextField(_("suites à donner"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    objects = YearOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilan de mi-année")
        verbose_name_plural = _("bilans de mi-année")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on", "id"], name="checkin_due_on_idx"),
                   # the overdue and soon-due check-ins (dashboard, reminders): those not held
                   models.Index(fields=["due_on", "id"], name="checkin_open_due_on_idx",
                                condition=Q(held_on__isnull=True)),
                   # a neighbourhood's (a person's) next and overdue check-ins, and its last
                   # one held (the to-do, the advisor's home)
                   models.Index(fields=["neighbourhood", "due_on", "id"],
                                name="checkin_neighbourhood_open_idx",
                                condition=Q(held_on__isnull=True)),
                   models.Index(fields=["neighbourhood", "-held_on"],
                                name="checkin_neighbourhood_held_idx",
                                condition=Q(held_on__isnull=False))]

    def __str__(self) -> str:
        return _("Bilan de mi-année — %(year)s") % {"year": self.allocation_year}

    def save(self, *args, **kwargs) -> None:
        if self.neighbourhood_id is None:
            self.neighbourhood_id = self.allocation_year.allocation.neighbourhood_id
        super().save(*args, **kwargs)

    @property
    def is_done(self) -> bool:
        return self.held_on is not None

    def is_overdue(self, today=None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


class ReportQuerySet(AllocationOwnedQuerySet):
    def to_hand_in(self) -> "ReportQuerySet":
        """Still the table's to hand in (a draft, or returned with comments), for an
        allocation in progress: what reminders, nudges, to-dos and overdue lists count."""
        return self.filter(status__in=self.model.TO_HAND_IN,
                           allocation__status=Allocation.Status.ACTIVE)


class Report(ChoiceLabelsMixin, models.Model):
    """An annual activity report (one per allocation year) or the final stage report. Its
    status changes only through reporting/reports.py."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Rapport annuel")
        FINAL = "final", _("Rapport final d'étape")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Remis")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
        RESUBMITTED = "resubmitted", _("Remis de nouveau")
        ACCEPTED = "accepted", _("Accepté")

    TO_HAND_IN = (Status.DRAFT, Status.CHANGES_REQUESTED)

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="reports")
    allocation_year = models.OneToOneField(
        AllocationYear, null=True, blank=True, on_delete=models.CASCADE, related_name="report")
    # its allocation's, kept as on CheckIn (read by the indexes below)
    neighbourhood = models.ForeignKey("neighbourhoods.Neighbourhood", on_delete=models.PROTECT,
                                      related_name="+", editable=False, db_index=False)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("à remettre le"))
    status = models.CharField(_("état"), max_length=20, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    activities = models.TextField(_("activités réalisées"), blank=True)
    evaluation_progress = models.TextField(
        _("progrès sur l'évaluation : vue d'ensemble"), blank=True)
    learnings = models.TextField(_("apprentissages"), blank=True)
    reinvestment = models.TextField(_("réinvestissement des apprentissages"), blank=True)
    edi = models.TextField(_("équité, diversité et inclusion (ÉDI)"), blank=True)
    edi_axes = models.JSONField(_("axes ÉDI travaillés"), default=list, blank=True)
    # What was done for each of the five conditions of collective impact.
    ci_engagement = models.TextField(_("mobilisation inclusive de la communauté"), blank=True)
    ci_aspirations = models.TextField(_("aspirations communes"), blank=True)
    ci_learning = models.TextField(_("apprentissage stratégique"), blank=True)
    ci_influence = models.TextField(_("stratégies de levier et d'influence"), blank=True)
    ci_support = models.TextField(_("structure de soutien rassembleuse"), blank=True)
    sustainability = models.TextField(_("pérennisation de l'initiative"), blank=True)
    capacity_building = models.TextField(_("renforcement des compétences réalisé"), blank=True)
    strategic_learnings = models.TextField(_("apprentissages stratégiques de l'étape"),
                                           blank=True)
    changes_requested_note = models.TextField(_("modifications demandées"), blank=True)
    submitted_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepté le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapports")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on", "id"], name="report_due_on_idx"),
                   # the overdue and soon-due reports (dashboard, reminders): those still open
                   models.Index(fields=["due_on", "id"], name="report_open_due_on_idx",
                                condition=Q(status__in=["draft", "changes_requested"])),
                   # a neighbourhood's (a person's) next and overdue reports
                   models.Index(fields=["neighbourhood", "due_on", "id"],
                                name="report_neighbourhood_open_idx",
                                condition=Q(status__in=["draft", "changes_requested"]))]
        constraints = [
            models.UniqueConstraint(fields=["allocation"], condition=Q(kind="final"),
                                    name="one_final_report_per_allocation"),
            models.CheckConstraint(
                condition=(Q(kind="annual", allocation_year__isnull=False)
                           | Q(kind="final", allocation_year__isnull=True)),
                name="annual_report_has_a_year"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.FINAL:
            return _("Rapport final — %(a)s") % {"a": self.allocation.proposal}
        return _("Rapport annuel %(n)s — %(a)s") % {
            "n": self.allocation_year.year_number, "a": self.allocation.proposal}

    def save(self, *args, **kwargs) -> None:
        if self.neighbourhood_id is None:
            self.neighbourhood_id = self.allocation.neighbourhood_id
        super().save(*args, **kwargs)


class ReportOwnedQuerySet(NeighbourhoodOwnedQuerySet):
    neighbourhood_path = "report__allocation__neighbourhood"


class FinancialLine(models.Model):
    """One line of a report's financial statement: budget against actual for a category."""

    # The categories a program starts with; a program's own list is proposals.BudgetCategory.
    Category = DefaultBudgetCategory

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("catégorie"), max_length=30,
                                help_text=_("Le code d'une catégorie budgétaire du programme."))
    budget = models.DecimalField(_("budget ($)"), default=Decimal("0"), **MONEY)
    actual = models.DecimalField(_("réel ($)"), default=Decimal("0"), **MONEY)
    explanation = models.TextField(_("explication de l'écart"), blank=True)

    objects = ReportOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ligne de l'état financier")
        verbose_name_plural = _("lignes de l'état financier")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "category"],
                                    name="one_line_per_category"),
            models.CheckConstraint(condition=Q(budget__gte=0, actual__gte=0),
                                   name="financial_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.budget} / {self.actual}"

    @property
    def variance(self) -> Decimal:
        return self.actual - self.budget


class ReportDocument(StoredDocument):
    """A file attached to a report, stored privately, checked as proposals' documents are."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=private_storage, upload_to="reports/%Y/%m/", max_length=255)

    objects = ReportOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document de rapport")
        verbose_name_plural = _("documents de rapport")
        ordering = ["report", "uploaded_at", "pk"]
