"""A large, realistic data set for measuring the application at scale (`manage.py seed_scale`).

Built on top of the demo (its program, stages, committees and accounts), by bulk inserts in
batches: no service is called per row, ids come back from `bulk_create`. Dates are relative to
today: the old files are closed, the recent ones in every state, a few hundred reports overdue.
Every person created here has an address under `@scale.example.org` and the demo password.

Access needs no row of its own: it is read from the memberships and advisor assignments
(pic.access). The audit events are written by `write_audit_events`, which chains them
(pic.audit_chain) as `audit()` would, one after the other.
"""

import datetime
import hashlib
import random
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from governance.models import (
    AgendaItem,
    Analysis,
    AnalysisPrerequisite,
    AnalysisYear,
    Attendance,
    Committee,
    CommitteeMember,
    DecisionLetter,
    Meeting,
    Ratification,
    Recusal,
    Vote,
)
from neighbourhoods.demo import DEMO_PASSWORD, TABLES_DE_QUARTIER
from neighbourhoods.models import (
    AdvisorAssignment,
    Membership,
    Neighbourhood,
    Organisation,
    StaffRole,
)
from pic.models import AuditEvent, User
from proposals.models import (
    Contact,
    EvaluationQuestion,
    Initiative,
    LetterOfIntent,
    PrerequisiteEvidence,
    Program,
    Proposal,
    ProposalDocument,
    ProposalVersion,
    ProposalYear,
    Stage,
    Window,
)

from .dates import add_months, first_of_next_month, year_bounds
from .models import (
    Allocation,
    AllocationYear,
    CheckIn,
    Disbursement,
    FinancialLine,
    Report,
    ReportDocument,
)
from .services.allocations import config_for

DOMAIN = "scale.example.org"
DEMO_DOMAIN = "example.org"
S = Proposal.Status
R = Report.Status
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n% PIC seed_scale\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
LINE_CATEGORIES = [FinancialLine.Category.SALARIES, FinancialLine.Category.ACTIVITIES,
                   FinancialLine.Category.EVALUATION, FinancialLine.Category.ADMINISTRATION]
TEXT = ("Les partenaires du quartier se mobilisent autour du changement souhaité : "
        "rencontres de concertation, activités avec les résident·e·s, suivi des apprentissages "
        "et ajustement des stratégies collectives. ")


@dataclass(frozen=True)
class Sizes:
    neighbourhoods: int = 1000
    people: int = 5000
    advisors: int = 30
    proposals: int = 20000
    windows: int = 13
    meetings: int = 200
    reports: int = 60000
    audit_events: int = 100000
    contacts_per_neighbourhood: int = 10
    overdue_reports: int = 300

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT = Sizes()
SMALL = Sizes(neighbourhoods=40, people=120, advisors=4, proposals=400, windows=13, meetings=8,
              reports=700, audit_events=1000, contacts_per_neighbourhood=2, overdue_reports=10)


def real_data_reason() -> str | None:
    """Why this database looks like it holds real data (None: only demo or scale data)."""
    outsiders = User.objects.exclude(email__endswith=f"@{DEMO_DOMAIN}").exclude(
        email__endswith=f"@{DOMAIN}")
    if outsiders.exists():
        return f"{outsiders.count()} account(s) outside @{DEMO_DOMAIN} / @{DOMAIN}"
    demo_slugs = [slugify(name) for name, _table, _borough in TABLES_DE_QUARTIER]
    foreign = Proposal.objects.filter(
        Q(created_by__isnull=False) & ~Q(created_by__email__endswith=DEMO_DOMAIN)
        | Q(created_by__isnull=True) & ~Q(neighbourhood__slug__in=demo_slugs))
    if foreign.exists():
        return f"{foreign.count()} proposal(s) not created by seed_demo or seed_scale"
    return None


def seed_base() -> None:
    """What the generator builds on when the demo is not loaded: the demo's organisations,
    neighbourhoods and accounts, the committees and their seats, the program (no files)."""
    from governance import demo as governance_demo
    from neighbourhoods import demo as neighbourhoods_demo
    from proposals import demo as proposals_demo

    tenants = neighbourhoods_demo.seed()
    governance_demo.seed_committees(tenants["organisations"])
    proposals_demo.seed_program()


def already_seeded() -> bool:
    return User.objects.filter(email__endswith=f"@{DOMAIN}").exists()


