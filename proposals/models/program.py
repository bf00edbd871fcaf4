"""The program as data, edited by coordination staff: stages, their prerequisites and the
submission windows."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pic.i18n_fields import localized

from ..guide import EvaluationAim


class Program(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant"), unique=True)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    letter_of_intent_deadline = models.DateField(
        _("date limite des lettres d'intention"), null=True, blank=True
    )
    ratification_weeks = models.PositiveSmallIntegerField(
        _("délai d'entérinement (semaines)"), default=8,
        help_text=_("Délai, compté depuis la date limite du dépôt, pour entériner la décision."),
    )

    # The initiative's journey (proposals/rules.py reads them).
    class NextStageRequires(models.TextChoices):
        NOTHING = "nothing", _("Rien de plus : l'étape précédente est entérinée")
        FINAL_SUBMITTED = "final_submitted", _("Le rapport final de l'étape précédente est remis")
        FINAL_ACCEPTED = "final_accepted", _("Le rapport final de l'étape précédente est accepté")

    allow_planning_to_intensification = models.BooleanField(
        _("passage de la planification (étape 1) à l'intensification (étape 3)"), default=False,
        help_text=_("Comme le guide le permet pour une initiative déjà déployée à la phase 1 : "
                    "la proposition d'étape 3 qui suit une planification en donne la "
                    "justification."),
    )
    next_stage_requires = models.CharField(
        _("pour déposer l'étape suivante"), max_length=20, choices=NextStageRequires.choices,
        default=NextStageRequires.FINAL_SUBMITTED,
        help_text=_("Ce qu'il faut de l'étape précédente de la même initiative avant de déposer "
                    "la proposition de l'étape suivante."),
    )

    # The initiative's journey (proposals/rules.py reads them).
    class NextStageRequires(models.TextChoices):
        NOTHING = "nothing", _("Rien de plus : l'étape précédente est entérinée")
        FINAL_SUBMITTED = "final_submitted", _("Le rapport final de l'étape précédente est remis")
        FINAL_ACCEPTED = "final_accepted", _("Le rapport final de l'étape précédente est accepté")

    allow_planning_to_intensification = models.BooleanField(
        _("passage de la planification (étape 1) à l'intensification (étape 3)"), default=False,
        help_text=_("Comme le guide le permet pour une initiative déjà déployée à la phase 1 : "
                    "la proposition d'étape 3 qui suit une planification en donne la "
                    "justification."),
    )
    next_stage_requires = models.CharField(
        _("pour déposer l'étape suivante"), max_length=20, choices=NextStageRequires.choices,
        default=NextStageRequires.FINAL_SUBMITTED,
        help_text=_("Ce qu'il faut de l'étape précédente de la même initiative avant de déposer "
                    "la proposition de l'étape suivante."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """One of the program's stages, with its numbers (all editable by coordination staff)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stages")
    number = models.PositiveSmallIntegerField(_("numéro"))
    name = models.CharField(_("nom"), max_length=60)
    name_en = models.CharField(_("nom (anglais)"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    normal_duration_years = models.PositiveSmallIntegerField(_("durée normale (années)"))
    max_duration_years = models.PositiveSmallIntegerField(
        _("durée maximale (années)"),
        help_text=_("Au-delà de la durée normale, une justification écrite est exigée."),
    )
    min_yearly_amount = models.DecimalField(
        _("soutien annuel minimal ($)"), max_digits=12, decimal_places=2
    )
    max_yearly_amount = models.DecimalField(
        _("soutien annuel maximal ($)"), max_digits=12, decimal_places=2
    )
    capacity_building_amount = models.DecimalField(
        _("montant réservé au renforcement des compétences ($)"), max_digits=12,
        decimal_places=2, default=Decimal("0"),
        help_text=_("Montant maximal, pour toute l'étape, en plus du soutien annuel."),
    )

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="one_stage_number"),
            models.CheckConstraint(
                condition=Q(max_duration_years__gte=models.F("normal_duration_years")),
                name="stage_max_duration_at_least_normal",
            ),
            models.CheckConstraint(
                condition=Q(max_yearly_amount__gte=models.F("min_yearly_amount")),
                name="stage_amount_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return _("Étape %(number)s — %(name)s") % {"number": self.number,
                                                    "name": self.display_name}

    @property
    def display_name(self) -> str:
        """The name in the active language (English when filled in, else French)."""
        return localized(self, "name")


class PrerequisiteItem(models.Model):
    """One line of a stage's prerequisite checklist; a proposal evidences each."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="prerequisites")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    label = models.CharField(_("préalable"), max_length=300)
    label_en = models.CharField(_("préalable (anglais)"), max_length=300, blank=True)
    guidance = models.TextField(_("précisions"), blank=True)
    guidance_en = models.TextField(_("précisions (anglais)"), blank=True)

    class Meta:
        verbose_name = _("préalable")
        verbose_name_plural = _("préalables")
        ordering = ["stage", "position", "pk"]

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        """The label in the active language (English when filled in, else French)."""
        return localized(self, "label")

    @property
    def display_guidance(self) -> str:
        return localized(self, "guidance")


class Window(models.Model):
    """A submission deadline: a date in Montreal time, closing at the end of that day."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="windows")
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120, blank=True)
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    deadline = models.DateField(_("date limite"))
    stages = models.ManyToManyField(Stage, verbose_name=_("étapes acceptées"),
                                    related_name="windows")

    class Meta:
        verbose_name = _("période de dépôt")
        verbose_name_plural = _("périodes de dépôt")
        ordering = ["deadline"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language (English when filled in, else French)."""
        return localized(self, "name")


class DefaultBudgetCategory(models.TextChoices):
    """The budget categories a program starts with (staff add, rename or retire them: each
    program keeps its own list, `BudgetCategory`)."""

    SALARIES = "salaries", _("Salaires et honoraires")
    ACTIVITIES = "activities", _("Activités et mobilisation")
    CAPACITY = "capacity", _("Renforcement des compétences")
    EVALUATION = "evaluation", _("Évaluation")
    COMMUNICATION = "communication", _("Communications")
    ADMINISTRATION = "administration", _("Frais administratifs")
    OTHER = "other", _("Autres")


class BudgetCategory(models.Model):
    """A line of the program's budgets (proposal, allocation, financial statement), kept by
    coordination staff."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="budget_categories")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("nom"), max_length=120)
    name_en = models.CharField(_("nom (anglais)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("en usage"), default=True,
                                 help_text=_("Une catégorie retirée reste dans les budgets "
                                             "qui l'utilisent déjà."))

    class Meta:
        verbose_name = _("catégorie budgétaire")
        verbose_name_plural = _("catégories budgétaires")
        ordering = ["program", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="one_budget_category_code"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class ExternalPartner(models.Model):
    """A partner of the program's list for capacity building (« Dynamo, milieux de la
    recherche, etc. », guide 3.2), kept by coordination staff; a proposal chooses among them."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="external_partners")
    name = models.CharField(_("nom"), max_length=160)
    name_en = models.CharField(_("nom (anglais)"), max_length=160, blank=True)
    description = models.TextField(_("offre d'accompagnement"), blank=True)
    url = models.URLField(_("site web"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("offert"), default=True,
                                 help_text=_("Un partenaire retiré reste dans les propositions "
                                             "qui l'ont choisi."))

    class Meta:
        verbose_name = _("partenaire externe (renforcement des compétences)")
        verbose_name_plural = _("partenaires externes (renforcement des compétences)")
        ordering = ["program", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="one_external_partner_name"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return localized(self, "name")


class IndicatorDefinition(models.Model):
    """An entry of the program's indicator catalogue, kept by coordination staff: indicators
    of several neighbourhoods linked to one entry add up in the portfolio roll-up."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Nombre (s'additionne)")
        AMOUNT = "amount", _("Montant en dollars (s'additionne)")
        PERCENT = "percent", _("Pourcentage (moyenne)")

    program = models.ForeignKey(Program, on_delete=models.CASCADE,
                                related_name="indicator_definitions")
    name = models.CharField(_("nom"), max_length=200)
    name_en = models.CharField(_("nom (anglais)"), max_length=200, blank=True)
    unit = models.CharField(_("unité"), max_length=40)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.COUNT)
    aim = models.CharField(_("visée"), max_length=20, blank=True,
                           choices=[("", "—"), *EvaluationAim.choices])
    active = models.BooleanField(_("offert"), default=True)

    class Meta:
        verbose_name = _("indicateur du catalogue")
        verbose_name_plural = _("catalogue des indicateurs")
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="one_catalogue_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.unit})"

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def adds_up(self) -> bool:
        return self.kind != self.Kind.PERCENT
