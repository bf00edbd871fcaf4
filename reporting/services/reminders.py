"""Daily reminders and "what to do next".

`due_items(today)` is the one list of what each person has to do: the daily digest emails it
and the "what to do next" page shows it, so they never disagree.

- windows closing in 14, 7 and 1 days → members of neighbourhoods with a draft proposal for a
  stage the window accepts, or a letter of intent and no proposal yet in the program
  (optional; a neighbourhood whose deadline was extended: 14, 7 and 1 days before its own,
  extended deadline);
- reports due in 30 (optional) and 7 days, and overdue → members (overdue: their advisor too);
- check-ins due within 14 days (optional) or overdue → the advisor (overdue: staff too);
- decisions nearing the eight-week limit (14 and 7 days, passed) → coordination staff.

Each reminder is recorded once (person, kind, object, due date); a person gets at most one
email a day, in their language, listing every reminder recorded for them and not yet emailed.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from governance.selectors import awaiting_decision
from neighbourhoods.models import AdvisorAssignment, Membership, StaffRole
from pic import outbox
from pic.access import roles_of
from pic.audit import audit
from pic.formatting import format_date
from pic.models import User
from proposals.models import LetterOfIntent, Proposal, Window, WindowExtension

from ..models import CheckIn, ReminderPreference, ReminderSent, Report
from ..selectors import REPORT_LONG_TEXT

WINDOW_DAYS = (1, 7, 14)
REPORT_DAYS = (7, 30)
CHECKIN_SOON_DAYS = 14
DECISION_DAYS = (7, 14)

# kind prefix -> the preference that can turn it off (kinds not listed are always sent)
OPTIONAL = {"window_closing": "window_closing", "report_due_30": "report_due_early",
            "checkin_due": "checkin_due"}


def _bucket(days_left: int, thresholds: tuple[int, ...]) -> int | None:
    """The smallest threshold the days left fall within (so a missed day still reminds)."""
    for threshold in thresholds:
        if 0 <= days_left <= threshold:
            return threshold
    return None


@dataclass(frozen=True)
class Due:
    kind: str
    obj: models.Model
    due_on: datetime.date
    today: datetime.date

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def preference(self) -> str | None:
        for prefix, field in OPTIONAL.items():
            if self.kind.startswith(prefix):
                return field
        return None

    @property
    def text(self) -> str:
        """In the active language (the digest sets the person's)."""
        when = format_date(self.due_on)
        obj = self.obj
        if self.kind.startswith("window_closing") and self.due_on != obj.deadline:
            return ngettext("Votre date limite prolongée pour la période de dépôt « %(w)s » est "
                            "le %(d)s (dans %(n)s jour).",
                            "Votre date limite prolongée pour la période de dépôt « %(w)s » est "
                            "le %(d)s (dans %(n)s jours).", self.days_left) % {
                "w": obj.name, "d": when, "n": self.days_left}
        if self.kind.startswith("window_closing"):
            return ngettext("La période de dépôt « %(w)s » se termine le %(d)s (dans %(n)s jour).",
                            "La période de dépôt « %(w)s » se termine le %(d)s (dans %(n)s "
                            "jours).", self.days_left) % {
                "w": obj.name, "d": when, "n": self.days_left}
        if self.kind.startswith("report"):
            if self.overdue:
                return _("%(r)s : en retard, attendu le %(d)s.") % {"r": obj, "d": when}
            return _("%(r)s : à remettre le %(d)s.") % {"r": obj, "d": when}
        if self.kind.startswith("checkin"):
            neighbourhood = obj.neighbourhood
            if self.overdue:
                return _("Bilan de mi-année de %(q)s : en retard, prévu le %(d)s.") % {
                    "q": neighbourhood, "d": when}
            return _("Bilan de mi-année de %(q)s à tenir d'ici le %(d)s.") % {
                "q": neighbourhood, "d": when}
        if self.overdue:
            return _("Décision sur « %(p)s » : le délai de huit semaines est dépassé depuis le "
                     "%(d)s.") % {"p": obj, "d": when}
        return _("Décision sur « %(p)s » à entériner d'ici le %(d)s.") % {"p": obj, "d": when}

    @property
    def url(self) -> str:
        if self.kind.startswith("window_closing"):
            return reverse("proposals:proposal-list")
        if self.kind.startswith("report"):
            return reverse("reporting:report-detail", args=[self.obj.pk])
        if self.kind.startswith("checkin"):
            return reverse("reporting:checkin-record", args=[self.obj.pk])
        return reverse("proposals:proposal-detail", args=[self.obj.pk])


def _stages_and_extensions(windows, scope: "_Scope"):
    """window id -> its stage ids, and window id -> {neighbourhood id: extended deadline}, in
    one query (`windows`: a subquery of window ids; an empty side of a UNION is left out)."""
    stages = (Window.stages.through.objects.filter(window_id__in=windows)
              .annotate(kind=Value("stage"), other=models.F("stage_id"),
                        on=Value(None, output_field=models.DateField()))
              .values_list("kind", "window_id", "other", "on"))
    extensions = (WindowExtension.objects.filter(window_id__in=windows)
                  .filter(scope.neighbourhoods("neighbourhood_id", advisors=False))
                  .annotate(kind=Value("extension"), other=models.F("neighbourhood_id"),
                            on=models.F("new_deadline"))
                  .values_list("kind", "window_id", "other", "on"))
    stage_ids: dict[int, set[int]] = defaultdict(set)
    extended: dict[int, dict[int, datetime.date]] = defaultdict(dict)
    for kind, window_id, other_id, on in stages.order_by().union(extensions.order_by(),
                                                                 all=True):
        if kind == "stage":
            stage_ids[window_id].add(other_id)
        else:
            extended[window_id][other_id] = on
    return stage_ids, extended


def _drafts_and_letters(programs, scope: "_Scope"):
    """("draft", neighbourhood, stage) for each draft proposal and ("letter", neighbourhood,
    program) for each letter of intent of a neighbourhood with no proposal yet in its program
    (a letter counts until then), in the programs of `programs` (a subquery), in one query."""
    drafts = (Proposal.objects.filter(status=Proposal.Status.DRAFT,
                                      stage__program_id__in=programs)
              .filter(scope.neighbourhoods("neighbourhood_id", advisors=False))
              .annotate(kind=Value("draft"), other=models.F("stage_id"))
              .values_list("kind", "neighbourhood_id", "other"))
    started = Proposal.objects.filter(neighbourhood_id=OuterRef("neighbourhood_id"),
                                      stage__program_id=OuterRef("program_id"))
    letters = (LetterOfIntent.objects.filter(program_id__in=programs)
               .filter(scope.neighbourhoods("neighbourhood_id", advisors=False))
               .exclude(Exists(started))
               .annotate(kind=Value("letter"), other=models.F("program_id"))
               .values_list("kind", "neighbourhood_id", "other"))
    return drafts.order_by().union(letters.order_by(), all=True)


def _staff(only_user) -> list[int]:
    if only_user is not None:  # from the person's roles, read once a request
        return [only_user.pk] if roles_of(only_user).coordination else []
    rows = StaffRole.objects.active().filter(role=StaffRole.Role.COORDINATION)
    return list(rows.values_list("user_id", flat=True))


class _Scope:
    """Whose reminders are computed: everyone's (the daily run), or one person's (their to-do
    page): then every query is narrowed in SQL to that person's neighbourhoods (their active
    memberships and assignments, from their roles, read once a request), so an index on the
    neighbourhood serves each of them."""

    def __init__(self, user: User | None):
        self.user = user
        roles = roles_of(user)
        self.member_of: set[int] = set(roles.neighbourhood_ids) if user is not None else set()
        self.advising: set[int] = set(roles.advised_ids) if user is not None else set()

    def neighbourhoods(self, path: str, *, members: bool = True, advisors: bool = True) -> Q:
        if self.user is None:
            return Q()
        ids = (self.member_of if members else set()) | (self.advising if advisors else set())
        return Q(**{f"{path}__in": sorted(ids)})

    def members(self, ids) -> dict[int, list[int]]:
        """neighbourhood id -> its members' ids, for the neighbourhoods `ids`: for one person,
        read from their own memberships (no query)."""
        if self.user is not None:
            return {n: [self.user.pk] for n in ids if n in self.member_of}
        return _people_by_neighbourhood(Membership.objects.active(), ids, "user_id")

    def advisors(self, ids) -> dict[int, list[int]]:
        """neighbourhood id -> its advisors' ids (as `members`)."""
        if self.user is not None:
            return {n: [self.user.pk] for n in ids if n in self.advising}
        return _people_by_neighbourhood(AdvisorAssignment.objects.active(), ids, "advisor_id")


def _people_by_neighbourhood(rows, ids, person: str) -> dict[int, list[int]]:
    result: dict[int, list[int]] = defaultdict(list)
    for neighbourhood_id, user_id in rows.filter(neighbourhood_id__in=ids).values_list(
            "neighbourhood_id", person):
        result[neighbourhood_id].append(user_id)
    return result


def _first(queryset, limit: int | None, *order: str):
    """The soonest `limit` + 1 rows (to tell whether there are more), or all of them."""
    return queryset if limit is None else queryset.order_by(*order, "pk")[:limit + 1]


def due_items(*, today: datetime.date, only_user: User | None = None,
              limit: int | None = None) -> dict[int, list[Due]]:
    """user id -> what that person has to do, soonest first. A constant number of queries;
    `only_user`: that person's items only, each query narrowed to them in SQL, and with
    `limit` (a page's) the reports, check-ins and decisions read are each the soonest
    `limit` + 1 (every row read is then one of that person's items)."""
    items: dict[int, list[Due]] = defaultdict(list)
    scope = _Scope(only_user)
    staff = _staff(only_user)

    # Windows closing soon, to neighbourhoods with a draft or a letter of intent; a
    # neighbourhood whose deadline was extended is reminded of its own, extended deadline.
    horizon = today + datetime.timedelta(days=max(WINDOW_DAYS))
    closing = Window.objects.filter(
        Q(deadline__gte=today, deadline__lte=horizon)
        | Q(extensions__new_deadline__gte=today, extensions__new_deadline__lte=horizon))
    windows = list(closing.distinct().order_by("pk"))
    # Whether or not a window closes soon, the same queries run (subqueries, not id lists):
    # the windows' stages and extensions in one, the drafts and letters of intent in one.
    stage_ids, extended = _stages_and_extensions(closing.values("pk"), scope)
    programs = closing.values("program_id")
    drafts: set[tuple[int, int]] = set()
    letters: set[tuple[int, int]] = set()
    for kind, neighbourhood_id, other_id in _drafts_and_letters(programs, scope):
        (drafts if kind == "draft" else letters).add((neighbourhood_id, other_id))
    neighbourhood_ids = {n for n, _s in drafts} | {n for n, _p in letters}
    members = scope.members(neighbourhood_ids)
    for window in windows:
        concerned = {n for n, s in drafts if s in stage_ids[window.pk]}
        concerned |= {n for n, p in letters if p == window.program_id}
        for neighbourhood_id in concerned:
            deadline = extended[window.pk].get(neighbourhood_id, window.deadline)
            bucket = _bucket((deadline - today).days, WINDOW_DAYS)
            if bucket is None:
                continue
            for user_id in members.get(neighbourhood_id, []):
                items[user_id].append(Due(f"window_closing_{bucket}", window,
                                          deadline, today))

    # Reports due in 30 and 7 days, and overdue.
    reports = list(_first(Report.objects.to_hand_in().filter(
        due_on__lte=today + datetime.timedelta(days=max(REPORT_DAYS)),
    ).filter(scope.neighbourhoods("neighbourhood_id"))
        .select_related("allocation__proposal__neighbourhood", "allocation_year")
        .defer(*REPORT_LONG_TEXT, *(f"allocation__proposal__{f}" for f in Proposal.LONG_TEXT)),
        limit, "due_on"))
    ids = {r.neighbourhood_id for r in reports}
    members, advisors = scope.members(ids), scope.advisors(ids)
    for report in reports:
        days_left = (report.due_on - today).days
        neighbourhood_id = report.neighbourhood_id
        if days_left < 0:
            for user_id in members.get(neighbourhood_id, []) + advisors.get(neighbourhood_id, []):
                items[user_id].append(Due("report_overdue", report, report.due_on, today))
        else:
            kind = f"report_due_{_bucket(days_left, REPORT_DAYS)}"
            for user_id in members.get(neighbourhood_id, []):
                items[user_id].append(Due(kind, report, report.due_on, today))

    # Check-ins due soon or overdue.
    followed = scope.neighbourhoods("neighbourhood_id", members=False)
    if staff:  # coordination staff are reminded of every overdue check-in
        followed |= Q(due_on__lt=today)
    checkins = list(_first(CheckIn.objects.filter(
        held_on__isnull=True, due_on__lte=today + datetime.timedelta(days=CHECKIN_SOON_DAYS),
        allocation_year__allocation__status="active",
    ).filter(followed).select_related("neighbourhood")
        .defer("participants", "summary", "follow_ups"), limit, "due_on"))
    ids = {c.neighbourhood_id for c in checkins}
    advisors = scope.advisors(ids)
    for checkin in checkins:
        neighbourhood_id = checkin.neighbourhood_id
        if checkin.due_on < today:
            for user_id in set(advisors.get(neighbourhood_id, [])) | set(staff):
                items[user_id].append(Due("checkin_overdue", checkin, checkin.due_on, today))
        else:
            for user_id in advisors.get(neighbourhood_id, []):
                items[user_id].append(Due("checkin_due", checkin, checkin.due_on, today))

    # Decisions nearing the eight-week limit, to coordination staff: each file's limit is
    # kept on it (proposals.ratification_limit), filtered and sorted by its index.
    if staff:
        horizon = today + datetime.timedelta(days=max(DECISION_DAYS))
        pending = _first(awaiting_decision(Proposal.objects.all())
                         .filter(ratification_due_on__lte=horizon)
                         .select_related("neighbourhood").defer(*Proposal.LONG_TEXT), limit,
                         "ratification_due_on")
        for proposal in pending:
            deadline = proposal.ratification_due_on
            days_left = (deadline - today).days
            if days_left < 0:
                kind = "decision_overdue"
            else:
                kind = f"decision_deadline_{_bucket(days_left, DECISION_DAYS)}"
            for user_id in staff:
                items[user_id].append(Due(kind, proposal, deadline, today))

    for user_items in items.values():
        user_items.sort(key=lambda d: (d.due_on, d.kind, d.obj.pk))
    return dict(items)


def todo_for(*, user: User, today: datetime.date | None = None,
             limit: int | None = None) -> list[Due]:
    """The "what to do next" page: the same items as the digest (`limit`: see due_items)."""
    today = today or timezone.localdate()
    return due_items(today=today, only_user=user, limit=limit).get(user.pk, [])


def _wanted(items: list[Due], preference: ReminderPreference | None) -> list[Due]:
    if preference is None:
        return items
    return [d for d in items if d.preference is None or getattr(preference, d.preference)]


def reminders_run(*, today: datetime.date | None = None) -> int:
    """Record the day's new reminders, then queue one digest for each person who has
    reminders not yet emailed and got no email today (at most one a day: what comes up after
    today's email waits for tomorrow's). A rerun the same day records and sends nothing.
    Returns the number of digests queued."""
    from ..tasks import send_reminder_digests
    from .digests import DIGEST_BATCH

    today = today or timezone.localdate()
    items = due_items(today=today)
    preferences = {p.user_id: p for p in ReminderPreference.objects.filter(user_id__in=items)}
    active = set(User.objects.filter(pk__in=items, is_active=True).values_list("pk", flat=True))
    content_types: dict[type, int] = {}
    rows = []
    for user_id, user_items in items.items():
        if user_id not in active:
            continue
        for due in _wanted(user_items, preferences.get(user_id)):
            model = type(due.obj)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model).pk
            rows.append(ReminderSent(user_id=user_id, kind=due.kind,
                                     content_type_id=content_types[model], object_id=due.obj.pk,
                                     due_on=due.due_on, sent_on=today))
    with transaction.atomic():
        # Recorded once: a reminder already there (a rerun, yesterday's) is skipped by the
        # database's unique constraint, in bulk.
        ReminderSent.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        emailed_today = ReminderSent.objects.filter(emailed_on=today).values("user_id")
        pending = list(ReminderSent.objects.filter(emailed_on__isnull=True, user__is_active=True)
                       .exclude(user_id__in=emailed_today)
                       .order_by("user_id").values_list("user_id", flat=True).distinct())
        # One task a batch of people, named by its people: a rerun queues nothing new.
        batches = [pending[i:i + DIGEST_BATCH] for i in range(0, len(pending), DIGEST_BATCH)]
        outbox.schedule_many(send_reminder_digests, [
            ((batch, today.isoformat()), f"digest:{today.isoformat()}:{_batch_key(batch)}")
            for batch in batches])
    return len(pending)


@transaction.atomic
def reminder_preference_save(*, user: User, actor: User, **values: bool) -> ReminderPreference:
    """A person sets their own optional reminders."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("Chacun règle ses propres rappels."))
    preference, _created = ReminderPreference.objects.update_or_create(user=user,
                                                                       defaults=values)
    audit(actor, "reminders.preferences_saved", preference, **values)
    return preference


def _batch_key(user_ids: list[int]) -> str:
    """A short key naming a batch's people (an outbox key is at most 200 characters)."""
    return hashlib.sha256(",".join(map(str, user_ids)).encode()).hexdigest()[:32]


__all__ = ["Due", "due_items", "reminder_preference_save", "reminders_run",
           "todo_for"]
