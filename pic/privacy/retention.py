"""The retention policy (Law 25, s. 23: destroy or anonymise once the purpose is served).

People inactive for `PIC_RETENTION_INACTIVE_YEARS` (no login since, or never, counting from the
day they joined) are anonymised in place: the account stays, so that the financial and decision
records (allocations, votes, recusals, ratifications, reports, the audit log) keep pointing to
it, but it has no name, no address, no password, no session, no second factor and no role left.
What no purpose justifies keeping any longer is deleted: expired sessions, consents withdrawn
more than the same number of years ago, and what each app registers (registry.register_purge).
Never touched: the audit log (append-only) and the register of confidentiality incidents (kept
at least five years; privacy.models.INCIDENT_MINIMUM_YEARS). Superusers are left to their
operators (break-glass accounts)."""

import datetime
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from pic.access import SYSTEM
from pic.audit import audit
from pic.models import User

from . import registry
from .models import Consent

ANONYMOUS_NAME = "Personne anonymisée"


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def anonymised_email(user: User) -> str:
    return f"anonymised-{user.pk}@invalid"


@dataclass
class RetentionPlan:
    now: datetime.datetime
    cutoff: datetime.datetime
    people: list[User]
    purged: dict[str, int] = field(default_factory=dict)


def inactive_people(*, cutoff: datetime.datetime):
    return (User.objects.filter(anonymised_at__isnull=True, is_superuser=False)
            .annotate(last_active=Coalesce(F("last_login"), F("date_joined")))
            .filter(last_active__lt=cutoff).order_by("pk"))


def _uses_database_sessions() -> bool:
    return settings.SESSION_ENGINE in ("django.contrib.sessions.backends.db",
                                       "django.contrib.sessions.backends.cached_db")


def _session_keys_by_user(user_ids: set[int]) -> dict[str, list[str]]:
    """The live sessions of these people, read once (a session names its user only inside its
    encoded data)."""
    keys: dict[str, list[str]] = {}
    if not _uses_database_sessions() or not user_ids:
        return keys
    wanted = {str(pk) for pk in user_ids}
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        owner = str(session.get_decoded().get("_auth_user_id"))
        if owner in wanted:
            keys.setdefault(owner, []).append(session.session_key)
    return keys


def _purge_own(*, now: datetime.datetime, cutoff: datetime.datetime, dry_run: bool
               ) -> dict[str, int]:
    counts = {}
    if _uses_database_sessions():
        sessions = Session.objects.filter(expire_date__lt=now)
        counts["expired_sessions"] = sessions.count() if dry_run else sessions.delete()[0]
    consents = Consent.objects.filter(withdrawn_at__lt=cutoff)
    counts["withdrawn_consents"] = consents.count() if dry_run else consents.delete()[0]
    return counts


@transaction.atomic
def person_anonymise(*, user: User, now: datetime.datetime | None = None,
                     session_keys: list[str] | None = None) -> dict[str, int]:
    """Anonymise one person in place (a system action: the retention policy)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymised_at is not None:
        return {}
    counts: dict[str, int] = {}
    for _name, anonymiser in registry.anonymisers():
        for key, count in anonymiser(user).items():
            counts[key] = counts.get(key, 0) + count
    if session_keys is None:
        session_keys = _session_keys_by_user({user.pk}).get(str(user.pk), [])
    counts["sessions"] = Session.objects.filter(session_key__in=session_keys).delete()[0]
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession

        counts["sessions"] += UserSession.objects.filter(user=user).delete()[0]
    counts["email_addresses"] = EmailAddress.objects.filter(user=user).delete()[0]
    counts["second_factors"] = Authenticator.objects.filter(user=user).delete()[0]
    counts["consents"] = Consent.objects.filter(user=user).delete()[0]
    user.full_name = ANONYMOUS_NAME
    user.email = anonymised_email(user)
    user.set_unusable_password()
    user.is_active = False
    user.anonymised_at = now or timezone.now()
    user.save()
    audit(SYSTEM, "privacy.person_anonymised", user, **{k: v for k, v in counts.items() if v})
    return counts


def retention_plan(*, now: datetime.datetime | None = None) -> RetentionPlan:
    """What the policy would do now, changing nothing."""
    now = now or timezone.now()
    cutoff = years_before(now, settings.PIC_RETENTION_INACTIVE_YEARS)
    plan = RetentionPlan(now=now, cutoff=cutoff, people=list(inactive_people(cutoff=cutoff)))
    plan.purged.update(_purge_own(now=now, cutoff=cutoff, dry_run=True))
    for _name, purge in registry.purges():
        plan.purged.update(purge(now=now, cutoff=cutoff, dry_run=True))
    return plan


def retention_apply(*, dry_run: bool = False, now: datetime.datetime | None = None
                    ) -> RetentionPlan:
    """Apply the policy (or, with dry_run, only say what it would do); one audit event sums
    up a real run, and each anonymised person has their own."""
    plan = retention_plan(now=now)
    if dry_run:
        return plan
    sessions = _session_keys_by_user({person.pk for person in plan.people})
    for person in plan.people:
        person_anonymise(user=person, now=plan.now, session_keys=sessions.get(str(person.pk), []))
    with transaction.atomic():
        plan.purged.update(_purge_own(now=plan.now, cutoff=plan.cutoff, dry_run=False))
        for _name, purge in registry.purges():
            plan.purged.update(purge(now=plan.now, cutoff=plan.cutoff, dry_run=False))
        audit(SYSTEM, "privacy.retention_applied", None,
              inactive_years=settings.PIC_RETENTION_INACTIVE_YEARS,
              cutoff=plan.cutoff.date(), anonymised=len(plan.people), **plan.purged)
    return plan