def insert_rows(model, objs: list, batch_size: int) -> list:
    """Insert new rows and set their ids: PostgreSQL's COPY (ids taken from the table's
    sequence first), else bulk_create. Like bulk_create: no save(), no signals."""
    objs = list(objs)
    if connection.vendor != "postgresql" or not objs:
        return model.objects.bulk_create(objs, batch_size=batch_size)
    opts = model._meta
    table, pk = opts.db_table, opts.pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                       "FROM generate_series(1, %s)", [table, pk.column, len(objs)])
        ids = [row[0] for row in cursor.fetchall()]
    fields_ = opts.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields_)
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
        for obj, new_id in zip(objs, ids, strict=True):
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            obj.pk = new_id
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection)
                            for f in fields_])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


# --- The two writes that may change after a merge -------------------------------------------


def write_audit_events(events: list[dict], batch_size: int) -> int:
    """The audit log, oldest first: each dict has created_at, actor_id, verb, content_type,
    object_id, object_repr and details, as pic.audit.audit writes one event; each is chained
    after the last event already there (sequence, previous hash, hash)."""
    from django.db.models import QuerySet

    from pic.audit_chain import seal_many

    events.sort(key=lambda e: e["created_at"])
    rows = [AuditEvent(**values) for values in events]
    seal_many(rows, using=connection.alias)
    if connection.vendor == "postgresql":
        insert_rows(AuditEvent, rows, batch_size)
    else:  # the model's queryset refuses bulk_create (events come one by one): not here
        QuerySet.bulk_create(AuditEvent.objects.all(), rows, batch_size=batch_size)
    return len(rows)


# --- Helpers ----------------------------------------------------------------------------------


@contextmanager
def keep_given_timestamps(*models):
    """bulk_create would stamp `auto_now` fields with now; keep the dates the generator gives."""
    switched = [f for m in models for f in m._meta.concrete_fields
                if getattr(f, "auto_now", False)]
    for field in switched:
        field.auto_now = False
    try:
        yield
    finally:
        for field in switched:
            field.auto_now = True


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


