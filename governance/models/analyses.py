"""The analysis of a proposal: its checked prerequisites and its yearly amounts."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.access import roles_of
from proposals.models import Proposal
from proposals.states import RATIFIED_STATES

from .committees import CommitteeMember
from .meetings import AgendaItem


class AnalysisQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AnalysisQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if roles_of(user).coordination:
            return self.all()
        visible = Proposal.objects.visible_to(user)
        on_my_agenda = AgendaItem.objects.filter(
            proposal=OuterRef("proposal"),
            meeting__committee__in=CommitteeMember.objects.current().filter(user=user)
            .values("committee"),
        )
        condition = Exists(on_my_agenda)
        if roles_of(user).advisor:
            condition |= Q(proposal__in=visible)
        condition |= Q(proposal__in=visible, proposal__status__in=RATIFIED_STATES)
        return self.filter(condition)


# The advisor's assessment per condition of collective impact, and the reach of the people
# directly concerned: the analysis's guide texts (analysis_save's `guide_texts`).
ASSESSMENT_FIELDS = ("assess_engagement", "assess_aspirations", "assess_learning",
                     "assess_influence", "assess_support")
GUIDE_TEXT_FIELDS = (*ASSESSMENT_FIELDS, "people_concerned_reach")


class Analysis(models.Model):
    """The advisor's analysis of a proposal, read by the committee that decides it."""

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="analysis"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs_and_context = models.TextField(_("besoins et contexte du quartier"), blank=True)
    capacity_building_amount = models.DecimalField(
        _("renforcement des compétences recommandé ($)"), max_digits=12, decimal_places=2,
        default=0,
    )
    conditions = models.TextField(_("conditions"), blank=True)
    # The advisor's assessment of each of the five conditions of collective impact.
    assess_engagement = models.TextField(_("appréciation : mobilisation inclusive"), blank=True)
    assess_aspirations = models.TextField(_("appréciation : aspirations communes"), blank=True)
    assess_learning = models.TextField(_("appréciation : apprentissage stratégique"), blank=True)
    assess_influence = models.TextField(_("appréciation : stratégies de levier"), blank=True)
    assess_support = models.TextField(_("appréciation : structure de soutien"), blank=True)
    # The reach of the people directly concerned, carried into the recommendation.
    people_concerned_reach = models.TextField(
        _("portée auprès des premiers concernés"), blank=True,
        help_text=_("Comment les personnes directement concernées par la pauvreté et "
                    "l'exclusion sociale sont rejointes et participent."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnalysisQuerySet.as_manager()

    class Meta:
        verbose_name = _("analyse")
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return _("Analyse de %(proposal)s") % {"proposal": self.proposal}

    @property
    def total_yearly(self):
        return sum((y.amount for y in self.years.all()), 0)


class AnalysisPrerequisite(models.Model):
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="prerequisites")
    prerequisite = models.ForeignKey(
        "proposals.PrerequisiteItem", on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(_("satisfait"))
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("préalable analysé")
        verbose_name_plural = _("préalables analysés")
        ordering = ["prerequisite__position", "prerequisite_id"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "prerequisite"],
                                    name="one_assessment_per_prerequisite"),
        ]

    def __str__(self) -> str:
        return str(self.prerequisite)


class AnalysisYear(models.Model):
    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="years")
    year_number = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("montant recommandé ($)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("montant annuel recommandé")
        verbose_name_plural = _("montants annuels recommandés")
        ordering = ["analysis", "year_number"]
        constraints = [
            models.UniqueConstraint(fields=["analysis", "year_number"],
                                    name="one_recommended_amount_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0),
                                   name="recommended_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year_number}: {self.amount}"
