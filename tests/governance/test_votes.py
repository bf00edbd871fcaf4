"""Votes, recusals, quorum and closing, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from governance import selectors, services
from governance.models import AgendaItem, Attendance, QuorumRule, Recusal, Vote
from pic.models import AuditEvent
from proposals.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db


def test_cmtq_delegate_vote_refused_by_the_service_with_the_reason(item, cmtq_delegate):
    with pytest.raises(PermissionDenied, match="récusé"):
        services.vote_cast(item=item, actor=cmtq_delegate.user, choice=Vote.Choice.FOR)
    assert not Vote.objects.exists()


def test_cmtq_recusal_recorded_with_its_reason_when_the_item_is_added(item, cmtq_delegate):
    recusal = Recusal.objects.get(item=item, member=cmtq_delegate)
    assert recusal.reason == Recusal.Reason.ORGANISATION


def test_member_of_the_neighbourhoods_table_is_recused_automatically(
        meeting, proposal, coordination, gestion, chair):
    tq_seat = factories.make_committee_member(gestion, organisation=proposal.neighbourhood
                                              .organisation)
    item = services.agenda_item_add(meeting=meeting, proposal=proposal, actor=coordination)
    assert Recusal.objects.get(item=item, member=tq_seat).reason == Recusal.Reason.NEIGHBOURHOOD
    with pytest.raises(PermissionDenied):
        services.vote_cast(item=item, actor=tq_seat.user, choice=Vote.Choice.FOR)


def test_member_seated_after_the_agenda_was_built_is_still_refused(item, gestion, cmtq):
    late = factories.make_committee_member(gestion, organisation=cmtq)
    with pytest.raises(PermissionDenied):
        services.vote_cast(item=item, actor=late.user, choice=Vote.Choice.AGAINST)


def test_conflict_declaration_recuses_the_member(item, member):
    services.recusal_declare(item=item, actor=member.user, details="Je siège au CA du groupe.")
    recusal = Recusal.objects.get(item=item, member=member)
    assert recusal.reason == Recusal.Reason.CONFLICT
    assert recusal.details == "Je siège au CA du groupe."
    with pytest.raises(PermissionDenied):
        services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    assert member.pk not in set(selectors.eligible_members(item).values_list("pk", flat=True))


def test_conflict_declaration_needs_a_reason(item, member):
    with pytest.raises(ValidationError):
        services.recusal_declare(item=item, actor=member.user, details="  ")


def test_conflict_after_voting_withdraws_the_vote_never_both(item, member):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.recusal_declare(item=item, actor=member.user, details="Lien familial")
    assert not Vote.objects.filter(item=item, member=member).exists()
    assert Recusal.objects.filter(item=item, member=member).exists()
    assert AuditEvent.objects.filter(verb="vote.withdrawn").exists()


def test_vote_changeable_until_closed_one_row(item, member):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.AGAINST)
    assert Vote.objects.get(item=item, member=member).choice == Vote.Choice.AGAINST
    assert Vote.objects.filter(item=item).count() == 1
    assert AuditEvent.objects.filter(verb="vote.changed").count() == 1


def test_voting_records_attendance(item, member):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    assert Attendance.objects.filter(meeting=item.meeting, member=member).exists()


def test_person_not_on_the_committee_cannot_vote(item, partenaires):
    outsider = factories.make_committee_member(partenaires)
    with pytest.raises(PermissionDenied):
        services.vote_cast(item=item, actor=outsider.user, choice=Vote.Choice.FOR)


def test_quorum_excludes_recused_members(item, chair, member, member2, cmtq_delegate):
    # 4 seats, CMTQ recused: 3 eligible, quorum 2; the CMTQ's presence does not count.
    services.attendance_set(meeting=item.meeting, present=[cmtq_delegate, member],
                            actor=chair.user)
    tally = selectors.item_tally(item)
    assert (tally.eligible, tally.present, tally.quorum_needed) == (3, 1, 2)
    assert not tally.quorum_met
    services.recusal_declare(item=item, actor=member2.user, details="Conflit")
    tally = selectors.item_tally(item)
    assert (tally.eligible, tally.present, tally.quorum_needed) == (2, 1, 2)


def test_close_refused_without_quorum(item, chair, member):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    with pytest.raises(ValidationError, match="Quorum"):
        services.item_close(item=item, actor=chair.user)
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.OPEN


def test_majority_of_votes_cast_recommends(item, chair, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.ABSTAIN)
    item = services.item_close(item=item, actor=chair.user)
    assert item.result == AgendaItem.Result.RECOMMENDED
    assert (item.votes_for, item.votes_against, item.votes_abstain) == (1, 0, 1)
    assert (item.eligible_count, item.present_count) == (3, 2)
    item.proposal.refresh_from_db()
    assert item.proposal.status == Proposal.Status.RECOMMENDED


def test_tie_is_not_recommended(item, chair, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.AGAINST)
    item = services.item_close(item=item, actor=chair.user, reasons="Préalables non remplis")
    assert item.result == AgendaItem.Result.NOT_RECOMMENDED
    item.proposal.refresh_from_db()
    assert item.proposal.status == Proposal.Status.NOT_RECOMMENDED


def test_two_thirds_rule_configured_on_the_meeting(item, chair, member, member2):
    item.meeting.quorum_rule = QuorumRule.TWO_THIRDS
    item.meeting.save()
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    tally = selectors.item_tally(AgendaItem.objects.get(pk=item.pk))
    assert (tally.eligible, tally.quorum_needed, tally.quorum_met) == (3, 2, False)


def test_only_the_chair_closes(item, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.FOR)
    with pytest.raises(PermissionDenied):
        services.item_close(item=item, actor=member.user)


def test_closed_item_cannot_change(item, chair, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.FOR)
    services.item_close(item=item, actor=chair.user)
    with pytest.raises(ValidationError, match="fermé"):
        services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.AGAINST)
    with pytest.raises(ValidationError, match="fermé"):
        services.vote_cast(item=item, actor=chair.user, choice=Vote.Choice.AGAINST)
    with pytest.raises(ValidationError, match="fermé"):
        services.recusal_declare(item=item, actor=member2.user, details="Trop tard")
    again = services.item_close(item=item, actor=chair.user)  # a double click changes nothing
    assert again.votes_for == 2
    assert Vote.objects.get(item=item, member=member).choice == Vote.Choice.FOR


def test_everything_is_audited(item, chair, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.FOR)
    services.item_close(item=item, actor=chair.user)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"agenda_item.added", "recusal.recorded", "vote.cast", "agenda_item.closed",
            "proposal.recommend"} <= verbs


def test_reminder_emails_only_those_who_have_not_voted(item, chair, member, member2, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.vote_reminder_send(item=item, actor=chair.user)
    # chair and member2 have not voted; the CMTQ delegate is recused and not reminded.
    assert count == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["chair@example.org", "membre2@example.org"]


def test_reminder_refused_to_an_ordinary_member(item, member):
    with pytest.raises(PermissionDenied):
        services.vote_reminder_send(item=item, actor=member.user)
