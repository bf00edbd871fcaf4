"""Reads on tenants, always scoped to the user."""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from pic.access import can, roles_of
from pic.models import AuditEvent, User

from .models import AdvisorAssignment, Invitation, Membership, Neighbourhood


def neighbourhood_list(*, user: User) -> QuerySet[Neighbourhood]:
    return Neighbourhood.objects.visible_to(user).prefetch_related(
        Prefetch(
            "advisor_assignments",
            queryset=AdvisorAssignment.objects.active().select_related("advisor"),
            to_attr="active_assignments",
        ),
    )


def neighbourhood_get(*, user: User, slug: str) -> Neighbourhood:
    neighbourhood = (
        neighbourhood_list(user=user)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.active().select_related("user"),
                to_attr="active_memberships",
            )
        )
        .filter(slug=slug)
        .first()
    )
    if neighbourhood is None:
        raise Http404
    return neighbourhood


def neighbourhoods_of_member(*, user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods the user works for (their own table de quartier)."""
    return Neighbourhood.objects.filter(
        memberships__user=user, memberships__ended_at__isnull=True
    ).distinct()


def neighbourhoods_followed(*, user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods an advisor follows."""
    return Neighbourhood.objects.filter(
        advisor_assignments__advisor=user, advisor_assignments__ended_at__isnull=True
    ).distinct()


def invitation_list(*, user: User) -> QuerySet[Invitation]:
    if not can(user, "invitation.create"):
        return Invitation.objects.none()
    return Invitation.objects.select_related("neighbourhood", "organisation", "invited_by")


def audit_event_list(*, user: User, content_type_id: int | None = None,
                     object_id: str | None = None, verb: str | None = None,
                     ) -> QuerySet[AuditEvent]:
    if not can(user, "audit.read"):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor", "content_type")
    if content_type_id:
        events = events.filter(content_type_id=content_type_id)
    if object_id:
        events = events.filter(object_id=object_id)
    if verb:
        events = events.filter(verb=verb)
    return events


def audit_event_total(*, user: User) -> int:
    """How many events the log holds (`audit_event_list` unfiltered): the last one's rank.
    The chain numbers them 1, 2, 3… without a gap (pic.audit_chain; `manage.py verify_audit`
    says so), and the rank's unique index answers at once where COUNT(*) reads the whole log."""
    if not can(user, "audit.read"):
        return 0
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


def people_list(*, user: User) -> QuerySet[User]:
    """The people `user` may see: everyone for coordination staff; else the members and the
    advisors of the neighbourhoods the user sees, and the user."""
    people = User.objects.filter(is_active=True, anonymised_at__isnull=True)
    if roles_of(user).coordination:
        return people
    neighbourhoods = Neighbourhood.objects.visible_to(user).values("pk")
    members = Membership.objects.active().filter(neighbourhood__in=neighbourhoods)
    advisors = AdvisorAssignment.objects.active().filter(neighbourhood__in=neighbourhoods)
    return people.filter(Q(pk__in=members.values("user_id")) | Q(pk__in=advisors.values(
        "advisor_id")) | Q(pk=user.pk))
def people_of(neighbourhood_id: int | None, *, members: bool = False, advisors: bool = False,
              coordination: bool = False) -> QuerySet[User]:
    """Who to tell about a neighbourhood's file (pic.notifications.notify): its table's
    members, its advisors, and/or the coordination team; active people only."""
    from django.db.models import Q

    from .models import AdvisorAssignment, Membership, StaffRole

    who = Q(pk__in=[])
    if members:
        who |= Q(pk__in=Membership.objects.active().filter(
            neighbourhood_id=neighbourhood_id).values("user_id"))
    if advisors:
        who |= Q(pk__in=AdvisorAssignment.objects.active().filter(
            neighbourhood_id=neighbourhood_id).values("advisor_id"))
    if coordination:
        who |= Q(pk__in=StaffRole.objects.active().filter(
            role=StaffRole.Role.COORDINATION).values("user_id"))
    return User.objects.filter(who, is_active=True)
