"""Who may act on follow-up (one answer: services raise PermissionDenied)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from neighbourhoods.models import StaffRole, has_staff_role, is_coordination
from pic.models import User
from proposals.access import (
    ensure_advisor_or_coordination,
    ensure_coordination,
    ensure_member,
    ensure_member_or_followers,
    is_advisor_of,
    is_member_of,
)


def ensure_advisor(actor: User | None, neighbourhood_id: int) -> None:
    """The neighbourhood's advisor (or coordination staff, or the system)."""
    ensure_advisor_or_coordination(actor, neighbourhood_id)


def can_read_portfolio(user: User) -> bool:
    """Partners (read-only) and coordination staff read the program's portfolio aggregates."""
    return is_coordination(user) or has_staff_role(user, StaffRole.Role.PARTNER)


def can_follow_files(user: User) -> bool:
    """The follow-up dashboard: coordination, advisors and neighbourhood members."""
    from .roles import roles_of

    return roles_of(user).follows_files


class FollowupRequiredMixin(LoginRequiredMixin):
    """Follow-up pages: others (committee-only members, partners) get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_follow_files(request.user):
            raise PermissionDenied(_("Le suivi des allocations est réservé aux tables de "
                                     "quartier, aux conseiller·ères et à la coordination."))
        return super().dispatch(request, *args, **kwargs)


def ensure_staff(actor: User | None) -> None:
    if actor is not None and not is_coordination(actor):
        raise PermissionDenied(_("Réservé à l'équipe de coordination PIC."))


__all__ = [
    "FollowupRequiredMixin", "can_follow_files", "can_read_portfolio", "ensure_advisor",
    "ensure_advisor_or_coordination",
    "ensure_coordination", "ensure_member", "ensure_member_or_followers", "ensure_staff",
    "is_advisor_of", "is_member_of",
]
