"""The program's envelopes, allocations, their years and disbursements."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.choices import ChoiceLabelsMixin
from proposals.models import NeighbourhoodOwnedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2}


class ReportingConfig(models.Model):
    """The follow-up numbers of a program, editable by coordination staff."""

    program = models.OneToOneField("proposals.Program", on_delete=models.CASCADE,
                                   related_name="reporting_config")
    annual_report_delay_days = models.PositiveSmallIntegerField(
        _("délai de remise du rapport annuel (jours)"), default=60,
        help_text=_("Jours après la fin de chaque année de l'allocation."))
    final_report_delay_days = models.PositiveSmallIntegerField(
        _("délai de remise du rapport final (jours)"), default=90,
        help_text=_("Jours après la fin de l'étape."))
    checkin_months = models.PositiveSmallIntegerField(
        _("bilan de mi-année (mois après le début de l'année)"), default=6)
    instalment_months = models.CharField(
        _("calendrier des versements (mois après le début de chaque année)"), max_length=60,
        default="0,6",
        help_text=_("Un nombre par versement, séparés par des virgules : « 0,6 » fait deux "
                    "versements par année, au début et six mois plus tard."))
    variance_threshold_percent = models.PositiveSmallIntegerField(
        _("écart à expliquer dans l'état financier (%)"), default=10,
        help_text=_("Une ligne dont le réel s'écarte du budget de plus de ce pourcentage, en "
                    "plus ou en moins, demande une explication."))

    class Meta:
        verbose_name = _("paramètres du suivi")
        verbose_name_plural = _("paramètres du suivi")

    def __str__(self) -> str:
        return str(self.program)


class ProgramEnvelope(models.Model):
    """The money available for a program in one calendar year. An allocation year counts
    against the envelope of the calendar year in which it starts."""

    program = models.ForeignKey("proposals.Program", on_delete=models.CASCADE,
                                related_name="envelopes")
    year = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("enveloppe ($)"), **MONEY)

    class Meta:
        verbose_name = _("enveloppe annuelle")
        verbose_name_plural = _("enveloppes annuelles")
        ordering = ["program", "year"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="one_envelope_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="envelope_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.year}: {self.amount}"


class Allocation(ChoiceLabelsMixin, models.Model):
    """The money decided for one ratified proposal: one allocation per proposal."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        CLOSED = "closed", _("Étape terminée")

    proposal = models.OneToOneField("proposals.Proposal", on_delete=models.PROTECT,
                                    related_name="allocation")
    neighbourhood = models.ForeignKey("neighbourhoods.Neighbourhood", on_delete=models.PROTECT,
                                      related_name="allocations")
    initiative = models.ForeignKey("proposals.Initiative", on_delete=models.PROTECT,
                                   related_name="allocations")
    stage = models.ForeignKey("proposals.Stage", on_delete=models.PROTECT,
                              related_name="allocations")
    ratified_on = models.DateField(_("entérinée le"))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin de l'étape"))
    capacity_building_amount = models.DecimalField(
        _("renforcement des compétences ($)"), default=Decimal("0"), **MONEY)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE)
    closed_on = models.DateField(_("étape close le"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NeighbourhoodOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["-starts_on", "id"], name="allocation_starts_on_idx"),
                   # a neighbourhood's latest allocation in progress (the advisor's dashboard)
                   models.Index(fields=["neighbourhood", "-starts_on"],
                                name="allocation_active_idx", condition=Q(status="active"))]
        constraints = [
            models.UniqueConstraint(fields=["proposal"], name="one_allocation_per_proposal"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")),
                                   name="allocation_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity_building_amount__gte=0),
                                   name="allocation_capacity_not_negative"),
        ]

    def __str__(self) -> str:
        return _("Allocation — %(proposal)s") % {"proposal": self.proposal}


class AllocationOwnedQuerySet(NeighbourhoodOwnedQuerySet):
    neighbourhood_path = "allocation__neighbourhood"


class AllocationYear(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="years")
    year_number = models.PositiveSmallIntegerField(_("année"))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    amount = models.DecimalField(_("montant ($)"), **MONEY)

    objects = AllocationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("année d'allocation")
        verbose_name_plural = _("années d'allocation")
        ordering = ["allocation", "year_number"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "year_number"],
                                    name="one_allocation_year_number"),
            models.CheckConstraint(condition=Q(amount__gte=0),
                                   name="allocation_year_not_negative"),
        ]

    def __str__(self) -> str:
        return _("Année %(n)s (%(start)s – %(end)s)") % {
            "n": self.year_number, "start": self.starts_on, "end": self.ends_on}


