"""Demo data for follow-up, run last by seed_demo. The allocations themselves come from the
ratifications (governance's listener, registered by this app). Idempotent: every step is keyed
on what already exists, so a second run writes nothing (not even an audit event)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from neighbourhoods.models import AdvisorAssignment, Membership, Organisation
from pic.access import SYSTEM
from proposals.demo import SAINT_MICHEL_STAGE_2_RATIFIED, budget_split, theme_of
from proposals.demo_dates import demo_today, month_shift
from proposals.models import IndicatorDefinition, Program

from .dates import first_of_next_month, year_bounds
from .models import (
    Allocation,
    AllocationYear,
    FunderContribution,
    Indicator,
    Instalment,
    ProgramEnvelope,
    Report,
    ReportingConfig,
)
from .services import allocations, amendments, checkins, payments, reports

ENVELOPE = Decimal("3000000")

# What each initiative's reports say, by theme (proposals.demo.theme_of): the report's texts,
# its indicator (name, unit, baseline, target, value reached) and its evaluation question's
# progress.
THEMES = {
    "food": {
        "texts": {
            "activities": "Cuisines collectives, marché solidaire mobile et comité de "
                          "citoyen·ne·s.",
            "evaluation_progress": "Sondage auprès de 180 familles; la cible de 200 est "
                                   "presque atteinte.",
            "learnings": "La mobilisation des familles passe par les écoles et les organismes "
                         "d'accueil.",
            "reinvestment": "Les rencontres se tiennent maintenant dans les écoles, en soirée.",
            "edi": "Interprétation en créole et en arabe; garde d'enfants offerte.",
        },
        "indicator": ("Familles rejointes", "familles", Decimal("60"), Decimal("200"),
                      Decimal("180")),
        "progress": {
            "data_collected": "Registre des présences et sondage auprès des familles",
            "progress": "180 familles rejointes sur une cible de 200",
            "learned": "Les familles viennent quand l'activité a lieu près de l'école",
            "reinvested": "Deux points de service ajoutés près des écoles primaires",
        },
    },
    "housing": {
        "texts": {
            "activities": "Porte-à-porte dans les grands ensembles, cliniques d'information sur "
                          "les droits des locataires, accompagnement des plaintes auprès de "
                          "l'arrondissement.",
            "evaluation_progress": "95 logements corrigés sur une cible de 150; 310 locataires "
                                   "informés de leurs droits.",
            "learnings": "Les locataires portent plainte quand une voisine ou un voisin les "
                         "accompagne.",
            "reinvestment": "Un réseau de locataires relais est formé dans chaque grand "
                            "ensemble.",
            "edi": "Information en français, anglais, espagnol et bengali; rencontres dans des "
                   "lieux accessibles.",
        },
        "indicator": ("Logements dont l'insalubrité a été corrigée", "logements",
                      Decimal("20"), Decimal("150"), Decimal("95")),
        "progress": {
            "data_collected": "Registre des visites du comité logement et suivi des "
                              "inspections de l'arrondissement",
            "progress": "95 logements corrigés sur une cible de 150",
            "learned": "Les inspections aboutissent quand le comité accompagne le locataire",
            "reinvested": "Des locataires relais accompagnent leurs voisin·e·s aux inspections",
        },
    },
    "school": {
        "texts": {
            "activities": "Aide aux devoirs, mentorat et activités parascolaires avec les "
                          "écoles secondaires.",
            "evaluation_progress": "L'absentéisme des jeunes accompagnés a baissé de 9 %.",
            "learnings": "Le lien avec un adulte significatif pèse plus que l'aide aux "
                         "devoirs.",
            "reinvestment": "Le mentorat est étendu aux élèves de deuxième secondaire.",
            "edi": "Activités gratuites; communications aux familles en cinq langues.",
        },
        "indicator": ("Jeunes accompagnés toujours inscrits", "jeunes", Decimal("120"),
                      Decimal("180"), Decimal("150")),
        "progress": {
            "data_collected": "Données d'absentéisme du centre de services scolaire",
            "progress": "Baisse de 9 % de l'absentéisme (cible : 15 %)",
            "learned": "Le mentorat retient mieux que l'aide aux devoirs seule",
            "reinvested": "Le mentorat est étendu à la deuxième secondaire",
        },
    },
    "mobility": {
        "texts": {
            "activities": "Marches exploratoires, corridors scolaires et ateliers vélo.",
            "evaluation_progress": "Les comptages montrent 14 % de déplacements actifs en plus.",
            "learnings": "Les parents marchent quand le trajet est accompagné.",
            "reinvestment": "Trois corridors scolaires accompagnés par des bénévoles.",
            "edi": "Parcours pensés avec des personnes à mobilité réduite.",
        },
        "indicator": ("Déplacements actifs comptés aux abords des écoles", "déplacements/jour",
                      Decimal("800"), Decimal("1000"), Decimal("910")),
        "progress": {
            "data_collected": "Comptages piétons et cyclistes",
            "progress": "Hausse de 14 % (cible : 25 %)",
            "learned": "Les trajets accompagnés rassurent les parents",
            "reinvested": "Trois corridors scolaires accompagnés",
        },
    },
}
STRATEGIC_LEARNINGS = ("Travailler en impact collectif demande un temps de concertation que "
                       "l'étape a permis de prendre.")

# The financial statement: the budget lines of the proposal (proposals.demo.budget_split,
# ratified with the allocation) and the share of each actually spent.
SPENT = {"salaries": Decimal("1.03"), "activities": Decimal("0.92"),
         "evaluation": Decimal("0.95"), "administration": Decimal("1.00")}

# Who gives what to each year's envelope (the partners of the guide; Dynamo's support in kind).
CONTRIBUTIONS = (("Centraide du Grand Montréal", "cash", Decimal("1200000")),
                 ("Fondation Lucie et André Chagnon", "cash", Decimal("800000")),
                 ("Ville de Montréal", "cash", Decimal("600000")),
                 ("Fondation McConnell", "cash", Decimal("300000")),
                 ("Dynamo", "in_kind", Decimal("100000")))


def lines_for(amount: Decimal, *, spent: bool = True) -> dict[str, tuple[Decimal, Decimal]]:
    """Budget lines totalling `amount` (to the dollar); actuals when the year is spent."""
    return {category: (budget, (budget * SPENT[category]).quantize(Decimal("1"), ROUND_HALF_UP)
                       if spent else Decimal(0))
            for category, budget in budget_split(amount).items()}


# What a report says in the guide's words (the five conditions, ÉDI axes, « pérennisation »,
# capacity building); a field the report does not ask is not saved on its page.
GUIDE_TEXTS = {
    "ci_engagement": "Un comité de résident·e·s a pris part à chaque décision de l'année.",
    "ci_aspirations": "La vision commune a été revue avec les partenaires.",
    "ci_learning": "Deux bilans collectifs des données ont ajusté les activités.",
    "ci_influence": "L'arrondissement a intégré deux propositions de la table.",
    "ci_support": "La table a animé le comité de pilotage et ses sous-comités.",
    "edi_axes": ["capacity", "representation"],
    "sustainability": "Une entente de financement avec l'arrondissement est en discussion.",
    "capacity_building": "Accompagnement de Dynamo pour le plan d'évaluation; une ressource "
                         "interne en évaluation à temps partiel.",
}


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _member(neighbourhood_id):
    membership = Membership.objects.active().filter(
        neighbourhood_id=neighbourhood_id).select_related("user").first()
    return membership.user if membership else None


def _advisor(neighbourhood_id):
    assignment = AdvisorAssignment.objects.active().filter(
        neighbourhood_id=neighbourhood_id).select_related("advisor").first()
    return assignment.advisor if assignment else None


def seed_config(program: Program) -> None:
    """The program's report delays, set once, before the stories' ratifications make their
    allocations: the usual 60 and 90 days, shortened by up to about a month (a few days
    longer at most), so that Saint-Michel's first annual report falls due a week before the
    demo's day. Allocations start on the first of a month and the demo may be seeded on any
    day: without this, on some days no report would be a few days late."""
    if ReportingConfig.objects.filter(program=program).exists():
        return
    ratified = month_shift(SAINT_MICHEL_STAGE_2_RATIFIED)
    first_year_ends = year_bounds(first_of_next_month(ratified), 1)[1]
    adjust = (demo_today() - datetime.timedelta(days=7) - first_year_ends).days - 60
    ReportingConfig.objects.create(program=program, annual_report_delay_days=60 + adjust,
                                   final_report_delay_days=90 + adjust)


def seed() -> dict:
    today = demo_today()
    program = Program.objects.order_by("-starts_on").first()
    if program is None:
        return {}
    funders = {o.name: o for o in Organisation.objects.filter(
        name__in=[name for name, _kind, _amount in CONTRIBUTIONS])}
    for year in range(program.starts_on.year, program.ends_on.year + 1):
        if FunderContribution.objects.filter(program=program, year=year).exists():
            continue
        for name, kind, amount in CONTRIBUTIONS:
            if name in funders:
                allocations.contribution_set(program=program, year=year, funder=funders[name],
                                             kind=kind, amount=amount, actor=SYSTEM)
        if not ProgramEnvelope.objects.filter(program=program, year=year).exists():
            allocations.envelope_set(program=program, year=year, amount=ENVELOPE, actor=SYSTEM)
    for allocation in Allocation.objects.select_related(
            "proposal__initiative", "stage").order_by("pk"):
        _follow(allocation, today)
    _amendment_under_review()
    seed_notes()
    return {"allocations": Allocation.objects.count()}


def _amendment_under_review() -> None:
    """Saint-Michel amends its stage-2 proposal after the exchange with the team: a wider
    vision, the coming year's action plan, 5 000 $ moved from the last year to the next one
    (within the allocation); submitted, waiting for the advisor's review."""
    allocation = Allocation.objects.filter(
        neighbourhood__name="Saint-Michel", stage__number=2).select_related("proposal").first()
    if allocation is None or allocation.amendments.exists():
        return
    member = _member(allocation.neighbourhood_id)
    if member is None:
        return
    years = list(allocation.years.order_by("year_number"))
    draft = amendments.amendment_create(allocation=allocation, actor=member)
    moved = Decimal("5000")
    amendments.amendment_save(amendment=draft, actor=member, data={
        "reason": "À la suite de l'échange avec l'équipe PIC-Centraide, l'initiative inclut les "
                  "aîné·e·s isolé·e·s et devance l'ouverture du deuxième marché solidaire.",
        "action_plan": "Ouvrir le deuxième marché solidaire au printemps; trois cuisines "
                       "collectives pour les aîné·e·s; une rencontre de bilan en décembre.",
        "vision": f"{allocation.proposal.vision}\n\nLes aîné·e·s isolé·e·s font partie des "
                  "familles rejointes.",
        "years": {years[-2].year_number: years[-2].amount + moved,
                  years[-1].year_number: years[-1].amount - moved} if len(years) > 1 else {},
    })
    amendments.amendment_submit(amendment=draft, actor=member)


