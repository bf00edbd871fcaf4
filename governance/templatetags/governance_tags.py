"""What a committee member's home page shows: coming meetings and the first items awaiting a
vote, with how many there are in all (the full list: governance:items-to-vote)."""

from django import template
from django.utils import timezone

from governance import selectors

register = template.Library()


@register.simple_tag
def committee_agenda(user) -> dict:
    rows = selectors.open_items_with_recusal(user=user)
    total = selectors.items_to_vote(user=user).count()
    more = max(total - len(rows), 0)
    return {
        "meetings": selectors.upcoming_meetings(user=user, today=timezone.localdate()),
        # (item, recusal reason or None, voted): a recused member's items are not theirs to
        # vote on, and the home says so instead of listing them as waiting for their vote
        "to_vote": [(i, voted) for i, reason, voted in rows if reason is None],
        "recused": [(i, reason) for i, reason, _voted in rows if reason is not None],
        # every open item on the member's agendas; the home shows the first ones
        "total": max(total, len(rows)),
        "more": more,
        # open items there are, and the member is recused from every one: the home says why
        # none waits for their vote
        "all_recused": bool(rows) and not more and all(r is not None for _i, r, _v in rows),
    }
