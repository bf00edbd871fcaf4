"""The ratification watch-list: what is awaiting a decision (sorted by each file's eight-week
limit, kept on the file by proposals/ratification_limit.py, the one place of that rule), the
rows of the page, the counts, the recommendations a deliberation may ratify and the recent
deliberations."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from pic import figures
from pic.access import can
from pic.models import User
from proposals.models import Proposal
from proposals.models.files import ACTIONABLE
from proposals.states import AWAITING_RATIFICATION
from proposals.states import UNDECIDED as UNDECIDED

from .models import (
    AgendaItem,
    Meeting,
    Ratification,
    RatificationAct,
)

# --- States, seats, recusals and tallies (read by the services too) ----------------------

# Groups of the proposal's states, derived from its table (proposals.states): UNDECIDED may
# still be analysed and put on an agenda, DECIDABLE may be decided by a committee, PUBLISHED
# (ratified and after) is shown to the neighbourhood.

AT_RISK_DAYS = 14  # a file is at risk when its limit is this near


@dataclass(frozen=True)
class RatificationRow:
    proposal: Proposal
    deadline: datetime.date | None
    days_left: int | None

    @property
    def late(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def at_risk(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= AT_RISK_DAYS

    @property
    def delay_label(self) -> str:
        """The time left, in words ("en retard de 1 646 jours", "il reste 7 jours"), in the
        active language; numbers grouped as the locale writes them."""
        if self.days_left is None:
            return ""
        days = abs(self.days_left)
        n = number_format(days, force_grouping=True)
        if self.days_left < 0:
            return ngettext("en retard de %(n)s jour", "en retard de %(n)s jours",
                            days) % {"n": n}
        if self.days_left == 0:
            return gettext("dernier jour")
        return ngettext("il reste %(n)s jour", "il reste %(n)s jours", days) % {"n": n}


def awaiting_decision(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Files on the road to a ratification and not ratified yet, with a window: what the
    eight-week limit watches (the dashboard and the daily reminders read this one rule)."""
    ratified = Ratification.objects.filter(proposal=OuterRef("pk"))
    return proposals.filter(status__in=AWAITING_RATIFICATION, window__isnull=False).exclude(
        Exists(ratified))


def _refused(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposals.filter(status=Proposal.Status.NOT_RECOMMENDED)


def ratification_watchlist(*, user: User, closed: bool = False) -> QuerySet[Proposal]:
    """What the ratifying staff have to act on, soonest deadline first: files awaiting a
    decision, and refused files whose refusal letter is not written yet. `closed`: the refused
    files whose letter is written (nothing left to do). Sorted by each file's limit,
    `ratification_due_on` (kept on the file: proposals/ratification_limit.py), which an index
    serves; wrap the page's rows in `ratification_rows`."""
    if not can(user, "ratification.record"):
        return Proposal.objects.none()
    visible = Proposal.objects.visible_to(user).filter(window__isnull=False)
    if closed:
        rows = _refused(visible).filter(refusal_letter_written=True)
        order = ("-ratification_due_on", "-pk")
    else:
        # one filter the page's index serves (a refused file is never ratified; it leaves
        # the index once its letter is written: proposals.models.files.ACTIONABLE)
        rows = (visible.filter(ACTIONABLE)
                .exclude(Exists(Ratification.objects.filter(proposal=OuterRef("pk")))))
        order = ("ratification_due_on", "pk")
    return (rows.select_related("neighbourhood")  # only what the page's rows show
            .only("title", "status", "ratification_due_on", "neighbourhood__name")
            .order_by(*order))


def ratification_rows(proposals, *, today: datetime.date | None = None
                      ) -> list[RatificationRow]:
    """The rows of one page of `ratification_watchlist`, with the days left."""
    today = today or timezone.localdate()
    return [RatificationRow(proposal=p, deadline=p.ratification_due_on,
                            days_left=(p.ratification_due_on - today).days)
            for p in proposals]


def ratification_counts(*, user: User, today: datetime.date | None = None) -> dict[str, int]:
    """How many actionable files are late and at risk: one aggregate query, kept between
    views for coordination staff (pic.figures)."""
    if not can(user, "ratification.record"):  # before the shared figures: none of theirs
        return {"late": 0, "at_risk": 0, "total": 0}
    today = today or timezone.localdate()
    risk = today + datetime.timedelta(days=AT_RISK_DAYS)
    return figures.read_for(user, {"ratification_counts": lambda: (
        ratification_watchlist(user=user).order_by().aggregate(
            late=Count("pk", filter=Q(ratification_due_on__lt=today)),
            at_risk=Count("pk", filter=Q(ratification_due_on__gte=today,
                                         ratification_due_on__lte=risk)),
            total=Count("pk")))}, today=today)["ratification_counts"]


def recommendations_to_ratify(*, user: User, meeting: Meeting | None = None
                              ) -> QuerySet[Proposal]:
    """Recommended proposals waiting for the ratifying body: all of them, or those the
    committee recommended at `meeting` (the common case: one act for one meeting)."""
    proposals = (Proposal.objects.visible_to(user)
                 .filter(status=Proposal.Status.RECOMMENDED, ratification__isnull=True)
                 .select_related("neighbourhood", "stage__program", "window")
                 .order_by("neighbourhood__name", "pk"))
    if meeting is not None:
        proposals = proposals.filter(agenda_items__meeting=meeting,
                                     agenda_items__result=AgendaItem.Result.RECOMMENDED)
    return proposals


def ratification_act_list(*, user: User) -> QuerySet[RatificationAct]:
    if not can(user, "ratification.record"):
        return RatificationAct.objects.none()
    return (RatificationAct.objects.select_related("committee", "source_meeting")
            .annotate(ratified=Count("ratifications")).order_by("-held_on", "-pk"))
