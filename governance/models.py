"""Committees and the people seated on them."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Organisation
from pic.access import roles_of
from pic.i18n_fields import localized
from pic.storage import private_storage
from proposals.models import Proposal
from proposals.states import RATIFIED_STATES


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


# --- Analysis ---------------------------------------------------------------------------------


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


# --- Meetings, agenda, attendance -------------------------------------------------------------


def _my_committees(user):
    return CommitteeMember.objects.current().filter(user=user).values("committee")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MeetingQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if roles_of(user).coordination:
            return self.all()
        return self.filter(committee__in=_my_committees(user))


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, verbose_name=_("comité"), on_delete=models.PROTECT,
                                  related_name="meetings")
    title = models.CharField(_("titre"), max_length=200)
    held_on = models.DateField(_("date"))
    location = models.CharField(_("lieu"), max_length=200, blank=True)
    quorum_rule = models.CharField(
        _("règle de quorum"), max_length=20, choices=QuorumRule.choices, blank=True,
        help_text=_("Vide : la règle du comité."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencontre")
        verbose_name_plural = _("rencontres")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.committee} — {self.title} ({self.held_on:%Y-%m-%d})"

    @property
    def effective_quorum_rule(self) -> str:
        return self.quorum_rule or self.committee.quorum_rule


class Attendance(models.Model):
    """A member present at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member"),
        ]

    def __str__(self) -> str:
        return str(self.member)


class AgendaItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AgendaItemQuerySet":
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if roles_of(user).coordination:
            return self.all()
        return self.filter(meeting__committee__in=_my_committees(user))


class AgendaItem(models.Model):
    """One proposal on a meeting's agenda: an allocation decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Vote ouvert")
        CLOSED = "closed", _("Fermé")

    class Result(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommandée")
        NOT_RECOMMENDED = "not_recommended", _("Non recommandée")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT,
                                 related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    result = models.CharField(_("résultat"), max_length=20, choices=Result.choices, blank=True)
    reasons = models.TextField(_("motifs de la décision"), blank=True)
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    eligible_count = models.PositiveSmallIntegerField(default=0)
    present_count = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("point à l'ordre du jour")
        verbose_name_plural = _("points à l'ordre du jour")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "proposal"], name="one_item_per_proposal"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.title} — {self.proposal.title}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Recusal(models.Model):
    """A member withdrawn from one decision, with the reason. Append-only."""

    class Reason(models.TextChoices):
        ORGANISATION = "organisation", _("Son organisation se retire des décisions "
                                         "d'investissement")
        NEIGHBOURHOOD = "neighbourhood", _("Son organisation est la table de quartier visée")
        CONFLICT = "conflict", _("Conflit d'intérêts déclaré")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("précisions"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("récusation")
        verbose_name_plural = _("récusations")
        ordering = ["item", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_recusal_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_reason_display()}"


class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("Pour")
        AGAINST = "against", _("Contre")
        ABSTAIN = "abstain", _("Abstention")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_vote_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_choice_display()}"


# --- Ratification and letters -----------------------------------------------------------------


class Ratification(models.Model):
    proposal = models.OneToOneField("proposals.Proposal", on_delete=models.PROTECT,
                                    related_name="ratification")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    ratified_on = models.DateField(_("entérinée le"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("entérinement")
        verbose_name_plural = _("entérinements")

    def __str__(self) -> str:
        return f"{self.proposal} — {self.ratified_on}"


class DecisionLetterQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DecisionLetterQuerySet":
        return self.filter(proposal__in=Proposal.objects.visible_to(user))


class DecisionLetter(models.Model):
    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Lettre de confirmation d'allocation")
        REFUSAL = "refusal", _("Lettre de refus")

    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT,
                                 related_name="decision_letters")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(_("langue"), max_length=2, default="fr")
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="letters/")
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    emailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    objects = DecisionLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("lettre de décision")
        verbose_name_plural = _("lettres de décision")
        ordering = ["proposal", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind", "version"],
                                    name="one_letter_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version} — {self.proposal}"


class MeetingMinutes(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="minutes/")
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="one_minutes_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.version}"
