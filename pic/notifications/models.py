"""The inbox and each person's choice of email per kind (registered by the pic app)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, Mode


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NotificationQuerySet":
        """A person's own notifications, nobody else's."""
        if user is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient_id=user.pk)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One event told to one person: once per (person, event), whatever the retries."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("type"), max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    content_type = models.ForeignKey(ContentType, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("objet"), max_length=255, blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    context = models.JSONField(_("détails"), default=dict, blank=True)
    event_key = models.CharField(_("événement"), max_length=200)
    email_mode = models.CharField(_("courriel"), max_length=10, choices=Mode.choices)
    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "event_key"],
                                               name="one_notification_per_person_and_event")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="pic_notif_unread")]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.kind} {self.object_repr}"

    @property
    def text(self) -> str:
        """The sentence, in the active language (the values were recorded when notified)."""
        params = {"actor": self.context.get("actor") or _gettext("le système"),
                  "object": self.object_repr, **self.context}
        found = KINDS.get(self.kind)
        if found is None:
            return self.object_repr
        try:
            return str(found.message) % params
        except (KeyError, ValueError, TypeError):
            return f"{found.label} — {self.object_repr}"

    @property
    def label(self) -> str:
        found = KINDS.get(self.kind)
        return str(found.label) if found else self.kind


class NotificationPreference(models.Model):
    """How a person wants one kind by email; no row: the kind's default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("type"), max_length=60)
    mode = models.CharField(_("courriel"), max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint(fields=["user", "kind"],
                                               name="one_notification_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} — {self.kind}: {self.mode}"