class Generator:
    def __init__(self, sizes: Sizes, *, seed: int = 2026, files: bool = True,
                 batch_size: int = 2000, log=None):
        self.sizes = sizes
        self.rng = random.Random(seed)  # noqa: S311 (measurement data, not security)
        self.files = files
        self.batch = batch_size
        self.log = log or (lambda message: None)
        self.today = timezone.localdate()
        self.counts: dict[str, int] = {}
        self.audit: list[dict] = []
        self.written: set[str] = set()
        # The states of the reports handed in lately (or early), one of each first, then drawn
        # at random: every state has rows whatever the calendar of the windows.
        self.handed_in = iter((R.SUBMITTED, R.RESUBMITTED, R.ACCEPTED))

    # --- bulk helpers ---

    def bulk(self, model, rows: list, label: str | None = None) -> list:
        created = insert_rows(model, rows, self.batch)
        key = label or model.__name__
        self.counts[str(key)] = self.counts.get(str(key), 0) + len(created)
        return created

    def event(self, verb: str, obj, actor_id, when: datetime.datetime, **details) -> None:
        self.audit.append({"created_at": when, "actor_id": actor_id, "verb": verb,
                           "content_type": self.ct[type(obj)], "object_id": str(obj.pk),
                           "object_repr": f"{type(obj).__name__} {obj.pk}"[:255],
                           "details": details})

    def shared_file(self, name: str) -> str:
        """One small file per kind, shared by every row of that kind (creating tens of
        thousands of files took most of the run on a loaded disk); its storage name."""
        if self.files and name not in self.written:
            path = Path(settings.PRIVATE_MEDIA_ROOT) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(PDF)
            self.written.add(name)
        return name

    # --- the run ---

    @transaction.atomic
    def run(self) -> dict[str, int]:
        self.program = Program.objects.get(slug="pic-phase-2")
        self.stages = {s.number: s for s in Stage.objects.filter(program=self.program)
                       .prefetch_related("prerequisites")}
        self.items = {n: list(s.prerequisites.all()) for n, s in self.stages.items()}
        self.config = config_for(self.program)
        self.ct = defaultdict(lambda: None)
        for model in (Proposal, Initiative, Report, Allocation, Meeting, AgendaItem, Contact,
                      CheckIn, Membership, AdvisorAssignment, Neighbourhood, DecisionLetter):
            self.ct[model] = ContentType.objects.get_for_model(model)
        self.coordination = User.objects.get(email="coordination@example.org")
        with keep_given_timestamps(Proposal, Analysis, Report, Vote):
            self.seed_windows()
            self.seed_tenants()
            self.seed_proposals()
            self.seed_decisions()
            self.seed_allocations()
            self.seed_contacts()
            self.seed_audit()
        return self.counts

    def seed_windows(self) -> None:
        existing = list(Window.objects.filter(program=self.program).order_by("deadline"))
        missing = max(0, self.sizes.windows - len(existing))
        new = self.bulk(Window, [
            Window(program=self.program, name=f"Période de dépôt (mesure) {k}",
                   name_en=f"Submission window (measure) {k}",
                   deadline=self.today - datetime.timedelta(days=182 * k))
            for k in range(1, missing + 1)])
        through = Window.stages.through
        through.objects.bulk_create([through(window_id=w.pk, stage_id=s.pk) for w in new
                                     for s in self.stages.values()], batch_size=self.batch)
        self.windows = sorted(existing + new, key=lambda w: w.deadline)
        self.log(f"windows: {len(self.windows)}")

    def seed_tenants(self) -> None:
        sizes = self.sizes
        demo = list(Neighbourhood.objects.order_by("pk"))
        count = max(0, sizes.neighbourhoods - len(demo))
        organisations = self.bulk(Organisation, [
            Organisation(name=f"Table de quartier mesure {i:04d}",
                         category=Organisation.Category.COMMUNITY) for i in range(count)])
        new = self.bulk(Neighbourhood, [
            Neighbourhood(name=f"Quartier mesure {i:04d}", slug=f"quartier-mesure-{i:04d}",
                          table_name=organisation.name, borough=f"Secteur {i % 19 + 1}",
                          organisation=organisation, language="en" if i % 9 == 0 else "fr")
            for i, organisation in enumerate(organisations)])
        self.neighbourhoods = demo + new
        password = make_password(DEMO_PASSWORD)
        joined = at(self.today - datetime.timedelta(days=5 * 365))
        people = self.bulk(User, [
            User(email=f"tq{i:05d}@{DOMAIN}", full_name=f"Personne Mesure {i:05d}",
                 password=password, date_joined=joined, language="en" if i % 7 == 0 else "fr")
            for i in range(sizes.people)], label="people")
        demo_advisors = list(User.objects.filter(
            staff_roles__role=StaffRole.Role.ADVISOR, staff_roles__ended_at__isnull=True)
            .order_by("pk"))
        advisors = demo_advisors + self.bulk(User, [
            User(email=f"conseil{i:03d}@{DOMAIN}", full_name=f"Conseil Mesure {i:03d}",
                 password=password, date_joined=joined)
            for i in range(max(0, sizes.advisors - len(demo_advisors)))], label="advisors")
        self.bulk(EmailAddress, [EmailAddress(user=u, email=u.email, verified=True, primary=True)
                                 for u in people + advisors[len(demo_advisors):]])
        centraide = Organisation.objects.get(short_name="Centraide")
        self.bulk(StaffRole, [StaffRole(user=u, role=StaffRole.Role.ADVISOR,
                                        organisation=centraide, started_at=joined)
                              for u in advisors[len(demo_advisors):]])
        # The new neighbourhoods go round the advisors: ~neighbourhoods/advisors each.
        assigned = set(AdvisorAssignment.objects.active().values_list("neighbourhood_id",
                                                                       flat=True))
        assignments = self.bulk(AdvisorAssignment, [
            AdvisorAssignment(advisor=advisors[i % len(advisors)], neighbourhood=n,
                              started_at=joined)
            for i, n in enumerate(n for n in self.neighbourhoods if n.pk not in assigned)])
        self.advisor_of = dict(AdvisorAssignment.objects.active().values_list(
            "neighbourhood_id", "advisor_id"))
        # People: one coordinator then members, round the new neighbourhoods (demo ones too
        # when there are no new ones).
        homes = new or self.neighbourhoods
        memberships = self.bulk(Membership, [
            Membership(user=u, neighbourhood=homes[i % len(homes)], started_at=joined,
                       role=(Membership.Role.COORDINATOR if i < len(homes)
                             else Membership.Role.MEMBER))
            for i, u in enumerate(people)])
        self.members_of = defaultdict(list)
        for m in Membership.objects.active().values_list("neighbourhood_id", "user_id"):
            self.members_of[m[0]].append(m[1])
        for m in memberships:
            self.event("membership.created", m, self.coordination.pk, joined,
                       neighbourhood=m.neighbourhood.slug, role=m.role)
        for a in assignments:
            self.event("advisor.assigned", a, self.coordination.pk, joined)
        self.log(f"tenants: {len(self.neighbourhoods)} neighbourhoods, {len(people)} people")

    # --- proposals ---

    def status_for(self, window: Window) -> str:
        age = (self.today - window.deadline).days
        rng = self.rng
        if age < 0:
            return rng.choices([S.DRAFT, S.SUBMITTED, S.WITHDRAWN], [65, 30, 5])[0]
        if age < 200:
            return rng.choices(
                [S.SUBMITTED, S.IN_ANALYSIS, S.CHANGES_REQUESTED, S.RESUBMITTED, S.RECOMMENDED,
                 S.NOT_RECOMMENDED, S.RATIFIED, S.WITHDRAWN],
                [10, 35, 15, 10, 12, 6, 10, 2])[0]
        if age < 400:
            return rng.choices([S.LETTER_SENT, S.RATIFIED, S.RECOMMENDED, S.NOT_RECOMMENDED,
                                S.WITHDRAWN], [60, 8, 4, 20, 8])[0]
        return "old"  # decided below, to reach the reports asked for

    def seed_proposals(self) -> None:
        rng, sizes = self.rng, self.sizes
        n = len(self.neighbourhoods)
        per = max(1, sizes.proposals // n)
        extra = sizes.proposals - per * n
        plan = []  # (neighbourhood, window, stage number, initiative key)
        for index, neighbourhood in enumerate(self.neighbourhoods):
            k = per + (1 if index < extra else 0)
            # Every window is used across neighbourhoods; one neighbourhood's stages in order.
            spread = sorted((j * len(self.windows) // k + index) % len(self.windows)
                            for j in range(k))
            for j, position in enumerate(spread):
                window = self.windows[position]
                plan.append((neighbourhood, window, (1, 2, 2, 3, 3)[j % 5], (neighbourhood.pk,
                                                                          j // 3)))
        initiative_keys = sorted({p[3] for p in plan})
        first_window = {}
        for _neighbourhood, window, _stage, key in plan:
            first_window.setdefault(key, window)
        by_pk = {nb.pk: nb for nb in self.neighbourhoods}
        initiatives = self.bulk(Initiative, [
            Initiative(neighbourhood_id=key[0], program=self.program,
                       title=f"Initiative {by_pk[key[0]].name} n° {key[1] + 1}",
                       desired_change="Un meilleur accès à une alimentation saine et abordable.",
                       created_at=at(first_window[key].deadline - 60 * DAY))
            for key in initiative_keys])
        self.initiative_of = {key: i for key, i in zip(initiative_keys, initiatives, strict=True)}
        self.bulk(LetterOfIntent, [
            LetterOfIntent(neighbourhood_id=i.neighbourhood_id, program=self.program,
                           desired_change=i.desired_change, target_stage=self.stages[1],
                           submitted_at=i.created_at,
                           acknowledged_at=i.created_at + 7 * DAY,
                           acknowledged_by_id=self.advisor_of.get(i.neighbourhood_id))
            for i in initiatives])
        rows = []
        for neighbourhood, window, stage_number, key in plan:
            stage = self.stages[stage_number]
            status = self.status_for(window)
            longest = rng.random() < 0.5
            duration = stage.max_duration_years if longest else stage.normal_duration_years
            members = self.members_of.get(neighbourhood.pk) or [self.coordination.pk]
            created = at(window.deadline - rng.randint(20, 90) * DAY)
            submitted = None if status in (S.DRAFT, "old") else self.submitted_on(window)
            rows.append(Proposal(
                neighbourhood=neighbourhood, initiative=self.initiative_of[key], stage=stage,
                window=window, status=status, title=f"{self.initiative_of[key].title} — "
                f"étape {stage_number}", summary=TEXT, vision=TEXT * 3,
                duration_years=duration,
                duration_justification=TEXT if duration > stage.normal_duration_years else "",
                capacity_building_amount=stage.capacity_building_amount / 2, edi=TEXT,
                ci_engagement=TEXT, ci_aspirations=TEXT, ci_learning=TEXT, ci_influence=TEXT,
                ci_support=TEXT, created_by_id=members[0], created_at=created,
                updated_at=min(at(self.today), created + rng.randint(30, 200) * DAY),
                submitted_at=submitted))
        self.decide_old(rows)
        for p in rows:
            if p.status != S.DRAFT and p.submitted_at is None:
                p.submitted_at = self.submitted_on(p.window)
        self.proposals = self.bulk(Proposal, rows)
        self.seed_proposal_parts()
        self.log(f"proposals: {len(self.proposals)}")

    def submitted_on(self, window: Window) -> datetime.datetime:
        return at(min(window.deadline, self.today) - DAY, 15)

    def decide_old(self, rows: list[Proposal]) -> None:
        """Old files are closed: funded (letter sent) until the reports asked for are reached,
        the others refused or withdrawn."""
        funded_reports = sum(p.duration_years + 1 for p in rows
                             if p.status in (S.LETTER_SENT, S.RATIFIED))
        old = [p for p in rows if p.status == "old"]
        self.rng.shuffle(old)
        cap = int(len(old) * 0.92)
        for index, p in enumerate(old):
            if index < cap and funded_reports < self.sizes.reports:
                p.status = S.LETTER_SENT
                funded_reports += p.duration_years + 1
            else:
                p.status = self.rng.choices([S.NOT_RECOMMENDED, S.WITHDRAWN], [70, 30])[0]

    def seed_proposal_parts(self) -> None:
        rng = self.rng
        stage_by_pk = {s.pk: s for s in self.stages.values()}
        stage_names = {s.pk: str(s) for s in self.stages.values()}
        years, evidence, questions, versions, documents = [], [], [], [], []
        for p in self.proposals:
            stage = stage_by_pk[p.stage_id]
            amount = (stage.min_yearly_amount + stage.max_yearly_amount) / 2
            years += [ProposalYear(proposal=p, year_number=y, amount=amount)
                      for y in range(1, p.duration_years + 1)]
            questions.append(EvaluationQuestion(
                proposal=p, position=1, question="Dans quelle mesure les ménages visés ont-ils "
                "un meilleur accès à une alimentation saine?", data_to_collect="Sondage",
                target="Hausse de 20 %"))
            if p.status == S.DRAFT and rng.random() < 0.5:
                continue
            evidence += [PrerequisiteEvidence(proposal=p, item=item, text=TEXT)
                         for item in self.items[stage.number]]
            if p.status == S.DRAFT:
                continue
            name = self.shared_file("scale/proposals/plan-de-quartier.pdf")
            documents.append(ProposalDocument(
                proposal=p, original_name="plan-de-quartier.pdf", content_type="application/pdf",
                size=len(PDF), uploaded_by_id=p.created_by_id, uploaded_at=p.created_at,
                file=name))
            count = {S.SUBMITTED: 1, S.CHANGES_REQUESTED: 2, S.RESUBMITTED: 2}.get(
                p.status, rng.choice((2, 3, 3, 4)))
            for number in range(1, count + 1):
                versions.append(ProposalVersion(
                    proposal=p, number=number, created_by_id=p.created_by_id,
                    created_at=p.submitted_at + (number - 1) * 20 * DAY,
                    receipt_sent_at=p.submitted_at + (number - 1) * 20 * DAY,
                    snapshot={"title": p.title, "stage": stage_names[stage.pk],
                              "summary": p.summary, "duration_years": p.duration_years,
                              "documents": ["plan-de-quartier.pdf"],
                              "evaluation_questions": []}))
            self.event("proposal.created", p, p.created_by_id, p.created_at)
            self.event("proposal.submitted", p, p.created_by_id, p.submitted_at)
        self.bulk(ProposalYear, years)
        self.bulk(EvaluationQuestion, questions)
        self.bulk(PrerequisiteEvidence, evidence)
        self.bulk(ProposalDocument, documents)
        self.bulk(ProposalVersion, versions)

    # --- analyses, meetings, votes, ratifications, letters ---

    def seed_decisions(self) -> None:
        rng = self.rng
        analysed = [p for p in self.proposals if p.status not in
                    (S.DRAFT, S.SUBMITTED, S.WITHDRAWN)]
        stage_by_pk = {s.pk: s for s in self.stages.values()}
        analyses = self.bulk(Analysis, [
            Analysis(proposal=p, author_id=self.advisor_of.get(p.neighbourhood_id),
                     needs_and_context=TEXT, conditions="",
                     capacity_building_amount=p.capacity_building_amount,
                     created_at=p.submitted_at + 10 * DAY, updated_at=p.submitted_at + 20 * DAY)
            for p in analysed])
        amounts = {}
        for p in analysed:
            stage = stage_by_pk[p.stage_id]
            amounts[p.pk] = (stage.min_yearly_amount + stage.max_yearly_amount) / 2
        self.bulk(AnalysisYear, [AnalysisYear(analysis=a, year_number=y, amount=amounts[p.pk])
                                 for a, p in zip(analyses, analysed, strict=True)
                                 for y in range(1, p.duration_years + 1)])
        self.bulk(AnalysisPrerequisite, [
            AnalysisPrerequisite(analysis=a, prerequisite=item, met=True)
            for a, p in zip(analyses, analysed, strict=True)
            for item in self.items[stage_by_pk[p.stage_id].number]])
        # Meetings of the comité de gestion, from the first window to a month from now.
        gestion = Committee.objects.get(kind=Committee.Kind.GESTION)
        partenaires = Committee.objects.get(kind=Committee.Kind.PARTENAIRES)
        seats = list(CommitteeMember.objects.filter(committee=gestion, ended_on__isnull=True)
                     .select_related("organisation"))
        first = self.windows[0].deadline + 30 * DAY
        last = self.today + 30 * DAY
        step = max(1, (last - first).days // max(1, self.sizes.meetings - 1))
        meetings = self.bulk(Meeting, [
            Meeting(committee=gestion, title=f"Rencontre du comité de gestion n° {i + 1}",
                    held_on=first + i * step * DAY, location="Centraide, salle 3",
                    created_at=at(first + i * step * DAY - 30 * DAY))
            for i in range(self.sizes.meetings)])
        meetings.sort(key=lambda m: m.held_on)
        coming = [m for m in meetings if m.held_on >= self.today] or meetings[-1:]
        self.bulk(Attendance, [Attendance(meeting=m, member=s, recorded_at=at(m.held_on))
                               for m in meetings if m.held_on <= self.today for s in seats])
        decided = {S.RECOMMENDED, S.NOT_RECOMMENDED, S.RATIFIED, S.LETTER_SENT}
        items, positions = [], defaultdict(int)
        for p in analysed:
            if p.status in decided:
                target = p.window.deadline + 45 * DAY
                meeting = next((m for m in meetings if m.held_on >= target), meetings[-1])
                if meeting.held_on > self.today:
                    meeting = max((m for m in meetings if m.held_on <= self.today),
                                  key=lambda m: m.held_on, default=meeting)
                result = (AgendaItem.Result.NOT_RECOMMENDED if p.status == S.NOT_RECOMMENDED
                          else AgendaItem.Result.RECOMMENDED)
                voters = [s for s in seats if not s.organisation.recused_from_investment_decisions]
                positions[meeting.pk] += 1
                items.append(AgendaItem(
                    meeting=meeting, proposal=p, position=positions[meeting.pk],
                    status=AgendaItem.Status.CLOSED, result=result, reasons=TEXT,
                    votes_for=len(voters) if result == AgendaItem.Result.RECOMMENDED else 0,
                    votes_against=0 if result == AgendaItem.Result.RECOMMENDED else len(voters),
                    eligible_count=len(voters), present_count=len(seats),
                    closed_at=at(meeting.held_on, 16), closed_by_id=self.coordination.pk))
            elif p.status == S.IN_ANALYSIS and rng.random() < 0.3:
                meeting = rng.choice(coming)
                positions[meeting.pk] += 1
                items.append(AgendaItem(meeting=meeting, proposal=p,
                                        position=positions[meeting.pk]))
        items = self.bulk(AgendaItem, items)
        votes, recusals = [], []
        for item in items:
            for seat in seats:
                if seat.organisation.recused_from_investment_decisions:
                    recusals.append(Recusal(item=item, member=seat,
                                            reason=Recusal.Reason.ORGANISATION))
                elif item.status == AgendaItem.Status.CLOSED:
                    choice = (Vote.Choice.FOR if item.result == AgendaItem.Result.RECOMMENDED
                              else Vote.Choice.AGAINST)
                    votes.append(Vote(item=item, member=seat, choice=choice,
                                      created_at=item.closed_at - DAY,
                                      updated_at=item.closed_at - DAY))
                elif rng.random() < 0.5:
                    votes.append(Vote(item=item, member=seat, choice=Vote.Choice.FOR,
                                      created_at=at(self.today), updated_at=at(self.today)))
        self.bulk(Recusal, recusals)
        self.bulk(Vote, votes)
        for item in items:
            if item.status == AgendaItem.Status.CLOSED:
                self.event("agenda_item.closed", item, self.coordination.pk, item.closed_at,
                           result=item.result)
        # Ratifications and letters.
        held = {item.proposal_id: item.meeting.held_on for item in items}
        ratified = [p for p in self.proposals if p.status in (S.RATIFIED, S.LETTER_SENT)]
        self.ratified_on = {p.pk: held.get(p.pk, p.window.deadline + 45 * DAY) + 21 * DAY
                            for p in ratified}
        for p in ratified:
            self.ratified_on[p.pk] = min(self.ratified_on[p.pk], self.today - DAY)
        self.bulk(Ratification, [
            Ratification(proposal=p, committee=partenaires, ratified_on=self.ratified_on[p.pk],
                         recorded_by=self.coordination, recorded_at=at(self.ratified_on[p.pk]))
            for p in ratified])
        letters = []
        for p in self.proposals:
            kind = {S.LETTER_SENT: DecisionLetter.Kind.ALLOCATION,
                    S.NOT_RECOMMENDED: DecisionLetter.Kind.REFUSAL}.get(p.status)
            if kind is None:
                continue
            day = self.ratified_on.get(p.pk) or held.get(p.pk) or p.window.deadline + 45 * DAY
            name = self.shared_file(f"scale/letters/{kind}.pdf")
            letters.append(DecisionLetter(
                proposal=p, kind=kind, language=p.neighbourhood.language, file=name,
                sha256=hashlib.sha256(PDF).hexdigest(), created_at=at(day + DAY),
                created_by=self.coordination, emailed_at=at(day + DAY, 11)))
        for letter in self.bulk(DecisionLetter, letters):
            self.event("letter.generated", letter, self.coordination.pk, letter.created_at)
        # as DecisionLetter.save keeps it (bulk inserts skip save)
        Proposal.objects.filter(decision_letters__kind=DecisionLetter.Kind.REFUSAL).update(
            refusal_letter_written=True)
        self.log(f"decisions: {len(analyses)} analyses, {len(items)} agenda items, "
                 f"{len(ratified)} ratified")

    # --- follow-up ---

    def seed_allocations(self) -> None:
        rng, today, config = self.rng, self.today, self.config
        ratified = [p for p in self.proposals if p.pk in self.ratified_on]
        stage_by_pk = {s.pk: s for s in self.stages.values()}
        allocations = []
        for p in ratified:
            start = first_of_next_month(self.ratified_on[p.pk])
            allocations.append(Allocation(
                proposal=p, neighbourhood_id=p.neighbourhood_id, initiative_id=p.initiative_id,
                stage_id=p.stage_id, ratified_on=self.ratified_on[p.pk], starts_on=start,
                ends_on=year_bounds(start, p.duration_years)[1],
                capacity_building_amount=p.capacity_building_amount,
                created_at=at(self.ratified_on[p.pk])))
        allocations = self.bulk(Allocation, allocations)
        years = []
        for a, p in zip(allocations, ratified, strict=True):
            stage = stage_by_pk[p.stage_id]
            amount = (stage.min_yearly_amount + stage.max_yearly_amount) / 2
            for number in range(1, p.duration_years + 1):
                first, last = year_bounds(a.starts_on, number)
                years.append(AllocationYear(allocation=a, year_number=number, starts_on=first,
                                            ends_on=last, amount=amount))
        years = self.bulk(AllocationYear, years)
        past_due = sum(1 for y in years
                       if y.ends_on + config.annual_report_delay_days * DAY < today)
        past_due += sum(1 for a in allocations
                        if a.ends_on + config.final_report_delay_days * DAY < today)
        overdue_share = self.sizes.overdue_reports / max(1, past_due)
        reports, checkins, disbursements = [], [], []
        for y in years:
            due = add_months(y.starts_on, config.checkin_months)
            done = due < today - 20 * DAY or (due < today and rng.random() < 0.5)
            if due < today and rng.random() < 0.02:
                done = False  # a few overdue check-ins
            checkins.append(CheckIn(
                allocation_year=y, neighbourhood_id=y.allocation.neighbourhood_id,
                due_on=due, held_on=due if done else None,
                participants="Coordination de la table, conseiller·ère" if done else "",
                summary=TEXT if done else "", recorded_at=at(due) if done else None,
                recorded_by_id=self.advisor_of.get(y.allocation.neighbourhood_id) if done
                else None))
            if y.starts_on <= today:
                disbursements.append(Disbursement(
                    allocation_year=y, amount=y.amount, paid_on=y.starts_on + 10 * DAY,
                    recorded_by=self.coordination, recorded_at=at(y.starts_on + 10 * DAY)))
            reports.append(self.report(y.allocation, y, Report.Kind.ANNUAL,
                                       y.ends_on + config.annual_report_delay_days * DAY,
                                       overdue_share))
        for a in allocations:
            reports.append(self.report(a, None, Report.Kind.FINAL,
                                       a.ends_on + config.final_report_delay_days * DAY,
                                       overdue_share))
        self.bulk(CheckIn, checkins)
        self.bulk(Disbursement, disbursements)
        reports = self.bulk(Report, reports)
        # A closed allocation: its final report accepted.
        closed = {r.allocation_id: r.accepted_at.date() for r in reports
                  if r.kind == Report.Kind.FINAL and r.status == R.ACCEPTED}
        for a in allocations:
            if a.pk in closed:
                a.status, a.closed_on = Allocation.Status.CLOSED, closed[a.pk]
        Allocation.objects.bulk_update([a for a in allocations if a.pk in closed],
                                       ["status", "closed_on"], batch_size=self.batch)
        lines, documents = [], []
        for r in reports:
            if r.status == R.DRAFT:
                continue
            budget = r.allocation_year.amount / 4 if r.allocation_year else Decimal("10000")
            lines += [FinancialLine(report=r, category=c, budget=budget,
                                    actual=budget * Decimal(rng.choice(("0.9", "1", "1.05"))))
                      for c in LINE_CATEGORIES]
            if r.kind == Report.Kind.FINAL:
                name = self.shared_file("scale/reports/bilan-final.pdf")
                documents.append(ReportDocument(
                    report=r, original_name="bilan-final.pdf", content_type="application/pdf",
                    size=len(PDF), uploaded_at=r.submitted_at, file=name))
            self.event("report.submitted", r, None, r.submitted_at)
        self.bulk(FinancialLine, lines)
        self.bulk(ReportDocument, documents)
        for a in allocations:
            self.event("allocation.created", a, self.coordination.pk, a.created_at)
        self.log(f"follow-up: {len(allocations)} allocations, {len(reports)} reports")

    def report(self, allocation, year, kind, due, overdue_share) -> Report:
        rng, today = self.rng, self.today
        if due > today + 60 * DAY:
            status = R.DRAFT
        elif due > today:
            status = next(self.handed_in, None) or rng.choices([R.DRAFT, R.SUBMITTED],
                                                               [70, 30])[0]
        elif rng.random() < overdue_share:
            status = rng.choice([R.DRAFT, R.CHANGES_REQUESTED])
        elif due > today - 60 * DAY:
            status = next(self.handed_in, None) or rng.choices(
                [R.SUBMITTED, R.RESUBMITTED, R.ACCEPTED], [40, 10, 50])[0]
        else:
            status = R.ACCEPTED
        filled = status != R.DRAFT
        submitted = at(min(due, today) - rng.randint(1, 20) * DAY) if filled else None
        return Report(
            allocation=allocation, neighbourhood_id=allocation.neighbourhood_id,
            allocation_year=year, kind=kind, due_on=due, status=status,
            activities=TEXT if filled else "", evaluation_progress=TEXT if filled else "",
            learnings=TEXT if filled else "", reinvestment=TEXT if filled else "",
            edi=TEXT if filled else "",
            strategic_learnings=TEXT if filled and kind == Report.Kind.FINAL else "",
            changes_requested_note=TEXT if status == R.CHANGES_REQUESTED else "",
            submitted_at=submitted,
            accepted_at=(min(submitted + 15 * DAY, timezone.now()) if status == R.ACCEPTED
                         else None),
            updated_at=submitted or at(today - 30 * DAY))

    def seed_contacts(self) -> None:
        rng, kinds = self.rng, list(Contact.Kind)
        contacts = self.bulk(Contact, [
            Contact(neighbourhood=n, advisor_id=self.advisor_of.get(n.pk),
                    date=self.today - rng.randint(1, 3 * 365) * DAY, kind=rng.choice(kinds),
                    summary=TEXT, recorded_by_id=self.advisor_of.get(n.pk),
                    recorded_at=at(self.today - 400 * DAY))
            for n in self.neighbourhoods for _ in range(self.sizes.contacts_per_neighbourhood)])
        for c in contacts:
            self.event("contact.recorded", c, c.recorded_by_id, at(c.date))

    def seed_audit(self) -> None:
        """The events gathered on the way, cut or topped up (with page-like edits of drafts
        and proposals) to the number asked for."""
        rng, wanted = self.rng, self.sizes.audit_events
        events = self.audit
        if len(events) > wanted:
            rng.shuffle(events)
            del events[wanted:]
        while len(events) < wanted:
            p = rng.choice(self.proposals)
            self.event("proposal.draft_saved", p, p.created_by_id,
                       p.created_at + rng.randint(0, 60) * DAY)
        self.counts["audit events"] = write_audit_events(events, self.batch)


def sizes_from(options: dict, *, small: bool) -> Sizes:
    base = SMALL if small else DEFAULT
    given = {f.name: options[f.name] for f in fields(Sizes) if options.get(f.name) is not None}
    return replace(base, **given)
