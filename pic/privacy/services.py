"""Law 25 writes and reads: consents, a person's own data, the incident register."""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pic import audit_labels
from pic.access import can, ensure
from pic.audit import audit
from pic.models import AuditEvent, User

from . import registry
from .models import ConfidentialityIncident, Consent
from .registry import Section

# The text a person agrees to, per purpose; bump the version when the text changes (a consent
# given to an older version is shown as such and can be renewed).
CONSENT_TEXTS = {
    Consent.Purpose.NEWS: ("2026-12", gettext_lazy(
        "Recevoir par courriel les nouvelles et les invitations aux événements du PIC "
        "(au plus une fois par mois).")),
    Consent.Purpose.SURVEYS: ("2026-12", gettext_lazy(
        "Être invité·e à répondre à des sondages sur le programme (réponses anonymes).")),
}


def value(item) -> registry.Value:
    """A value as the download shows it: dates and times in ISO 8601, amounts as text."""
    if isinstance(item, datetime.datetime):
        return timezone.localtime(item).isoformat() if timezone.is_aware(item) else item.isoformat()
    if isinstance(item, datetime.date):
        return item.isoformat()
    if isinstance(item, Decimal):
        return str(item)
    if isinstance(item, Model):
        return str(item)
    if item is None or isinstance(item, str | int | float | bool):
        return item
    return str(item)


# --- Consents ---------------------------------------------------------------------------------


def consent_list(*, user: User) -> list[dict]:
    """Every purpose, with the person's standing consent (None: not given, the default)."""
    standing = {c.purpose: c for c in Consent.objects.filter(user=user, withdrawn_at__isnull=True)}
    return [{"purpose": purpose, "label": purpose.label, "text": text, "version": version,
             "consent": standing.get(purpose)}
            for purpose, (version, text) in CONSENT_TEXTS.items()]


def _ensure_self(user: User, actor: User) -> None:
    if actor.pk != user.pk:
        raise PermissionDenied(_("Seule la personne concernée peut donner ou retirer son "
                                 "consentement."))


@transaction.atomic
def consent_give(*, user: User, purpose: str, actor: User) -> Consent:
    _ensure_self(user, actor)
    User.objects.select_for_update().get(pk=user.pk)  # one standing consent, even on a race
    version = CONSENT_TEXTS[Consent.Purpose(purpose)][0]
    consent = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()
    if consent is not None and consent.version == version:
        return consent
    if consent is not None:  # given to an older text: that one ends, the new one starts
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    consent = Consent.objects.create(user=user, purpose=purpose, version=version)
    audit(actor, "consent.given", consent, purpose=purpose, version=version)
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, purpose: str, actor: User) -> Consent | None:
    _ensure_self(user, actor)
    consent = (Consent.objects.select_for_update()
               .filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first())
    if consent is None:
        return None
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    audit(actor, "consent.withdrawn", consent, purpose=purpose, version=consent.version)
    return consent


def has_consent(*, user: User, purpose: str) -> bool:
    """For whoever sends an optional communication: only to those who said yes."""
    return Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).exists()


# --- A person's own data ----------------------------------------------------------------------


def collect_own_data(user: User) -> list[Section]:
    """pic's part: the account, its email addresses, second factors, consents, and the audit
    events the person is the author of."""
    sections = [Section("account", gettext_lazy("Compte"), [{
        "id": user.pk, "email": user.email, "full_name": user.full_name,
        "language": user.get_language_display(), "date_joined": value(user.date_joined),
        "last_login": value(user.last_login), "is_active": user.is_active,
    }])]
    sections.append(Section("email_addresses", gettext_lazy("Adresses courriel"), [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("pk")]))
    sections.append(Section("second_factors", gettext_lazy("Authentification à deux facteurs"), [
        {"type": a.get_type_display(), "created_at": value(a.created_at),
         "last_used_at": value(a.last_used_at)}  # never the secret itself
        for a in Authenticator.objects.filter(user=user).order_by("pk")]))
    sections.append(Section("consents", gettext_lazy("Consentements"), [
        {"purpose": c.get_purpose_display(), "version": c.version,
         "given_at": value(c.given_at), "withdrawn_at": value(c.withdrawn_at)}
        for c in Consent.objects.filter(user=user).order_by("given_at", "pk")]))
    events = AuditEvent.objects.filter(actor=user).order_by("sequence").iterator(chunk_size=500)
    sections.append(Section("audit_events", gettext_lazy("Actions consignées au journal"), [
        {"date": value(e.created_at), "action": str(audit_labels.verb_label(e.verb)),
         "object": e.object_repr, "details": "; ".join(
             f"{k}: {v}" for k, v in audit_labels.details_display(e.verb, e.details))}
        for e in events]))
    from pic.notes.models import Note
    from pic.notifications.models import Notification

    sections.append(Section("notes", gettext_lazy("Notes écrites"), [
        {"date": value(n.created_at), "visibility": n.get_visibility_display(),
         "text": n.body} for n in Note.objects.filter(author=user).order_by("pk")]))
    sections.append(Section("notifications", gettext_lazy("Notifications reçues"), [
        {"date": value(n.created_at), "text": n.text, "read_at": value(n.read_at)}
        for n in Notification.objects.filter(recipient=user).order_by("pk")]))
    return sections


registry.register_collector("pic", collect_own_data)


def personal_data(*, user: User, actor: User) -> dict:
    """Everything the app holds on `user`, from every app's collector, for `user` alone."""
    if actor.pk != user.pk:
        raise PermissionDenied
    sections: list[Section] = []
    for _name, collector in registry.collectors():
        sections.extend(collector(user))
    return {"person": {"id": user.pk, "email": user.email, "full_name": user.full_name},
            "generated_at": value(timezone.now()), "sections": sections}


def personal_data_exported(*, user: User, file_format: str) -> None:
    audit(user, "privacy.data_exported", user, format=file_format)


# --- The register of confidentiality incidents ------------------------------------------------

INCIDENT_FIELDS = ["summary", "information_involved", "circumstances", "occurred_on",
                   "occurred_until", "discovered_on", "people_affected", "risk_assessment",
                   "serious_injury_risk", "cai_notified_on", "people_notified_on",
                   "measures_taken"]


def incident_list(*, user: User):
    if not can(user, "incident.manage"):
        return ConfidentialityIncident.objects.none()
    return ConfidentialityIncident.objects.select_related("recorded_by")


@transaction.atomic
def incident_record(*, actor: User, **values) -> ConfidentialityIncident:
    ensure(actor, "incident.manage")
    incident = ConfidentialityIncident.objects.create(
        recorded_by=actor, **{k: values[k] for k in INCIDENT_FIELDS if k in values})
    audit(actor, "incident.recorded", incident, discovered_on=incident.discovered_on,
          people_affected=incident.people_affected)
    return incident


@transaction.atomic
def incident_update(*, incident: ConfidentialityIncident, actor: User, **values
                    ) -> ConfidentialityIncident:
    ensure(actor, "incident.manage")
    incident = ConfidentialityIncident.objects.select_for_update().get(pk=incident.pk)
    changed = [k for k in INCIDENT_FIELDS if k in values and getattr(incident, k) != values[k]]
    if not changed:
        return incident
    for key in changed:
        setattr(incident, key, values[key])
    incident.save()
    audit(actor, "incident.updated", incident, fields=changed)
    return incident
