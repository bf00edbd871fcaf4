"""Who may act on a neighbourhood's file (one answer: a bool; services raise)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from neighbourhoods.models import AdvisorAssignment, Membership, is_coordination
from pic.models import User


def is_member_of(user: User | None, neighbourhood_id: int) -> bool:
    return bool(user and user.is_authenticated and Membership.objects.active().filter(
        user=user, neighbourhood_id=neighbourhood_id).exists())


def is_advisor_of(user: User | None, neighbourhood_id: int) -> bool:
    return bool(user and user.is_authenticated and AdvisorAssignment.objects.active().filter(
        advisor=user, neighbourhood_id=neighbourhood_id).exists())


def ensure_member(actor: User | None, neighbourhood_id: int) -> None:
    """A member of the neighbourhood's table, or the system (actor None)."""
    if actor is not None and not is_member_of(actor, neighbourhood_id):
        raise PermissionDenied(_("Réservé aux membres de la table de quartier."))


def ensure_advisor_or_coordination(actor: User | None, neighbourhood_id: int) -> None:
    if actor is not None and not (is_coordination(actor)
                                  or is_advisor_of(actor, neighbourhood_id)):
        raise PermissionDenied(_("Réservé au conseiller·ère du quartier et à l'équipe de "
                                 "coordination PIC."))


def ensure_member_or_followers(actor: User | None, neighbourhood_id: int) -> None:
    """Members, the neighbourhood's advisor, coordination staff, or the system."""
    if actor is not None and not (is_coordination(actor) or is_member_of(actor, neighbourhood_id)
                                  or is_advisor_of(actor, neighbourhood_id)):
        raise PermissionDenied(_("Vous n'avez pas accès à ce dossier."))


def ensure_coordination(actor: User | None) -> None:
    if actor is not None and not is_coordination(actor):
        raise PermissionDenied(_("Réservé à l'équipe de coordination PIC."))
