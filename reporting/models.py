"""Follow-up after a decision: allocations and their years, disbursements, the program's
envelopes, mid-year check-ins, annual and final reports (with their financial statements and
indicators), and the reminders sent.

State changes go through the services in reporting/allocations.py, checkins.py, reports.py and
reminders.py; nothing here holds a business rule.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.storage import private_storage
from proposals.models import NeighbourhoodOwnedQuerySet, StoredDocument

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


class Allocation(models.Model):
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
        indexes = [models.Index(fields=["-starts_on", "id"], name="allocation_starts_on_idx")]
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


class CheckIn(models.Model):
    """The mid-year check-in of one allocation year, held and recorded by the advisor."""

    allocation_year = models.OneToOneField(AllocationYear, on_delete=models.CASCADE,
                                           related_name="checkin")
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
        indexes = [models.Index(fields=["due_on", "id"], name="checkin_due_on_idx")]

    def __str__(self) -> str:
        return _("Bilan de mi-année — %(year)s") % {"year": self.allocation_year}

    @property
    def is_done(self) -> bool:
        return self.held_on is not None

    def is_overdue(self, today=None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


class Report(models.Model):
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

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="reports")
    allocation_year = models.OneToOneField(
        AllocationYear, null=True, blank=True, on_delete=models.CASCADE, related_name="report")
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
    strategic_learnings = models.TextField(_("apprentissages stratégiques de l'étape"),
                                           blank=True)
    changes_requested_note = models.TextField(_("modifications demandées"), blank=True)
    submitted_at = models.DateTimeField(_("remis le"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepté le"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AllocationOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapports")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["due_on", "id"], name="report_due_on_idx")]
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


class ReportOwnedQuerySet(NeighbourhoodOwnedQuerySet):
    neighbourhood_path = "report__allocation__neighbourhood"


class FinancialLine(models.Model):
    """One line of a report's financial statement: budget against actual for a category."""

    class Category(models.TextChoices):
        SALARIES = "salaries", _("Salaires et honoraires")
        ACTIVITIES = "activities", _("Activités et mobilisation")
        CAPACITY = "capacity", _("Renforcement des compétences")
        EVALUATION = "evaluation", _("Évaluation")
        COMMUNICATION = "communication", _("Communications")
        ADMINISTRATION = "administration", _("Frais administratifs")
        OTHER = "other", _("Autres")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    budget = models.DecimalField(_("budget ($)"), default=Decimal("0"), **MONEY)
    actual = models.DecimalField(_("réel ($)"), default=Decimal("0"), **MONEY)

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
        return f"{self.get_category_display()}: {self.budget} / {self.actual}"

    @property
    def variance(self) -> Decimal:
        return self.actual - self.budget


class IndicatorQuerySet(NeighbourhoodOwnedQuerySet):
    neighbourhood_path = "question__proposal__neighbourhood"


class QuestionProgress(models.Model):
    """What a report says about one of the proposal's evaluation questions."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE,
                               related_name="question_progress")
    question = models.ForeignKey("proposals.EvaluationQuestion", on_delete=models.CASCADE,
                                 related_name="progress")
    data_collected = models.TextField(_("données recueillies"), blank=True)
    progress = models.TextField(_("progrès par rapport à la cible"), blank=True)
    learned = models.TextField(_("ce que nous avons appris"), blank=True)
    reinvested = models.TextField(_("comment nous le réinvestissons"), blank=True)

    objects = ReportOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("progrès sur une question d'évaluation")
        verbose_name_plural = _("progrès sur les questions d'évaluation")
        ordering = ["report", "question"]
        constraints = [
            models.UniqueConstraint(fields=["report", "question"],
                                    name="one_progress_per_question_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} — {self.question}"


class Indicator(models.Model):
    """A typed indicator of one of the proposal's evaluation questions."""

    question = models.ForeignKey("proposals.EvaluationQuestion", on_delete=models.CASCADE,
                                 related_name="indicators")
    name = models.CharField(_("indicateur"), max_length=200)
    unit = models.CharField(_("unité"), max_length=40)
    baseline = models.DecimalField(_("valeur de départ"), max_digits=14, decimal_places=2,
                                   null=True, blank=True)
    target = models.DecimalField(_("cible"), max_digits=14, decimal_places=2,
                                 null=True, blank=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["question", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class IndicatorValue(models.Model):
    """The actual value of an indicator reported in one report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    actual = models.DecimalField(_("valeur atteinte"), max_digits=14, decimal_places=2)
    comment = models.CharField(_("commentaire"), max_length=300, blank=True)

    objects = ReportOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateurs")
        ordering = ["report", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"],
                                    name="one_value_per_indicator_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.actual}"


class ReportDocument(StoredDocument):
    """A file attached to a report, stored privately, checked as proposals' documents are."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=private_storage, upload_to="reports/%Y/%m/", max_length=255)

    objects = ReportOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document de rapport")
        verbose_name_plural = _("documents de rapport")
        ordering = ["report", "uploaded_at", "pk"]


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
