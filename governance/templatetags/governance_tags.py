"""What a committee member's home page shows: coming meetings and the items awaiting a vote."""

from django import template
from django.utils import timezone

from governance import selectors

register = template.Library()


@register.simple_tag
def committee_agenda(user) -> dict:
    return {
        "meetings": list(selectors.meeting_list(user=user)
                         .filter(held_on__gte=timezone.localdate())
                         .order_by("held_on", "pk")[:10]),
        "items": list(selectors.items_to_vote(user=user)[:50]),
    }
