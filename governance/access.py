"""Who a person is to a committee (their current seats), and the rules of governance's actions
(pic.access for the vocabulary). Whether an item is open, or a member recused, stays with the
services: a recusal is the item's own record."""

from typing import Any

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from neighbourhoods.access import COORDINATION_ONLY, MEMBERS_ONLY, coordination, follower, member
from pic import access
from pic.access import Roles

from .models import AgendaItem, Committee, CommitteeMember, Meeting


def _seat_rows(user):
    return access.role_rows(CommitteeMember.objects.current().filter(user=user),
                            number=F("committee_id"), text=F("committee__kind"),
                            flag=F("is_chair"))


def _seat_facts(rows) -> dict[str, Any]:
    committee_ids = tuple(committee for committee, _kind, _chair in rows)
    return {"committee_ids": committee_ids, "committee_member": bool(committee_ids),
            "chaired_committee_ids": tuple(c for c, _kind, chair in rows if chair),
            # The comité de gouvernance watches over the partnership: its members read the
            # portfolio (reporting's "portfolio.read" asks this fact).
            "governance_member": any(kind == Committee.Kind.GOUVERNANCE
                                     for _c, kind, _chair in rows)}


access.register_role_rows(_seat_rows, _seat_facts,
                          {"committee_ids": (), "committee_member": False,
                           "chaired_committee_ids": (), "governance_member": False})


def committee_id_of(obj: Any) -> int | None:
    if isinstance(obj, Committee):
        return obj.pk
    if isinstance(obj, Meeting):
        return obj.committee_id
    if isinstance(obj, AgendaItem):
        return obj.meeting.committee_id
    return None


def seated(roles: Roles, obj: Any) -> bool:
    """A current member of the committee that decides (the item's, the meeting's)."""
    return committee_id_of(obj) in roles.committee_ids


def chair_or_coordination(roles: Roles, obj: Any) -> bool:
    return roles.coordination or committee_id_of(obj) in roles.chaired_committee_ids


access.register_all(
    ["committee.seat", "meeting.manage", "ratification.record", "letter.issue",
     "letter.regenerate", "letter.send", "letter.template"],
    coordination, COORDINATION_ONLY)
access.register("letter.acknowledge", member, MEMBERS_ONLY)
access.register_all(["vote.cast", "recusal.declare"], seated,
                    _("Vous ne siégez pas au comité qui décide ce point."))
access.register_all(["vote.close", "vote.remind", "attendance.record", "minutes.upload"],
                    chair_or_coordination,
                    _("Réservé à la présidence du comité et à l'équipe de coordination PIC."))
access.register("analysis.write", follower,
                _("Seul·e la conseillère ou le conseiller du quartier, ou l'équipe de "
                  "coordination, rédige l'analyse."))
