"""Meetings, their agendas, automatic recusals and attendance."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from neighbourhoods.selectors import people_of
from pic.access import SYSTEM, ensure
from pic.audit import audit
from pic.bulk import BulkResult, each_in_its_own_transaction
from pic.models import User
from pic.notifications import notify
from proposals.models import Proposal

from ..agenda_sources import agenda_source
from ..models import (
    AgendaItem,
    Attendance,
    Committee,
    CommitteeMember,
    Meeting,
    Recusal,
    Vote,
)
from ..selectors import (
    DECIDABLE,
    automatic_recusal,
)


@transaction.atomic
def meeting_create(
    *, committee: Committee, title: str, held_on: datetime.date, actor: User,
    location: str = "", quorum_rule: str = "",
) -> Meeting:
    ensure(actor, "meeting.manage", committee)
    meeting = Meeting.objects.create(committee=committee, title=title, held_on=held_on,
                                     location=location, quorum_rule=quorum_rule)
    audit(actor, "meeting.created", meeting, committee=committee.kind,
          held_on=held_on.isoformat())
    return meeting


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, proposal: Proposal, actor: User,
                    kind: str = AgendaItem.Kind.ALLOCATION,
                    number: int | None = None) -> AgendaItem:
    """Put a proposal's allocation on the agenda; or, with another `kind`, an item of a
    registered source (governance.agenda_sources) about that proposal: the source's own
    service checks its rules first and gives the `number` of what it decides."""
    ensure(actor, "meeting.manage", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if kind == AgendaItem.Kind.ALLOCATION:
        existing = AgendaItem.objects.filter(meeting=meeting, proposal=proposal,
                                             kind=kind).first()
        if existing is not None:
            return existing
        if proposal.status not in DECIDABLE:
            raise ValidationError(
                {"proposal": _("Seule une proposition en analyse et pas encore décidée peut "
                               "être inscrite à l'ordre du jour.")})
    else:
        agenda_source(kind)  # an unknown kind is a programming error
    position = (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1
    item = AgendaItem.objects.create(meeting=meeting, proposal=proposal, position=position,
                                     kind=kind, number=number)
    recusals_record_automatic(item=item)
    audit(actor, "agenda_item.added", item, meeting=meeting.pk, proposal=proposal.pk,
          kind=kind)
    seated = CommitteeMember.objects.current().filter(committee_id=meeting.committee_id)
    notify("agenda.added", [*people_of(proposal.neighbourhood_id, members=True, advisors=True),
                            *seated.values_list("user_id", flat=True)],
           proposal, actor=actor, event=f"item{item.pk}")
    from ..selectors import eligible_members

    notify("vote.opened", eligible_members(item).values_list("user_id", flat=True), item,
           actor=actor)
    return item



def recusals_record_automatic(*, item: AgendaItem) -> None:
    """Write the automatic recusals of the committee's current members (idempotent)."""
    proposal = Proposal.objects.select_related("neighbourhood").get(pk=item.proposal_id)
    already = set(item.recusals.values_list("member_id", flat=True))
    members = (CommitteeMember.objects.current().select_related("organisation")
               .filter(committee_id=item.meeting.committee_id).exclude(pk__in=already))
    for member in members:
        reason = automatic_recusal(member, proposal)
        if reason is not None:
            Recusal.objects.create(item=item, member=member, reason=reason)
            audit(SYSTEM, "recusal.recorded", item, member=member.pk, reason=reason)



@transaction.atomic
def attendance_set(*, meeting: Meeting, present: list[CommitteeMember], actor: User) -> None:
    """Record who is present. A member who has voted on an open item stays present."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure(actor, "attendance.record", meeting)
    wanted = {m.pk for m in present}
    if any(m.committee_id != meeting.committee_id for m in present):
        raise ValidationError(_("Une de ces personnes ne siège pas à ce comité."))
    voted = set(Vote.objects.filter(item__meeting=meeting).values_list("member_id", flat=True))
    current = set(meeting.attendances.values_list("member_id", flat=True))
    removed = current - wanted - voted
    added = wanted - current
    Attendance.objects.filter(meeting=meeting, member_id__in=removed).delete()
    Attendance.objects.bulk_create([Attendance(meeting=meeting, member_id=pk) for pk in added])
    if added or removed:
        audit(actor, "meeting.attendance", meeting, added=sorted(added), removed=sorted(removed))


def agenda_items_add(*, meeting: Meeting, proposals: list[Proposal],
                     actor: User) -> BulkResult:
    """Put several proposals on one meeting's agenda: each in its own transaction (a refused
    one is named in the result, the others are added). Returns a pic.bulk.BulkResult."""

    ensure(actor, "meeting.manage", meeting)
    return each_in_its_own_transaction(
        proposals, lambda proposal: agenda_item_add(meeting=meeting, proposal=proposal,
                                                    actor=actor))
