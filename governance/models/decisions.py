"""Ratifications, decision letters and meeting minutes."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import neighbourhood_scope
from pic.choices import ChoiceLabelsMixin
from pic.storage import private_storage
from proposals.models import Proposal

from .committees import (
    Committee,
)
from .meetings import Meeting


class RatificationAct(models.Model):
    """A deliberation of the ratifying body: a meeting or a written consultation, with its
    date, its resolution number and its minutes, ratifying one or more recommendations
    (commonly all those of one comité de gestion meeting)."""

    class Mode(models.TextChoices):
        MEETING = "meeting", _("Rencontre")
        WRITTEN = "written", _("Consultation écrite")

    committee = models.ForeignKey(Committee, verbose_name=_("instance"),
                                  on_delete=models.PROTECT, related_name="ratification_acts")
    mode = models.CharField(_("forme"), max_length=10, choices=Mode.choices,
                            default=Mode.MEETING)
    held_on = models.DateField(_("date de la délibération"))
    resolution_number = models.CharField(_("numéro de résolution"), max_length=40)
    source_meeting = models.ForeignKey(
        Meeting, verbose_name=_("rencontre qui a recommandé"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="ratification_acts")
    minutes = models.FileField(_("procès-verbal"), storage=private_storage,
                               upload_to="ratifications/", blank=True)
    minutes_sha256 = models.CharField(max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("délibération d'entérinement")
        verbose_name_plural = _("délibérations d'entérinement")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "resolution_number"],
                                    name="one_resolution_number_per_committee"),
        ]

    def __str__(self) -> str:
        return _("Résolution %(n)s — %(c)s (%(d)s)") % {
            "n": self.resolution_number, "c": self.committee, "d": self.held_on}


class Ratification(models.Model):
    proposal = models.OneToOneField("proposals.Proposal", on_delete=models.PROTECT,
                                    related_name="ratification")
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    act = models.ForeignKey(RatificationAct, verbose_name=_("délibération"), null=True,
                            blank=True, on_delete=models.PROTECT, related_name="ratifications")
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
        """Coordination sees every letter (no filter at all), the others only the letters it
        has sent, of the proposals they see (a letter « à envoyer » is coordination's to read
        and correct first)."""
        if neighbourhood_scope(user, "pk") is None:  # coordination staff: no filter at all
            return self.all()
        return self.filter(proposal__in=Proposal.objects.visible_to(user),
                           sent_at__isnull=False)

    def with_superseded(self) -> "DecisionLetterQuerySet":
        """Each letter with `superseded`: a newer version of the same letter exists (same
        proposal, kind and amendment). Only the latest version is sent or accepted."""
        newer = DecisionLetter.objects.filter(
            proposal=models.OuterRef("proposal"), kind=models.OuterRef("kind"),
            amendment_number=models.OuterRef("amendment_number"),
            version__gt=models.OuterRef("version"))
        return self.annotate(superseded=models.Exists(newer))

    def latest_versions(self) -> "DecisionLetterQuerySet":
        return self.with_superseded().filter(superseded=False)

    def to_send(self) -> "DecisionLetterQuerySet":
        """The letters « à envoyer »: the latest version of each, not sent yet."""
        return self.latest_versions().filter(sent_at__isnull=True)


class DecisionLetter(ChoiceLabelsMixin, models.Model):
    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Lettre de confirmation d'allocation")
        REFUSAL = "refusal", _("Lettre de refus")
        AMENDMENT = "amendment_accepted", _("Lettre d'acceptation de la modification")

    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT,
                                 related_name="decision_letters")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # The accepted amendment a letter of kind AMENDMENT confirms (reporting's number); 0 for
    # the decision letters (allocation, refusal).
    amendment_number = models.PositiveSmallIntegerField(_("modification n°"), default=0)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    language = models.CharField(_("langue"), max_length=2, default="fr")
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="letters/")
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    emailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    # Coordination reads the letter « à envoyer », may correct its conditions (a new version
    # carrying them), then sends it: only then the table receives it (email and app).
    conditions = models.TextField(_("conditions (corrigées avant l'envoi)"), blank=True)
    sent_at = models.DateTimeField(_("envoi demandé le"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    # « J'accepte les conditions »: who, in which role, when (the first payment waits for it).
    acknowledged_at = models.DateTimeField(_("conditions acceptées le"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    acknowledged_name = models.CharField(_("acceptées par"), max_length=200, blank=True)
    acknowledged_role = models.CharField(_("rôle"), max_length=120, blank=True)

    objects = DecisionLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("lettre de décision")
        verbose_name_plural = _("lettres de décision")
        ordering = ["proposal", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind", "amendment_number", "version"],
                                    name="one_letter_per_version"),
        ]
        # The letter list's order (newest first).
        indexes = [models.Index(fields=["-created_at", "-id"], name="letter_created_at_idx")]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} — {self.proposal}"

    def save(self, *args, **kwargs) -> None:
        written = self._state.adding and self.kind == self.Kind.REFUSAL
        super().save(*args, **kwargs)
        if written:  # nothing left to do on the refused file (the ratification page's index)
            Proposal.objects.filter(pk=self.proposal_id).update(refusal_letter_written=True)

    @property
    def title(self) -> str:
        """The kind, with the amendment's number for an amendment letter."""
        if self.amendment_number:
            return _("%(kind)s n° %(n)s") % {"kind": self.get_kind_display(),
                                               "n": self.amendment_number}
        return str(self.get_kind_display())

    @property
    def is_superseded(self) -> bool:
        superseded = getattr(self, "superseded", None)  # with_superseded()'s annotation
        if superseded is None:
            superseded = not DecisionLetter.objects.latest_versions().filter(pk=self.pk).exists()
        return superseded

    @property
    def to_send(self) -> bool:
        return self.sent_at is None and not self.is_superseded

    @property
    def awaits_acknowledgement(self) -> bool:
        """The table may accept its conditions: an allocation letter it received, the latest
        version, not accepted yet."""
        return (self.kind == self.Kind.ALLOCATION and self.sent_at is not None
                and self.acknowledged_at is None and not self.is_superseded)


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


class LetterSignatory(models.Model):
    """Who signs a program's decision letters (name, title, an image of the signature); the
    settings PIC_LETTER_SIGNATORY_* stand in for a program without one."""

    program = models.OneToOneField("proposals.Program", on_delete=models.CASCADE,
                                   related_name="letter_signatory")
    name = models.CharField(_("nom de la personne signataire"), max_length=120)
    title = models.CharField(_("titre"), max_length=160, blank=True)
    signature = models.FileField(
        _("image de la signature (PNG ou JPEG)"), storage=private_storage,
        upload_to="signatures/", blank=True)

    class Meta:
        verbose_name = _("signataire des lettres")
        verbose_name_plural = _("signataires des lettres")

    def __str__(self) -> str:
        return f"{self.name} — {self.program}"