def _demo_user(email: str):
    from pic.models import User

    return User.objects.filter(email=email).first()


def seed_notes() -> int:
    """Notes on Saint-Michel's and Verdun's files, internal and shared, with mentions (each
    mention and note notifies, as in the app). Once: a rerun adds nothing."""
    from neighbourhoods.models import Neighbourhood
    from pic.notes.models import Note
    from pic.notes.services import note_write
    from proposals.models import Proposal

    if Note.objects.exists():
        return 0
    est, ouest = _demo_user("conseillere.est@example.org"), _demo_user(
        "conseiller.ouest@example.org")
    coordination = _demo_user("coordination@example.org")
    written = 0
    for slug, advisor, member_email in (("saint-michel", est, "tq.saint-michel@example.org"),
                                        ("verdun", ouest, "tq.verdun@example.org")):
        neighbourhood = Neighbourhood.objects.filter(slug=slug).first()
        member = _demo_user(member_email)
        proposal = (Proposal.objects.filter(neighbourhood=neighbourhood)
                    .exclude(status=Proposal.Status.DRAFT).order_by("-pk").first())
        if neighbourhood is None or advisor is None or member is None or proposal is None:
            continue
        internal, shared = Note.Visibility.INTERNAL, Note.Visibility.SHARED
        for obj, body, visibility, author in [
            (proposal, "@coordination le budget de l'an 2 me semble serré par rapport aux "
                       "activités prévues : peux-tu valider avant l'inscription à l'ordre du "
                       "jour?", internal, advisor),
            (proposal, "Vu. Le montant reste dans la fourchette de l'étape; on peut "
                       "l'inscrire à la prochaine rencontre du comité de gestion.", internal,
             coordination),
            (proposal, "Merci pour le dépôt. Pourriez-vous préciser le calendrier des "
                       "activités de la première année?", shared, advisor),
            (proposal, "Bien sûr : le calendrier détaillé est dans le plan d'action déposé, "
                       "section 3. Nous restons disponibles pour en parler.", shared, member),
            (neighbourhood, "Rencontre de suivi à prévoir après l'assemblée de la table.\n"
                            "Ordre du jour partagé : https://example.org/ordre-du-jour",
             shared, member),
            (neighbourhood, "Contexte : changement à la coordination de la table cet "
                            "automne; à garder en tête pour le bilan.", internal, advisor),
        ]:
            note_write(obj=obj, body=body, visibility=visibility, actor=author)
            written += 1
        report = Report.objects.filter(allocation__neighbourhood=neighbourhood).order_by(
            "pk").first()
        if report is not None:
            note_write(obj=report, body="Le bilan financier est joint à la section 4 du "
                                        "rapport.", visibility=Note.Visibility.SHARED,
                       actor=member)
            written += 1
    # Every advisor has a word from coordination on one of their neighbourhoods' files.
    from pic.notifications.models import Notification

    for assignment in (AdvisorAssignment.objects.active().select_related("advisor",
                                                                          "neighbourhood")
                       .exclude(advisor__in=Notification.objects.values("recipient"))
                       .order_by("advisor_id", "neighbourhood__name")):
        if Notification.objects.filter(recipient=assignment.advisor).exists():
            continue
        handle = assignment.advisor.email.split("@")[0]
        note_write(obj=assignment.neighbourhood,
                   body=f"@{handle} la table nous a écrit au sujet de sa prochaine demande : "
                        "peux-tu la rappeler cette semaine?",
                   visibility=Note.Visibility.INTERNAL, actor=coordination)
        written += 1
    # The inbox shows both: what was read, and the five newest, still to read.
    for user_id in Notification.objects.values_list("recipient_id", flat=True).distinct():
        newest = Notification.objects.filter(recipient_id=user_id).values("pk")[:5]
        Notification.objects.filter(recipient_id=user_id).exclude(
            pk__in=list(newest.values_list("pk", flat=True))).update(read_at=timezone.now())
    return written


