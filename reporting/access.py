"""Who may act on follow-up (one answer: services raise PermissionDenied)."""

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


def ensure_staff(actor: User | None) -> None:
    if actor is not None and not is_coordination(actor):
        raise PermissionDenied(_("Réservé à l'équipe de coordination PIC."))


__all__ = [
    "can_read_portfolio", "ensure_advisor", "ensure_advisor_or_coordination",
    "ensure_coordination", "ensure_member", "ensure_member_or_followers", "ensure_staff",
    "is_advisor_of", "is_member_of",
]