class YearOwnedQuerySet(NeighbourhoodOwnedQuerySet):
    neighbourhood_path = "allocation_year__allocation__neighbourhood"


class Disbursement(models.Model):
    """A payment recorded by coordination staff against one year of an allocation."""

    allocation_year = models.ForeignKey(AllocationYear, on_delete=models.PROTECT,
                                        related_name="disbursements")
    amount = models.DecimalField(_("montant ($)"), **MONEY)
    paid_on = models.DateField(_("versé le"))
    override_reason = models.TextField(
        _("motif de dérogation"), blank=True,
        help_text=_("Requis si le rapport annuel de l'année précédente n'est pas accepté."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = YearOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        ordering = ["allocation_year", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_year}: {self.amount} ({self.paid_on})"


class FunderContribution(models.Model):
    """What one partner gives to a program's envelope in one calendar year, in cash or in
    kind. A year's envelope is the sum of its contributions (services.contribution_set)."""

    class Kind(models.TextChoices):
        CASH = "cash", _("En argent")
        IN_KIND = "in_kind", _("En nature")

    program = models.ForeignKey("proposals.Program", on_delete=models.CASCADE,
                                related_name="contributions")
    year = models.PositiveSmallIntegerField(_("année"))
    funder = models.ForeignKey("neighbourhoods.Organisation", verbose_name=_("partenaire"),
                               on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices,
                            default=Kind.CASH)
    amount = models.DecimalField(_("montant ($)"), **MONEY)
    note = models.CharField(_("précision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("contribution d'un partenaire")
        verbose_name_plural = _("contributions des partenaires")
        ordering = ["program", "year", "-amount", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "year", "funder", "kind"],
                                    name="one_contribution_per_funder_year_kind"),
            models.CheckConstraint(condition=Q(amount__gte=0),
                                   name="contribution_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.funder} {self.year}: {self.amount} ({self.get_kind_display()})"


class AllocationBudgetLine(models.Model):
    """The ratified budget of one allocation year, by category (from the proposal's budget,
    brought to the decided amount); the annual report's financial statement starts from it."""

    allocation_year = models.ForeignKey(AllocationYear, on_delete=models.CASCADE,
                                        related_name="budget_lines")
    category = models.ForeignKey("proposals.BudgetCategory", verbose_name=_("catégorie"),
                                 on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("montant ($)"), **MONEY)

    objects = YearOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ligne du budget entériné")
        verbose_name_plural = _("lignes du budget entériné")
        ordering = ["allocation_year", "category__position", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["allocation_year", "category"],
                                    name="one_ratified_line_per_category"),
            models.CheckConstraint(condition=Q(amount__gte=0),
                                   name="ratified_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_year} — {self.category}: {self.amount}"


class Instalment(models.Model):
    """One planned payment of an allocation year: planned → released (its condition holds)
    → paid (its disbursement recorded). Only reporting/services/payments.py changes it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévu")
        RELEASED = "released", _("Libéré")
        PAID = "paid", _("Versé")

    allocation_year = models.ForeignKey(AllocationYear, on_delete=models.CASCADE,
                                        related_name="instalments")
    number = models.PositiveSmallIntegerField(_("versement n°"))
    planned_on = models.DateField(_("prévu le"))
    amount = models.DecimalField(_("montant ($)"), **MONEY)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED, db_index=True)
    released_on = models.DateField(_("libéré le"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    override_reason = models.TextField(_("motif de dérogation"), blank=True)
    disbursement = models.OneToOneField(Disbursement, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="instalment")
    updated_at = models.DateTimeField(auto_now=True)

    objects = YearOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("versement prévu")
        verbose_name_plural = _("calendrier des versements")
        ordering = ["allocation_year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["allocation_year", "number"],
                                    name="one_instalment_number_per_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_positive"),
        ]

    def __str__(self) -> str:
        return _("Versement %(n)s — %(year)s") % {"n": self.number, "year": self.allocation_year}
