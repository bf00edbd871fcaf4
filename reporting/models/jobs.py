"""Exports and imports run in the background (a Celery task through pic.outbox): one row per
job records who asked, what, its state, its progress and the file it reads or writes (in
private storage). State changes go through reporting.services.jobs only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pic.access import roles_of
from pic.storage import private_storage


class JobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The person's own jobs; the coordination team's: every job."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles_of(user).coordination:
            return self.all()
        return self.filter(requested_by=user)


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Fichier reçu, vérification en attente")
        CHECKING = "checking", _("Vérification du fichier en cours")
        PREVIEWED = "previewed", _("Aperçu, en attente de confirmation")
        QUEUED = "queued", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("demandé par"))
    kind = models.CharField(_("données"), max_length=40)
    file_format = models.CharField(_("format"), max_length=8)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices,
                              default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("lignes traitées"), default=0)
    rows_total = models.PositiveIntegerField(_("lignes en tout"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # How many times a worker started it (again after a lost worker: services/jobs.py MAX_RUNS).
    runs = models.PositiveSmallIntegerField(_("essais"), default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def working(self) -> bool:
        """Queued or running (its file checked, built or written): the page follows it."""
        return self.status in (self.Status.UPLOADED, self.Status.CHECKING, self.Status.QUEUED,
                               self.Status.RUNNING)

    @property
    def percent(self) -> int | None:
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, round(100 * self.rows_done / self.rows_total))


class ExportJob(BackgroundJob):
    """An export built by a worker (large XLSX, 360Giving files) for the person who asked:
    it holds only what they may see, and only they (and coordination) download it."""

    filters = models.JSONField(_("filtres"), default=dict, blank=True)
    file = models.FileField(storage=private_storage, upload_to="exports/%Y/%m/", blank=True,
                            max_length=255)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("export en arrière-plan")
        verbose_name_plural = _("exports en arrière-plan")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}.{self.file_format} #{self.pk}"


class ImportJob(BackgroundJob):
    """An import file stored when it is sent (private storage), checked by a worker (the dry
    run, every row's errors), confirmed by its id, written by a worker in bulk; `result` keeps
    the totals, or the rows' errors when nothing was (or would be) written."""

    file = models.FileField(storage=private_storage, upload_to="imports/%Y/%m/", max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import en arrière-plan")
        verbose_name_plural = _("imports en arrière-plan")
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
