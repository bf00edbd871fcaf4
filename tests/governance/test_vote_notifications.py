"""Governance's notifications: the vote opened to those who may vote, reminders and the eve
of the meeting to those who have not voted, the recommendation to the table."""

import datetime

from governance import services
from governance.models import Vote
from governance.services.votes import votes_closing_soon_notify
from pic.models import Notification


def kinds_of(user):
    return set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_vote_opens_for_eligible_members_only(tq_saint_michel, item, member, member2,
                                                 cmtq_delegate):
    assert "vote.opened" in kinds_of(member.user)
    assert "vote.opened" not in kinds_of(cmtq_delegate.user)  # recused
    assert "agenda.added" in kinds_of(cmtq_delegate.user)
    assert "agenda.added" in kinds_of(tq_saint_michel)


def test_the_eve_of_the_meeting_tells_who_has_not_voted_once(item, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    eve = item.meeting.held_on - datetime.timedelta(days=1)
    told = votes_closing_soon_notify(today=eve)
    assert told >= 1
    assert "vote.closing_soon" in kinds_of(member2.user)
    assert "vote.closing_soon" not in kinds_of(member.user)
    assert votes_closing_soon_notify(today=eve) == 0  # a rerun tells nobody again


def test_the_table_hears_the_recommendation(item, chair, member, member2, tq_saint_michel):
    for seat in (chair, member, member2):
        services.vote_cast(item=item, actor=seat.user, choice=Vote.Choice.FOR)
    services.item_close(item=item, actor=chair.user)
    assert "recommendation.recorded" in kinds_of(tq_saint_michel)
