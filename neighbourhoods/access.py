"""Who a person is to a neighbourhood, and the rules of the neighbourhoods' own actions.

The facts come straight from the records (staff roles, memberships, advisor assignments): they
are the one source of truth of neighbourhood access (no permission rows duplicate them).
Higher layers build their rules from the predicates below (pic.access for the vocabulary)."""

from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from pic import access
from pic.access import Roles

from .models import AdvisorAssignment, Membership, Neighbourhood, StaffRole


def _staff_rows(user):
    return access.role_rows(StaffRole.objects.active().filter(user=user), number=0,
                            text=F("role"))


def _staff_facts(rows) -> dict[str, Any]:
    staff = {role for _number, role, _flag in rows}
    return {"coordination": StaffRole.Role.COORDINATION in staff,
            "advisor": StaffRole.Role.ADVISOR in staff,
            "partner": StaffRole.Role.PARTNER in staff}


def _member_rows(user):
    return access.role_rows(Membership.objects.active().filter(user=user),
                            number=F("neighbourhood_id"), text="")


def _member_facts(rows) -> dict[str, Any]:
    ids = tuple(neighbourhood for neighbourhood, _text, _flag in rows)
    return {"neighbourhood_ids": ids, "neighbourhood_member": bool(ids)}


def _advisor_rows(user):
    return access.role_rows(AdvisorAssignment.objects.active().filter(advisor=user),
                            number=F("neighbourhood_id"), text="")


def _advisor_facts(rows) -> dict[str, Any]:
    return {"advised_ids": tuple(neighbourhood for neighbourhood, _text, _flag in rows)}


access.register_role_rows(_staff_rows, _staff_facts, {"coordination": False, "advisor": False,
                                                      "partner": False})
access.register_role_rows(_member_rows, _member_facts, {"neighbourhood_ids": (),
                                                        "neighbourhood_member": False})
access.register_role_rows(_advisor_rows, _advisor_facts, {"advised_ids": ()})


# --- Predicates: (roles, object) -> bool ---------------------------------------------------


def neighbourhood_id_of(obj: Any) -> int | None:
    """The neighbourhood an object belongs to: a Neighbourhood, anything with a
    `neighbourhood_id`, or a neighbourhood id."""
    if isinstance(obj, Neighbourhood):
        return obj.pk
    if isinstance(obj, int):
        return obj
    return getattr(obj, "neighbourhood_id", None)


def coordination(roles: Roles, _obj: Any = None) -> bool:
    return roles.coordination


def member(roles: Roles, obj: Any) -> bool:
    """A member of the table de quartier the object belongs to (with no object: of a table)."""
    if obj is None:
        return roles.neighbourhood_member
    return neighbourhood_id_of(obj) in roles.neighbourhood_ids


def advisor_of(roles: Roles, obj: Any) -> bool:
    """The advisor assigned to the object's neighbourhood (with no object: to one)."""
    if obj is None:
        return bool(roles.advised_ids)
    return neighbourhood_id_of(obj) in roles.advised_ids


def follower(roles: Roles, obj: Any) -> bool:
    """Who follows the neighbourhood's files from Centraide: its advisor, coordination staff."""
    return roles.coordination or advisor_of(roles, obj)


def member_or_follower(roles: Roles, obj: Any) -> bool:
    return member(roles, obj) or follower(roles, obj)


COORDINATION_ONLY = _("Réservé à l'équipe de coordination PIC.")
MEMBERS_ONLY = _("Réservé aux membres de la table de quartier.")
FOLLOWERS_ONLY = _("Réservé au conseiller·ère du quartier et à l'équipe de coordination PIC.")
FILE_ONLY = _("Vous n'avez pas accès à ce dossier.")

access.register_all(
    ["membership.manage", "advisor.assign", "staff_role.grant", "invitation.create",
     "invitation.revoke", "audit.read", "organisation.recusal_set", "incident.manage"],
    coordination, COORDINATION_ONLY)


@access.rule("neighbourhood.list", _("La liste des quartiers est réservée aux conseiller·ères "
                                     "et à l'équipe de coordination PIC."))
def _neighbourhood_list(roles: Roles, _obj: Any) -> bool:
    return roles.coordination or roles.advisor


access.register("neighbourhood.view", member_or_follower, FILE_ONLY)
access.register("coordination.page", coordination, COORDINATION_ONLY)


# --- Notes on a neighbourhood's files (pic.notes): internal ones are Centraide's (the
# neighbourhood's advisor, coordination staff), shared ones the table's too; committee members
# and partners read none. The queryset scope and the readers below follow the same rules.

access.register_all(["note.write", "note.read"], member_or_follower, FILE_ONLY)
access.register("note.read_internal", follower,
                _("Les notes internes sont réservées au conseiller·ère du quartier et à "
                  "l'équipe de coordination PIC."))


def note_scope(user) -> tuple[Any, Any]:
    """(ids whose internal notes the person reads, ids whose shared notes): None is all."""
    roles = access.roles_of(user)
    if roles.coordination:
        return None, None
    return roles.advised_ids, (*roles.advised_ids, *roles.neighbourhood_ids)


def note_readers(neighbourhood_id: int, internal: bool):
    """Who reads a note of the neighbourhood: its advisors and coordination staff, and its
    table's members when the note is shared."""
    from django.db.models import Q

    from pic.models import User

    followers = Q(pk__in=StaffRole.objects.active().filter(
        role=StaffRole.Role.COORDINATION).values("user_id")) | Q(
        pk__in=AdvisorAssignment.objects.active().filter(
            neighbourhood_id=neighbourhood_id).values("advisor_id"))
    if not internal:
        followers |= Q(pk__in=Membership.objects.active().filter(
            neighbourhood_id=neighbourhood_id).values("user_id"))
    return User.objects.filter(followers, is_active=True).order_by("full_name", "email")


def note_followers(neighbourhood_id: int):
    from pic.models import User

    return User.objects.filter(is_active=True, pk__in=AdvisorAssignment.objects.active().filter(
        neighbourhood_id=neighbourhood_id).values("advisor_id"))
