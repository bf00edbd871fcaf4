"""The "what to do next" page: the person's items (the same as their daily digest) in groups,
each showing its soonest TODO_ROWS with a link to the whole list, a page at a time, when
there are more (coordination staff are reminded of every overdue check-in and decision of
the program: thousands at scale). Each group is read already bounded, in SQL."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pic.models import User

from .services.reminders import Due, todo_for

TODO_ROWS = 20
# kind prefix, heading, the list holding all of them (a page at a time)
GROUPS = (
    ("window_closing", _("Périodes de dépôt"), "proposals:proposal-list", ""),
    ("report", _("Rapports"), "reporting:report-list", ""),
    ("checkin", _("Bilans de mi-année"), "reporting:checkin-list", "?held=todo"),
    ("decision", _("Décisions à entériner"), "reporting:overdue-decisions", ""),
)


@dataclass(frozen=True)
class TodoGroup:
    title: str
    items: list[Due]
    more_url: str  # "" when every item is shown


def todo_groups(*, user: User, today: datetime.date, rows: int = TODO_ROWS) -> list[TodoGroup]:
    items = todo_for(user=user, today=today, limit=rows)
    groups = []
    for prefix, title, url_name, query in GROUPS:
        mine = [due for due in items if due.kind.startswith(prefix)]
        if mine:
            more = reverse(url_name) + query if len(mine) > rows else ""
            groups.append(TodoGroup(title, mine[:rows], more))
    return groups


__all__ = ["TODO_ROWS", "TodoGroup", "todo_groups"]
