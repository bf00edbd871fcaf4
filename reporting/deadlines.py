"""What falls due for one person, by day: the calendar page (month grid and list) and the
private iCalendar feed read the same list, so they never disagree.

- submission windows (opening and deadline): everyone (the program's public calendar);
- reports not yet accepted: the members of their neighbourhood and its advisor;
- check-ins not yet held: the advisor of the neighbourhood;
- meetings: those who see them (their committees' members, coordination);
- ratification limits (eight weeks after the window's deadline) of the files not yet ratified:
  those who record ratifications (coordination).

One query a kind, bounded by the dates asked for.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import Meeting
from pic.access import can, roles_of
from pic.models import User
from proposals.models import Proposal, Window
from proposals.states import UNRATIFIED

from .models import CheckIn, Report

KINDS = {
    "window": gettext_lazy("Période de dépôt"),
    "report": gettext_lazy("Rapport à remettre"),
    "checkin": gettext_lazy("Bilan de mi-année"),
    "meeting": gettext_lazy("Rencontre de comité"),
    "ratification": gettext_lazy("Limite d'entérinement"),
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    day: datetime.date
    title: str
    url: str
    uid: str  # stable across feeds (iCalendar UID)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


def _windows(start, end) -> list[Deadline]:
    found = []
    for window in Window.objects.filter(Q(deadline__range=(start, end))
                                        | Q(opens_on__range=(start, end))):
        url = reverse("proposals:proposal-list")
        if window.opens_on and start <= window.opens_on <= end:
            found.append(Deadline("window", window.opens_on, _("Ouverture : %(w)s") % {
                "w": window.display_name}, url, f"window-open-{window.pk}"))
        if start <= window.deadline <= end:
            found.append(Deadline("window", window.deadline, _("Date limite : %(w)s") % {
                "w": window.display_name}, url, f"window-{window.pk}"))
    return found


def _reports(neighbourhood_ids, start, end) -> list[Deadline]:
    reports = (Report.objects.filter(allocation__neighbourhood_id__in=neighbourhood_ids,
                                     due_on__range=(start, end))
               .exclude(status=Report.Status.ACCEPTED)
               .select_related("allocation__proposal", "allocation__neighbourhood",
                               "allocation_year"))
    return [Deadline("report", r.due_on, f"{r} ({r.allocation.neighbourhood.name})",
                     reverse("reporting:report-detail", args=[r.pk]), f"report-{r.pk}")
            for r in reports]


def _checkins(neighbourhood_ids, start, end) -> list[Deadline]:
    checkins = (CheckIn.objects.filter(
        allocation_year__allocation__neighbourhood_id__in=neighbourhood_ids,
        held_on__isnull=True, due_on__range=(start, end))
        .select_related("allocation_year__allocation__neighbourhood"))
    return [Deadline("checkin", c.due_on, _("Bilan de mi-année : %(q)s") % {
        "q": c.allocation_year.allocation.neighbourhood.name},
        reverse("reporting:checkin-record", args=[c.pk]), f"checkin-{c.pk}") for c in checkins]


def _meetings(user, start, end) -> list[Deadline]:
    meetings = (Meeting.objects.visible_to(user).filter(held_on__range=(start, end))
                .select_related("committee"))
    return [Deadline("meeting", m.held_on, f"{m.title} ({m.committee.display_name})",
                     reverse("governance:meeting-detail", args=[m.pk]), f"meeting-{m.pk}")
            for m in meetings]


def _ratifications(user, start, end) -> list[Deadline]:
    """Each undecided file's eight-week limit (kept on the file: proposals.ratification_limit)."""
    pending = (Proposal.objects.visible_to(user)
               .filter(ratification_due_on__range=(start, end), status__in=UNRATIFIED)
               .select_related("neighbourhood"))
    return [Deadline("ratification", p.ratification_due_on,
                     _("À entériner : %(p)s (%(q)s)") % {"p": p.title, "q": p.neighbourhood.name},
                     reverse("proposals:proposal-detail", args=[p.pk]), f"ratification-{p.pk}")
            for p in pending]


def deadlines_for(*, user: User, start: datetime.date, end: datetime.date) -> list[Deadline]:
    """Everything that concerns `user` from `start` to `end` (both included), by day."""
    roles = roles_of(user)
    found: list[Deadline] = []
    found += _windows(start, end)
    own = {*roles.neighbourhood_ids, *roles.advised_ids}
    if own:
        found += _reports(own, start, end)
    if roles.advised_ids:
        found += _checkins(roles.advised_ids, start, end)
    found += _meetings(user, start, end)
    if can(user, "ratification.record"):
        found += _ratifications(user, start, end)
    return sorted(found, key=lambda d: (d.day, d.kind, d.title))