def _pay(year: AllocationYear, today: datetime.date, after: datetime.date | None = None) -> None:
    """The year's instalments due by today, released and paid on their planned day (or once
    the previous report is accepted); the later ones stay planned (a schedule half paid)."""
    if allocations.payment_blockers(year):
        return
    for instalment in year.instalments.exclude(status=Instalment.Status.PAID).order_by("number"):
        day = max(instalment.planned_on, after or instalment.planned_on)
        if day > today:
            break
        instalment = payments.instalment_release(instalment=instalment, actor=SYSTEM,
                                                 released_on=day)
        payments.instalment_pay(instalment=instalment, actor=SYSTEM, paid_on=day)


def _hold_last_instalment(allocation: Allocation, year: AllocationYear,
                          today: datetime.date) -> None:
    """Coordination holds a stage's last instalment until its final report is in: moved a
    month ahead, with the reason (so the schedule is half paid)."""
    last = year.instalments.order_by("-number").first()
    final = allocation.reports.get(kind=Report.Kind.FINAL)
    if last is None or last.status != Instalment.Status.PLANNED or last.planned_on > today \
            or final.status == Report.Status.ACCEPTED:
        return
    payments.instalment_change(
        instalment=last, actor=SYSTEM, planned_on=today + datetime.timedelta(days=30),
        amount=last.amount, reason="Dernier versement retenu jusqu'à la remise du rapport "
                                   "final de l'étape.")


