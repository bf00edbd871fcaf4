"""The neighbourhoods' files: letters of intent, initiatives, contacts, proposals and their
details (years, evidence, evaluation questions, documents), and the deadline extensions
granted to one neighbourhood. A proposal's versions: versions.py."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from neighbourhoods.models import Neighbourhood, neighbourhood_scope
from pic.choices import ChoiceLabelsMixin
from pic.documents import StoredDocument
from pic.storage import private_storage

from ..guide import EvaluationAim
from .limit import KeepsRatificationLimit
from .program import PrerequisiteItem, Program, Stage, Window

# Read access to one initiative for one person, granted by staff (initiative_access.py).
INITIATIVE_READ_PERMISSION = "view_initiative_file"


class NeighbourhoodOwnedQuerySet(models.QuerySet):
    """For models with a `neighbourhood` foreign key: what a user may see (the neighbourhoods
    of their memberships and assignments, as id subqueries; everything for coordination)."""

    neighbourhood_path = "neighbourhood"

    def visible_to(self, user):
        scope = neighbourhood_scope(user, self.neighbourhood_path)
        return self.all() if scope is None else self.filter(scope)


class InitiativeGrantedQuerySet(NeighbourhoodOwnedQuerySet):
    """What the neighbourhood gives, plus what a read grant on one initiative gives (the only
    place that grant widens a read; every write still requires membership: access.py)."""

    initiative_path = "pk"

    def visible_to(self, user):
        scope = neighbourhood_scope(user, self.neighbourhood_path)
        if scope is None:
            return self.all()
        if not user.is_authenticated or not user.is_active:
            return self.none()
        granted = InitiativeUserObjectPermission.objects.filter(
            user=user, permission__codename=INITIATIVE_READ_PERMISSION).values("content_object_id")
        # By neighbourhood (a semi-join: a list in index order stops at its page), then by grant.
        path, shared = self.neighbourhood_path, Q(**{f"{self.initiative_path}__in": granted})
        holding = self.model._default_manager.filter(shared).values(path)
        return self.filter(neighbourhood_scope(user, path, also=holding)).filter(scope | shared)


class Initiative(models.Model):
    """A neighbourhood's collective-impact initiative: the desired change, across stages."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        CLOSED = "closed", _("Terminée")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="initiatives"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("titre"), max_length=200)
    desired_change = models.TextField(_("changement souhaité"))
    # The « changement prioritaire »: one of the priorities of the neighbourhood's plan.
    priority = models.ForeignKey(
        "proposals.PlanPriority", verbose_name=_("changement prioritaire (plan de quartier)"),
        null=True, blank=True, on_delete=models.SET_NULL, related_name="initiatives",
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices,
                              default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)

    objects = InitiativeGrantedQuerySet.as_manager()

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["neighbourhood", "-created_at"]
        permissions = [(INITIATIVE_READ_PERMISSION,
                        _("Lire le dossier de l'initiative (accès accordé à une personne)"))]

    def __str__(self) -> str:
        return self.title


class InitiativeUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign keys for guardian: fast, joinable `visible_to` queries."""

    content_object = models.ForeignKey(Initiative, on_delete=models.CASCADE)


class InitiativeGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Initiative, on_delete=models.CASCADE)


class ProposalQuerySet(InitiativeGrantedQuerySet):
    initiative_path = "initiative"


CI_CONDITIONS = ("ci_engagement", "ci_aspirations", "ci_learning", "ci_influence", "ci_support")
# The guide's split of the capacity-building amount (rules.capacity_split_errors).
CAPACITY_AMOUNTS = ("capacity_external_amount", "capacity_internal_amount",
                    "capacity_other_amount")


AWAITING = ("submitted", "in_analysis", "changes_requested", "resubmitted", "recommended")
AWAITING_OR_REFUSED = (*AWAITING, "not_recommended")
# what the ratification page lists: awaiting a decision, or refused with no letter written
ACTIONABLE = Q(status__in=AWAITING) | Q(status="not_recommended", refusal_letter_written=False)


class Proposal(ChoiceLabelsMixin, KeepsRatificationLimit):
    """A proposal for one stage of one initiative. Its status changes only through the
    transition services in proposals/workflow.py."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        SUBMITTED = "submitted", _("Déposée")
        IN_ANALYSIS = "in_analysis", _("En analyse")
        CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
        RESUBMITTED = "resubmitted", _("Déposée de nouveau")
        RECOMMENDED = "recommended", _("Recommandée")
        NOT_RECOMMENDED = "not_recommended", _("Non recommandée")
        RATIFIED = "ratified", _("Entérinée")
        LETTER_SENT = "letter_sent", _("Lettre envoyée")
        WITHDRAWN = "withdrawn", _("Retirée")

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT,
                                      related_name="proposals")
    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="proposals")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="proposals")
    window = models.ForeignKey(
        Window, verbose_name=_("période de dépôt"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="proposals",
    )
    status = models.CharField(_("état"), max_length=30, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), blank=True)
    vision = models.TextField(_("vision de changement (une page)"), blank=True)
    duration_years = models.PositiveSmallIntegerField(_("durée demandée (années)"), default=1)
    duration_justification = models.TextField(_("justification de la durée"), blank=True)
    capacity_building_amount = models.DecimalField(
        _("renforcement des compétences ($)"), max_digits=12, decimal_places=2,
        default=Decimal("0"))
    edi = models.TextField(_("équité, diversité et inclusion (ÉDI)"), blank=True)
    # The guide's ÉDI axes the proposal works on (proposals.guide.EdiAxis values).
    edi_axes = models.JSONField(_("axes ÉDI travaillés"), default=list, blank=True)
    # Capacity building as the guide has it (5.4): the partners chosen from the program's
    # list, the split of capacity_building_amount (rules.py: the parts add up to it), the
    # needs by theme (proposals.guide.CapacityTheme values).
    capacity_partners = models.ManyToManyField(
        "proposals.ExternalPartner", verbose_name=_("partenaires externes choisis"),
        blank=True, related_name="proposals")
    capacity_external_amount = models.DecimalField(
        _("accompagnement par des partenaires externes ($)"), max_digits=12, decimal_places=2,
        default=Decimal("0"))
    capacity_internal_amount = models.DecimalField(
        _("ressources internes en évaluation ($)"), max_digits=12, decimal_places=2,
        default=Decimal("0"))
    capacity_other_amount = models.DecimalField(
        _("autres renforcements des compétences ($)"), max_digits=12, decimal_places=2,
        default=Decimal("0"))
    capacity_needs = models.JSONField(_("besoins par thème"), default=list, blank=True)
    capacity_needs_detail = models.TextField(_("précisions sur les besoins"), blank=True)
    # The five conditions of collective impact: how the proposal will work each one.
    ci_engagement = models.TextField(_("mobilisation inclusive de la communauté"), blank=True)
    ci_aspirations = models.TextField(_("aspirations communes"), blank=True)
    ci_learning = models.TextField(_("apprentissage stratégique"), blank=True)
    ci_influence = models.TextField(_("stratégies de levier et d'influence"), blank=True)
    ci_support = models.TextField(_("structure de soutien rassembleuse"), blank=True)
    changes_requested_note = models.TextField(_("modifications demandées"), blank=True)
    # The initiative's journey: where the draft started from (proposals/journey.py), what it
    # carried ({field key: {"source": label, "value": text carried}}), the learnings of the
    # previous stage, and why a planning goes straight to intensification.
    letter_of_intent = models.ForeignKey(
        "proposals.LetterOfIntent", verbose_name=_("lettre d'intention"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="proposals",
    )
    previous_proposal = models.ForeignKey(
        "self", verbose_name=_("reprise de la proposition"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="next_proposals",
    )
    carried = models.JSONField(default=dict, blank=True)
    previous_learnings = models.TextField(_("apprentissages de l'étape précédente"), blank=True)
    stage_jump_justification = models.TextField(
        _("justification du passage de la planification à l'intensification"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    # The eight-week limit (its window's deadline plus its program's weeks), kept here so the
    # watch-lists filter and sort by an index; written only by proposals/ratification_limit.py.
    ratification_due_on = models.DateField(_("limite d'entérinement"), null=True, blank=True,
                                           editable=False)
    # kept by governance's DecisionLetter.save (a refused file then leaves ACTIONABLE)
    refusal_letter_written = models.BooleanField(default=False, editable=False)

    objects = ProposalQuerySet.as_manager()

    # The long texts: lists defer them (`.defer(*Proposal.LONG_TEXT)`), detail pages read them.
    LONG_TEXT = ("summary", "vision", "duration_justification", "edi", *CI_CONDITIONS,
                 "changes_requested_note")

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["-updated_at", "-id"], name="proposal_updated_at_idx"),
                   # the watch-lists' files (the workflow's states: a test checks them)
                   models.Index(fields=["ratification_due_on", "id"],
                                name="proposal_ratification_due_idx",
                                condition=Q(status__in=AWAITING_OR_REFUSED)),
                   # a neighbourhood's latest file (the advisor's dashboard)
                   models.Index(fields=["neighbourhood", "-updated_at"], name="proposal_latest_idx",
                                condition=~Q(status__in=["withdrawn"])),
                   # the files near their limit (governance awaiting_decision: states
                   # AWAITING_RATIFICATION, with a window), without the refused ones of past years
                   models.Index(fields=["ratification_due_on", "id"],
                                name="proposal_awaiting_due_idx",
                                condition=Q(status__in=AWAITING, window__isnull=False)),
                   # a neighbourhood's open files (the advisor's home); the ratification page
                   models.Index(fields=["neighbourhood", "status"],
                                name="proposal_undecided_idx", condition=Q(status__in=AWAITING)),
                   models.Index(fields=["ratification_due_on", "id"],
                                name="proposal_actionable_idx", condition=ACTIONABLE)]

    def __str__(self) -> str:
        return f"{self.neighbourhood} — {self.title}"


class ProposalYear(models.Model):
    """The amount requested for one year of the requested duration."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="years")
    year_number = models.PositiveSmallIntegerField(_("année"))
    amount = models.DecimalField(_("montant demandé ($)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("année budgétaire")
        verbose_name_plural = _("années budgétaires")
        ordering = ["proposal", "year_number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "year_number"], name="one_amount_per_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="year_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.year_number}: {self.amount}"



class LetterOfIntent(models.Model):
    """The neighbourhood states its desired change and the stage it aims for; the advisor
    acknowledges it."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="letters_of_intent"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT,
                                related_name="letters_of_intent")
    desired_change = models.TextField(_("changement souhaité"))
    target_stage = models.ForeignKey(Stage, verbose_name=_("étape visée"),
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("transmise le"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("accusé de réception le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+")

    objects = NeighbourhoodOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("lettre d'intention")
        verbose_name_plural = _("lettres d'intention")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return _("Lettre d'intention — %(n)s") % {"n": self.neighbourhood}


class Contact(models.Model):
    """A contact between the neighbourhood and its advisor, recorded in the file."""

    class Kind(models.TextChoices):
        PRE_SUBMISSION = "pre_submission", _("Échange avant le dépôt")
        FOLLOW_UP = "follow_up", _("Suivi")
        ANALYSIS = "analysis", _("Retour d'analyse")
        OTHER = "other", _("Autre")

    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT,
                                      related_name="contacts")
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="contacts",
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("conseiller·ère"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("type d'échange"), max_length=20, choices=Kind.choices)
    summary = models.TextField(_("résumé"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = NeighbourhoodOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("échange")
        verbose_name_plural = _("échanges")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.neighbourhood} — {self.get_kind_display()} ({self.date})"


class ProposalOwnedQuerySet(InitiativeGrantedQuerySet):
    """A proposal's parts (evidence, questions, documents, versions): seen with the proposal."""

    neighbourhood_path = "proposal__neighbourhood"
    initiative_path = "proposal__initiative"


class PrerequisiteEvidence(models.Model):
    """The text evidencing one prerequisite (documents may evidence it too)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(PrerequisiteItem, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("démonstration"), blank=True)

    objects = ProposalOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("démonstration d'un préalable")
        verbose_name_plural = _("démonstrations des préalables")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "item"], name="one_evidence_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} — {self.item_id}"


class EvaluationQuestion(models.Model):
    """A learning question the neighbourhood picks for the stage."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                 related_name="evaluation_questions")
    position = models.PositiveSmallIntegerField(_("ordre"), default=1)
    question = models.TextField(_("question d'évaluation"))
    # The guide's three aims (proposals.guide.EvaluationAim): the roll-up groups by it.
    aim = models.CharField(_("visée"), max_length=20, blank=True,
                           choices=[("", "—"), *EvaluationAim.choices])
    data_to_collect = models.TextField(_("données à collecter"), blank=True)
    target = models.TextField(_("cible"), blank=True)

    objects = ProposalOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("question d'évaluation")
        verbose_name_plural = _("questions d'évaluation")
        ordering = ["proposal", "position", "pk"]

    def __str__(self) -> str:
        return self.question[:80]


class ProposalDocument(StoredDocument):
    """A file attached to a proposal, stored privately."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="documents")
    prerequisite = models.ForeignKey(
        PrerequisiteItem, verbose_name=_("préalable démontré"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    file = models.FileField(storage=private_storage, upload_to="proposals/%Y/%m/",
                            max_length=255)

    objects = ProposalOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["proposal", "uploaded_at", "pk"]
