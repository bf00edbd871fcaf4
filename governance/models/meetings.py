"""Meetings, attendance, agenda items, recusals and votes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic.access import roles_of

from .committees import Committee, CommitteeMember, QuorumRule


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
    """One proposal on a meeting's agenda: an allocation decision, or (another kind, which a
    higher layer registers in governance.agenda_sources) a decision on that proposal's file
    after ratification, e.g. an amendment beyond the allocation. `proposal` is always set, so
    visibility and recusals are the proposal's; only an allocation item moves the proposal."""

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Allocation")
        AMENDMENT = "amendment", _("Modification après entérinement")

    class Status(models.TextChoices):
        OPEN = "open", _("Vote ouvert")
        CLOSED = "closed", _("Fermé")

    class Result(models.TextChoices):
        RECOMMENDED = "recommended", _("Recommandée")
        NOT_RECOMMENDED = "not_recommended", _("Non recommandée")
        # The results of an item that is not an allocation (never "recommended": nothing
        # waits for a ratification after it).
        APPROVED = "approved", _("Approuvée")
        REFUSED = "refused", _("Refusée")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT,
                                 related_name="agenda_items")
    kind = models.CharField(_("type de point"), max_length=20, choices=Kind.choices,
                            default=Kind.ALLOCATION)
    # The number of what an item that is not an allocation decides (the amendment's n°).
    number = models.PositiveSmallIntegerField(_("numéro de l'objet"), null=True, blank=True)
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
        # the items still to vote on (members' homes): the open few, not every item ever held;
        # with their id, the first ones are chosen from the index alone (no table read)
        indexes = [models.Index(fields=["meeting", "position", "id"], name="agendaitem_open_idx",
                                condition=models.Q(status="open"))]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "proposal"], name="one_item_per_proposal",
                                    condition=models.Q(kind="allocation")),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.title} — {self.subject}"

    @property
    def subject(self) -> str:
        """What the item decides, in the reader's language: the proposal, or an amendment of
        it (« Modification n° 2 — Saint-Michel — <titre> »)."""
        if self.kind == self.Kind.AMENDMENT:
            return _("Modification n° %(n)s — %(p)s") % {"n": self.number, "p": self.proposal}
        return self.proposal.title

    @property
    def is_allocation(self) -> bool:
        return self.kind == self.Kind.ALLOCATION

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
