"""What a committee member's home page shows: coming meetings and the items awaiting a vote."""

from django import template
from django.utils import timezone

from governance import selectors

register = template.Library()


@register.simple_tag
def committee_agenda(user) -> dict:
    rows = selectors.open_items_with_recusal(user=user)
    return {
        "meetings": list(selectors.meeting_list(user=user)
                         .filter(held_on__gte=timezone.localdate())
                         .order_by("held_on", "pk")[:10]),
        # (item, recusal reason or None, voted): a recused member's items are not theirs to
        # vote on, and the home says so instead of listing them as waiting for their vote
        "to_vote": [(i, voted) for i, reason, voted in rows if reason is None],
        "recused": [(i, reason) for i, reason, _voted in rows if reason is not None],
    }
