"""The user model (email is the login) and the append-only audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pic import audit_chain


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Language(models.TextChoices):
        FRENCH = "fr", _("Français")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("adresse courriel"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=150, blank=True)
    language = models.CharField(
        _("langue"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    is_staff = models.BooleanField(
        _("accès à l'administration"), default=False,
        help_text=_("Peut se connecter à l'interface d'administration Django."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # Set by the retention policy (pic/privacy/retention.py): the person is kept, nameless.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True,
                                         editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rice·s")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class AuditEventQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "AuditEventQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )

    # The chain needs one INSERT per event, in order (AuditEvent.save); the database's trigger
    # refuses UPDATE, DELETE and TRUNCATE on PostgreSQL; these refuse them in Python too.
    def bulk_create(self, *args, **kwargs):
        raise RuntimeError("The audit log is hash-chained: write events one by one (audit()).")

    def update(self, **kwargs):
        raise RuntimeError("The audit log is append-only: events cannot be changed.")

    def delete(self):
        raise RuntimeError("The audit log is append-only: events cannot be deleted.")


class AuditEvent(models.Model):
    """One thing that happened, written by a service. Never updated, never deleted: on
    PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE on the table, and each event carries
    the SHA-256 of the one before it (pic/audit_chain.py; `manage.py verify_audit`). People are
    therefore never deleted, only anonymised in place (pic/privacy/retention.py)."""

    sequence = models.PositiveBigIntegerField(_("rang"), unique=True, editable=False)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur·rice"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    verb = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("objet"), max_length=255, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    previous_hash = models.CharField(_("empreinte précédente"), max_length=64, default="",
                                     editable=False)
    hash = models.CharField(_("empreinte SHA-256"), max_length=64, default="", editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("The audit log is append-only: an event cannot be changed.")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            audit_chain.seal(self, using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("The audit log is append-only: an event cannot be deleted.")


class OutboxMessage(models.Model):
    """A task that a write asked for, recorded in the write's own transaction (pic.outbox).

    After the commit the app enqueues it; the beat sweep enqueues again what is still pending
    (a broker that was down, a worker that died); the task marks its row done, and a task whose
    row is already done does nothing. `key` makes a second request for the same effect a no-op.
    """

    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, encoder=DjangoJSONEncoder)
    key = models.CharField(_("clé d'idempotence"), max_length=200, unique=True)
    attempts = models.PositiveIntegerField(_("envois au courtier"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_index=True)
    enqueued_at = models.DateTimeField(_("dernier envoi au courtier"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)
    done_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Set by the task that runs it (its hard time limit ahead): no second copy runs meanwhile,
    # only a redelivery of the same Celery message (its worker died).
    running_until = models.DateTimeField(_("en cours jusqu'au plus tard"), null=True,
                                         blank=True)
    running_task = models.CharField(_("tâche Celery en cours"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("message en attente d'envoi")
        verbose_name_plural = _("messages en attente d'envoi")
        indexes = [models.Index(fields=["done_at", "next_attempt_at"],
                                name="pic_outbox_pending")]

    def __str__(self) -> str:
        return f"{self.task} [{self.key}]"


# Law 25: consents and the register of confidentiality incidents (the pic app's models too).
# Notes on a file, with mentions (pic/notes/).
from pic.notes.models import Note, NoteAttachment  # noqa: E402

# The inbox and the per-kind email choices (pic/notifications/).
from pic.notifications.models import Notification, NotificationPreference  # noqa: E402
from pic.privacy.models import ConfidentialityIncident, Consent  # noqa: E402

__all__ = ["AuditEvent", "ConfidentialityIncident", "Consent", "Notification",
           "NotificationPreference", "Note", "NoteAttachment", "OutboxMessage", "User"]