# A report that fell due this recently is handed in (a few days early), or, for these
# neighbourhoods, still missing (overdue by a few days); one due before was accepted.
RECENT = datetime.timedelta(days=30)
LATE_REPORTERS = ("Saint-Michel",)


def _follow(allocation: Allocation, today: datetime.date) -> None:
    """An allocation's story: payments, the check-ins due held, the reports due more than a
    month ago accepted (a stage 1 closed by its final report), the one due since handed in
    (or late, LATE_REPORTERS), those ahead drafted (their budget)."""
    member, advisor = _member(allocation.neighbourhood_id), _advisor(allocation.neighbourhood_id)
    years = list(allocation.years.select_related("checkin", "report").order_by("year_number"))
    _pay(years[0], today)
    if allocation.stage.number > 1:
        _hold_last_instalment(allocation, years[-1], today)
    for year in years:
        held_on = year.checkin.due_on + datetime.timedelta(days=5)
        if year.checkin.held_on is None and held_on <= today and advisor is not None:
            checkins.checkin_record(
                checkin=year.checkin, actor=advisor, held_on=held_on,
                participants="Coordination de la table, deux organismes porteurs",
                summary="Les activités avancent comme prévu; la mobilisation est bonne.",
                follow_ups="Envoyer le gabarit du rapport annuel.")
    if member is None or advisor is None:
        return
    theme = THEMES[theme_of(allocation.proposal.initiative)]
    question = allocation.proposal.evaluation_questions.first()
    values, progress = {}, {}
    if question is not None:
        name, unit, baseline, target, reached = theme["indicator"]
        indicator = Indicator.objects.filter(question=question).first() or reports.indicator_add(
            question=question, name=name, unit=unit, baseline=baseline, target=target,
            actor=member, definition=IndicatorDefinition.objects.filter(
                program=allocation.stage.program_id, name=name).first())
        values = {indicator.pk: reached}
        progress = {question.pk: theme["progress"]}
    final = allocation.reports.get(kind=Report.Kind.FINAL)
    every = [*(y.report for y in years), final]
    done = [r for r in every if r.due_on < today - RECENT]
    recent = [r for r in every if today - RECENT <= r.due_on <= today]
    late = allocation.neighbourhood.name in LATE_REPORTERS
    submitted = recent[0] if recent and not late else None
    for report in done:
        if report.status == Report.Status.DRAFT:
            reports.report_save_draft(
                report=report, actor=member, lines=lines_for(_report_total(report, years)),
                indicator_values=values,
                question_progress=progress,
                texts={**theme["texts"], **GUIDE_TEXTS,
                       "strategic_learnings": STRATEGIC_LEARNINGS})
            handed_in = report.due_on - datetime.timedelta(days=10)
            reports.report_submit(report=report, actor=member, now=_at(handed_in))
            reports.report_accept(report=report, actor=advisor,
                                  now=_at(handed_in + datetime.timedelta(days=14)))
        report.refresh_from_db()
        if report.allocation_year_id and report.status == Report.Status.ACCEPTED:
            following = next((y for y in years
                              if y.year_number == report.allocation_year.year_number + 1), None)
            if following is not None:
                _pay(following, today, after=timezone.localdate(report.accepted_at)
                     + datetime.timedelta(days=7))
    if submitted is not None and submitted.status == Report.Status.DRAFT:
        reports.report_save_draft(report=submitted, actor=member,
                                  texts={**theme["texts"], **GUIDE_TEXTS,
                                         "strategic_learnings": STRATEGIC_LEARNINGS},
                                  lines=lines_for(_report_total(submitted, years)),
                                  indicator_values=values, question_progress=progress)
        reports.report_submit(report=submitted, actor=member,
                              now=_at(submitted.due_on - datetime.timedelta(days=3)))
    # The reports still ahead: drafts holding the budget (nothing spent yet).
    for report in every:
        if report not in done and report != submitted and report.status == \
                Report.Status.DRAFT and not report.lines.exists():
            reports.report_save_draft(report=report, actor=member, texts={},
                                      lines=lines_for(_report_total(report, years),
                                                      spent=False))


def _report_total(report: Report, years: list[AllocationYear]) -> Decimal:
    """What a report accounts for: its year's amount, or the stage's for the final report."""
    return report.allocation_year.amount if report.allocation_year_id else sum(
        (y.amount for y in years), Decimal(0))
