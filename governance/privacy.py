"""Law 25, governance's part: committee seats, the votes and recusals a person cast or that
concern their seat; open seats end when a person is anonymised (votes stay, as decisions)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pic.access import SYSTEM
from pic.privacy.registry import Section
from pic.privacy.services import value

from . import services
from .models import CommitteeMember, Recusal, Vote


def collect(user) -> list[Section]:
    seats = CommitteeMember.objects.filter(user=user)
    return [
        Section("committee_seats", _("Sièges aux comités"), [
            {"committee": s.committee.name, "organisation": s.organisation.name,
             "chair": s.is_chair, "started_on": value(s.started_on),
             "ended_on": value(s.ended_on)}
            for s in seats.select_related("committee", "organisation").order_by("started_on")]),
        Section("votes", _("Votes"), [
            {"meeting": v.item.meeting.title, "held_on": value(v.item.meeting.held_on),
             "proposal": v.item.proposal.title, "vote": v.get_choice_display(),
             "cast_at": value(v.created_at), "changed_at": value(v.updated_at)}
            for v in Vote.objects.filter(member__in=seats)
            .select_related("item__meeting", "item__proposal").order_by("created_at", "pk")]),
        Section("recusals", _("Récusations"), [
            {"meeting": r.item.meeting.title, "proposal": r.item.proposal.title,
             "reason": r.get_reason_display(), "details": r.details,
             "declared_at": value(r.created_at)}
            for r in Recusal.objects.filter(Q(member__in=seats) | Q(created_by=user))
            .select_related("item__meeting", "item__proposal").order_by("created_at", "pk")]),
    ]


def anonymise(user) -> dict[str, int]:
    seats = CommitteeMember.objects.filter(user=user, ended_on__isnull=True)
    count = 0
    for seat in seats:
        services.committee_member_end(seat=seat, actor=SYSTEM)
        count += 1
    return {"roles_ended": count}
