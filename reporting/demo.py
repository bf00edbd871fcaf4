"""Demo data for follow-up, run last by seed_demo. Idempotent: everything is keyed on what
already exists, so a second run writes nothing (not even an audit event)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from neighbourhoods.models import AdvisorAssignment, Membership
from proposals.models import Program, Proposal

from . import allocations, checkins, reports
from .models import Allocation, Disbursement, Indicator, ProgramEnvelope, Report

ENVELOPE = Decimal("3000000")
TEXTS = {
    "activities": "Cuisines collectives, marché solidaire mobile et comité de citoyen·ne·s.",
    "evaluation_progress": "Sondage auprès de 180 familles; la cible de 200 est presque atteinte.",
    "learnings": "La mobilisation des familles passe par les écoles et les organismes d'accueil.",
    "reinvestment": "Les rencontres se tiennent maintenant dans les écoles, en soirée.",
    "edi": "Interprétation en créole et en arabe; garde d'enfants offerte.",
}
LINES = {
    "salaries": (Decimal("70000"), Decimal("72350")),
    "activities": (Decimal("35000"), Decimal("31200")),
    "capacity": (Decimal("8000"), Decimal("6500")),
    "administration": (Decimal("7000"), Decimal("7000")),
}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _ratified_on(proposal: Proposal) -> datetime.date:
    ratification = getattr(proposal, "ratification", None)
    if ratification is not None:
        return ratification.ratified_on
    base = proposal.window.deadline if proposal.window_id else timezone.localdate()
    return base + datetime.timedelta(weeks=6)


def _member(neighbourhood_id):
    membership = Membership.objects.active().filter(
        neighbourhood_id=neighbourhood_id).select_related("user").first()
    return membership.user if membership else None


def _advisor(neighbourhood_id):
    assignment = AdvisorAssignment.objects.active().filter(
        neighbourhood_id=neighbourhood_id).select_related("advisor").first()
    return assignment.advisor if assignment else None


def seed() -> dict:
    today = timezone.localdate()
    program = Program.objects.order_by("-starts_on").first()
    if program is None:
        return {}
    for year in range(program.starts_on.year, program.ends_on.year + 1):
        if not ProgramEnvelope.objects.filter(program=program, year=year).exists():
            allocations.envelope_set(program=program, year=year, amount=ENVELOPE, actor=None)

    made = []
    for proposal in (Proposal.objects.filter(
            status__in=[Proposal.Status.RATIFIED, Proposal.Status.LETTER_SENT],
            allocation__isnull=True).select_related("window", "stage").order_by("pk")):
        made.append(allocations.allocation_create(proposal=proposal,
                                                  ratified_on=_ratified_on(proposal), actor=None))
    for allocation in made:
        _follow(allocation, today)
    return {"allocations": Allocation.objects.count()}


def _follow(allocation: Allocation, today: datetime.date) -> None:
    """A new demo allocation's story: first payment, check-ins held (the last one still due),
    a stage 1 closed by its accepted final report, a submitted stage 2 annual report."""
    member, advisor = _member(allocation.neighbourhood_id), _advisor(allocation.neighbourhood_id)
    years = list(allocation.years.select_related("checkin", "report").order_by("year_number"))
    first = years[0]
    if first.starts_on <= today and not Disbursement.objects.filter(
            allocation_year__allocation=allocation).exists():
        allocations.disbursement_record(allocation_year=first, amount=first.amount,
                                        paid_on=first.starts_on, actor=None)
    for year in years if allocation.stage.number == 1 else years[:-1]:
        held_on = year.checkin.due_on + datetime.timedelta(days=5)
        if held_on <= today:
            checkins.checkin_record(
                checkin=year.checkin, actor=advisor, held_on=held_on,
                participants="Coordination de la table, deux organismes porteurs",
                summary="Les activités avancent comme prévu; la mobilisation est bonne.",
                follow_ups="Envoyer le gabarit du rapport annuel.")
    if member is None:
        return
    question = allocation.proposal.evaluation_questions.first()
    indicator = None
    if question is not None:
        indicator = Indicator.objects.filter(question=question).first() or reports.indicator_add(
            question=question, name="Familles rejointes", unit="familles",
            baseline=Decimal("60"), target=Decimal("200"), actor=member)
    values = {indicator.pk: Decimal("180")} if indicator else {}
    progress = {question.pk: {
        "data_collected": "Registre des présences et sondage auprès des familles",
        "progress": "180 familles rejointes sur une cible de 200",
        "learned": "Les familles viennent quand l'activité a lieu près de l'école",
        "reinvested": "Deux points de service ajoutés près des écoles primaires",
    }} if question is not None else {}
    first_report = first.report
    if allocation.stage.number == 1:
        # Stage 1 is over: its reports are accepted and the stage is closed.
        final = allocation.reports.get(kind=Report.Kind.FINAL)
        for report in [y.report for y in years] + [final]:
            if report.due_on > today:
                return
            reports.report_save_draft(
                report=report, actor=member, lines=LINES, indicator_values=values,
                question_progress=progress,
                texts={**TEXTS, "strategic_learnings": "Travailler en impact collectif "
                       "demande un temps de concertation que l'étape 1 a permis de prendre."})
            submitted = report.due_on - datetime.timedelta(days=10)
            reports.report_submit(report=report, actor=member, now=_at(submitted))
            reports.report_accept(report=report, actor=advisor,
                                  now=_at(submitted + datetime.timedelta(days=14)))
    elif first_report.status == Report.Status.DRAFT:
        reports.report_save_draft(report=first_report, actor=member, texts=TEXTS, lines=LINES,
                                  indicator_values=values, question_progress=progress)
        reports.report_submit(report=first_report, actor=member,
                              now=_at(min(today, first_report.due_on - datetime.timedelta(days=3))))
