"""Progress on the proposal's questions, indicators and their reported values."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from proposals.models import NeighbourhoodOwnedQuerySet

from .reports import Report, ReportOwnedQuerySet


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
    # A catalogue entry (its values add up across neighbourhoods), or none: a free indicator.
    definition = models.ForeignKey(
        "proposals.IndicatorDefinition", verbose_name=_("indicateur du catalogue"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="indicators")
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
