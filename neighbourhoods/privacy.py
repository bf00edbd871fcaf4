"""Law 25, neighbourhoods' part: memberships, program roles, advisor assignments and
invitations in a person's download; roles ended and invitations emptied when a person is
anonymised; invitations whose link has expired deleted (pic/privacy/registry.py)."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pic.access import SYSTEM
from pic.privacy.registry import Section
from pic.privacy.services import value

from . import services
from .models import AdvisorAssignment, Invitation, Membership, StaffRole


def collect(user) -> list[Section]:
    return [
        Section("memberships", _("Appartenance aux tables de quartier"), [
            {"neighbourhood": m.neighbourhood.name, "role": m.get_role_display(),
             "started_at": value(m.started_at), "ended_at": value(m.ended_at)}
            for m in Membership.objects.filter(user=user).select_related("neighbourhood")
            .order_by("started_at", "pk")]),
        Section("program_roles", _("Rôles au programme"), [
            {"role": r.get_role_display(), "organisation": value(r.organisation),
             "started_at": value(r.started_at), "ended_at": value(r.ended_at)}
            for r in StaffRole.objects.filter(user=user).select_related("organisation")
            .order_by("started_at", "pk")]),
        Section("advisor_assignments", _("Quartiers suivis comme conseiller·ère"), [
            {"neighbourhood": a.neighbourhood.name, "started_at": value(a.started_at),
             "ended_at": value(a.ended_at)}
            for a in AdvisorAssignment.objects.filter(advisor=user)
            .select_related("neighbourhood").order_by("started_at", "pk")]),
        Section("invitations", _("Invitations reçues"), [
            {"email": i.email, "full_name": i.full_name, "role": i.get_kind_display(),
             "neighbourhood": value(i.neighbourhood), "created_at": value(i.created_at),
             "accepted_at": value(i.accepted_at), "revoked_at": value(i.revoked_at)}
            for i in Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email))
            .select_related("neighbourhood").order_by("created_at", "pk")]),
    ]


def anonymise(user) -> dict[str, int]:
    counts = {"roles_ended": 0}
    for membership in Membership.objects.active().filter(user=user):
        services.membership_end(membership=membership, actor=SYSTEM)
        counts["roles_ended"] += 1
    for assignment in AdvisorAssignment.objects.active().filter(advisor=user):
        services.advisor_unassign(assignment=assignment, actor=SYSTEM)
        counts["roles_ended"] += 1
    for role in StaffRole.objects.active().filter(user=user):
        services.staff_role_end(staff_role=role, actor=SYSTEM)
        counts["roles_ended"] += 1
    invitations = Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=user.email))
    counts["invitations_emptied"] = invitations.update(
        email=f"anonymised-{user.pk}@invalid", full_name="")
    return counts


def purge(*, now: datetime.datetime, cutoff: datetime.datetime, dry_run: bool) -> dict[str, int]:
    """Invitations never accepted whose link has expired (pending or revoked): the address of
    someone who never joined has no reason to stay."""
    expired = now - datetime.timedelta(days=settings.PIC_INVITATION_MAX_AGE_DAYS)
    stale = Invitation.objects.filter(accepted_at__isnull=True, created_at__lt=expired)
    return {"expired_invitations": stale.count() if dry_run else stale.delete()[0]}
