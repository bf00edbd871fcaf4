"""Demo data for the program and the neighbourhoods' files, built through the services and the
workflow (history replayed with past dates). Idempotent: each neighbourhood's story is written
once, keyed on its initiative's title."""

import datetime
from decimal import Decimal

from django.utils import timezone

from neighbourhoods.models import Neighbourhood
from pic.models import User

from . import services, workflow
from .models import (
    Contact,
    Initiative,
    PrerequisiteItem,
    Program,
    Proposal,
    Stage,
    Window,
)
from .rules import MONTREAL

D = Decimal

STAGES = [
    # number, name, normal, max, min/yr, max/yr, capacity building (whole stage), description
    (1, "Planification", 1, 2, D("25000"), D("50000"), D("10000"),
     "Préparer la mise en œuvre d'une initiative et élaborer un plan de déploiement (ou "
     "d'intensification)."),
    (2, "Déploiement", 3, 4, D("75000"), D("150000"), D("20000"),
     "Mettre en œuvre le plan de déploiement d'une initiative d'impact collectif."),
    (3, "Intensification", 3, 3, D("150000"), D("350000"), D("30000"),
     "Intensifier une initiative déjà déployée ayant des effets tangibles et documentés."),
]

STAGE_1_PREREQUISITES = [
    "Un plan de quartier adopté ou en cours d'adoption.",
    "La priorisation collective d'un changement souhaité qui sera travaillé en mode d'impact "
    "collectif.",
]
PREREQUISITES = {
    1: STAGE_1_PREREQUISITES,
    2: [*STAGE_1_PREREQUISITES,
        "Plan de déploiement : une vision de changement (une page).",
        "Plan de déploiement : un plan sommaire de captation des apprentissages pour l'étape 2.",
        "Plan de déploiement : la planification des stratégies collectives pour UNE initiative "
        "d'impact collectif.",
        "Plan de déploiement : la prise en compte de l'équité, de la diversité et de "
        "l'inclusion (ÉDI) tout au long."],
    3: [*STAGE_1_PREREQUISITES,
        "Une initiative déjà déployée ayant des effets tangibles et documentés.",
        "Des apprentissages tirés et réinvestis, basés sur des données analysées "
        "collectivement.",
        "Plan d'intensification : une vision de changement (une page).",
        "Plan d'intensification : un plan de captation des apprentissages pour l'étape 3.",
        "Plan d'intensification : les stratégies collectives pour UNE initiative d'impact "
        "collectif.",
        "Plan d'intensification : la prise en compte de l'ÉDI tout au long."],
}

# name, deadline, stages accepted
WINDOWS = [
    ("15 octobre 2021 — étape 1", datetime.date(2021, 10, 15), (1,)),
    ("1er février 2022", datetime.date(2022, 2, 1), (1, 2, 3)),
    ("29 mars 2022", datetime.date(2022, 3, 29), (1, 2, 3)),
    ("14 octobre 2022", datetime.date(2022, 10, 14), (1, 2, 3)),
]
CURRENT_WINDOW = "Période de dépôt en cours"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=MONTREAL)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def seed_program() -> tuple[Program, dict[int, Stage], dict[str, Window]]:
    program, _ = Program.objects.get_or_create(
        slug="pic-phase-2",
        defaults={"name": "PIC phase 2 (2021–2026)", "starts_on": d("2021-09-01"),
                  "ends_on": d("2026-12-31"), "letter_of_intent_deadline": d("2021-10-15")},
    )
    stages = {}
    for number, name, normal, longest, low, high, capacity, description in STAGES:
        stages[number], _ = Stage.objects.get_or_create(
            program=program, number=number,
            defaults={"name": name, "normal_duration_years": normal,
                      "max_duration_years": longest, "min_yearly_amount": low,
                      "max_yearly_amount": high, "capacity_building_amount": capacity,
                      "description": description},
        )
        for position, label in enumerate(PREREQUISITES[number], start=1):
            PrerequisiteItem.objects.get_or_create(stage=stages[number], position=position,
                                                   defaults={"label": label})
    windows = {}
    today = timezone.localdate()
    for name, deadline, numbers in [*WINDOWS, (CURRENT_WINDOW, today + datetime.timedelta(
            days=30), (1, 2, 3))]:
        window, created = Window.objects.get_or_create(program=program, name=name,
                                                       defaults={"deadline": deadline})
        if created:
            window.stages.set([stages[n] for n in numbers])
        windows[name] = window
    return program, stages, windows


EVIDENCE = {
    "plan de quartier": "Le plan de quartier 2021-2026 a été adopté en assemblée le "
                        "{date}; il est joint au dossier.",
    "priorisation": "Le changement souhaité a été priorisé collectivement lors du forum de "
                    "quartier, avec plus de 80 personnes et 30 organismes.",
}

QUESTIONS = [
    {"question": "Dans quelle mesure les familles du quartier ont-elles un meilleur accès à "
                 "une alimentation saine et abordable?",
     "data_to_collect": "Fréquentation des marchés solidaires, sondage auprès de 200 ménages",
     "target": "Hausse de 20 % des ménages déclarant un accès régulier"},
]


def _fill(proposal: Proposal, actor: User | None, amounts: list[int], *, change: str,
          justification: str = "", capacity: int = 5000) -> None:
    evidence = {}
    for item in proposal.stage.prerequisites.all():
        text = (f"{item.label} — Démarche menée par la table : {change}. Les documents "
                "d'appui ont été présentés à l'assemblée de la table.")
        evidence[item.pk] = text
    services.proposal_save_draft(proposal=proposal, actor=actor, data={
        "summary": f"La table propose de travailler en mode d'impact collectif sur ce "
                   f"changement souhaité : {change}.",
        "vision": f"D'ici cinq ans, {change[0].lower()}{change[1:]}, grâce à l'action "
                  "concertée des organismes, des institutions et des résident·e·s.",
        "duration_years": len(amounts),
        "duration_justification": justification,
        "capacity_building_amount": D(capacity),
        "edi": "Les personnes immigrantes, les aîné·e·s isolé·e·s et les familles à faible "
               "revenu participent aux comités; l'information est traduite en quatre langues.",
        "ci_engagement": "Un comité de résident·e·s siège à chaque étape de décision.",
        "ci_aspirations": "Une vision commune adoptée par les partenaires de la table.",
        "ci_learning": "Des bilans trimestriels analysés collectivement.",
        "ci_influence": "Des représentations auprès de l'arrondissement et du CIUSSS.",
        "ci_support": "La table de quartier coordonne et soutient la démarche.",
        "years": {n: D(amount) for n, amount in enumerate(amounts, start=1)},
        "evidence": evidence,
        "questions": QUESTIONS,
    })


class Story:
    """One neighbourhood's history, replayed through the services."""

    def __init__(self, program, stages, neighbourhood, member, advisor, coordination):
        self.program, self.stages = program, stages
        self.neighbourhood, self.member = neighbourhood, member
        self.advisor, self.coordination = advisor, coordination

    def letter(self, day: str, change: str, stage: int, acknowledged: str | None = None):
        letter = services.letter_of_intent_submit(
            neighbourhood=self.neighbourhood, program=self.program, desired_change=change,
            target_stage=self.stages[stage], actor=self.member, now=at(d(day)))
        if acknowledged:
            services.letter_of_intent_acknowledge(letter=letter, actor=self.advisor,
                                                  now=at(d(acknowledged)))

    def contact(self, day: str, summary: str):
        services.contact_record(neighbourhood=self.neighbourhood, date=d(day),
                                kind=Contact.Kind.PRE_SUBMISSION, summary=summary,
                                actor=self.advisor, advisor=self.advisor)

    def initiative(self, title: str, change: str, day: str) -> Initiative:
        return services.initiative_create(neighbourhood=self.neighbourhood,
                                          program=self.program, title=title,
                                          desired_change=change, actor=self.member,
                                          now=at(d(day)))

    def proposal(self, initiative: Initiative, stage: int, amounts: list[int],
                 justification: str = "", title: str = "") -> Proposal:
        proposal = services.proposal_create(
            initiative=initiative, stage=self.stages[stage], actor=self.member,
            title=title or f"{initiative.title} — étape {stage}")
        _fill(proposal, self.member, amounts, change=initiative.desired_change,
              justification=justification)
        return proposal

    def submit(self, proposal: Proposal, day: str | None) -> Proposal:
        return workflow.proposal_submit(proposal=proposal, actor=self.member,
                                        now=at(d(day)) if day else None)

    def through(self, proposal: Proposal, *steps: str, message: str = "") -> Proposal:
        for step in steps:
            if step == "start_analysis":
                workflow.proposal_start_analysis(proposal=proposal, actor=self.advisor)
            elif step == "request_changes":
                workflow.proposal_request_changes(proposal=proposal, actor=self.advisor,
                                                  message=message)
            elif step == "resubmit":
                proposal.refresh_from_db()
                services.proposal_save_draft(proposal=proposal, actor=self.member, data={
                    "summary": f"{proposal.summary}\n\nRévisée à la suite des modifications "
                               f"demandées : {proposal.changes_requested_note}",
                    "years": {3: D("115000")},
                })
                workflow.proposal_resubmit(proposal=proposal, actor=self.member)
            else:
                workflow.TRANSITION_FUNCTIONS[step](proposal=proposal, actor=self.coordination)
        proposal.refresh_from_db()
        return proposal


DECIDED = ("start_analysis", "recommend", "ratify", "mark_letter_sent")


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def seed(tenants: dict) -> dict:
    program, stages, windows = seed_program()
    neighbourhoods: dict[str, Neighbourhood] = tenants["neighbourhoods"]
    coordination = tenants["coordination"]
    est, ouest = _user("conseillere.est@example.org"), _user("conseiller.ouest@example.org")
    centre = _user("conseillere.centre@example.org")

    def story(name, member_email, advisor):
        member = _user(member_email) if member_email else None
        return Story(program, stages, neighbourhoods[name], member, advisor, coordination)

    def told(name, title):
        return Initiative.objects.filter(neighbourhood=neighbourhoods[name], title=title).exists()

    # Saint-Michel: food security through stages 1 and 2, a stage 3 draft; then a new
    # initiative at stage 1 (allowed after stage 2), submitted in the open window.
    if not told("Saint-Michel", "Sécurité alimentaire à Saint-Michel"):
        s = story("Saint-Michel", "tq.saint-michel@example.org", est)
        change = ("Les familles de Saint-Michel ont accès à une alimentation saine, abordable "
                  "et de proximité")
        s.contact("2021-09-20", "Échange sur les intentions du quartier et l'étape visée "
                                "(planification).")
        s.letter("2021-10-01", change, 1, acknowledged="2021-10-04")
        food = s.initiative("Sécurité alimentaire à Saint-Michel", change, "2021-10-01")
        first = s.proposal(food, 1, [45000])
        s.submit(first, "2021-10-12")
        s.through(first, *DECIDED)
        second = s.proposal(food, 2, [120000, 130000, 140000])
        s.submit(second, "2022-10-05")
        s.through(second, "start_analysis", "recommend", "ratify")
        s.proposal(food, 3, [200000, 250000, 250000])
        school = s.initiative(
            "Persévérance scolaire à Saint-Michel",
            "Les jeunes de Saint-Michel terminent leurs études secondaires", "2025-01-15")
        s.submit(s.proposal(school, 1, [40000]), None)

    # Verdun: housing through stage 1 (letter sent), stage 2 with changes requested, a
    # withdrawn proposal and an extension on the open window.
    if not told("Verdun", "Logement abordable et salubre à Verdun"):
        s = story("Verdun", "tq.verdun@example.org", ouest)
        change = ("Les locataires de Verdun vivent dans des logements abordables, salubres et "
                  "adaptés à leurs besoins")
        s.contact("2021-10-05", "Rencontre avec la coordination de la table sur le logement.")
        s.letter("2021-10-14", change, 1, acknowledged="2021-10-18")
        housing = s.initiative("Logement abordable et salubre à Verdun", change, "2021-10-14")
        first = s.proposal(housing, 1, [30000, 35000],
                           justification="Deux ans sont nécessaires pour mobiliser les "
                                         "locataires des grands ensembles.")
        s.submit(first, "2022-01-25")
        s.through(first, *DECIDED)
        second = s.proposal(housing, 2, [90000, 100000, 110000])
        s.submit(second, "2022-10-12")
        s.through(second, "start_analysis", "request_changes",
                  message="Précisez le plan de captation des apprentissages et le budget de "
                          "la troisième année.")
        mobility = s.initiative("Mobilité active à Verdun",
                                "Les résident·e·s se déplacent à pied et à vélo en sécurité",
                                "2022-11-01")
        withdrawn = s.proposal(mobility, 1, [30000])
        workflow.proposal_withdraw(proposal=withdrawn, actor=s.member,
                                   reason="Le quartier poursuit d'abord son initiative en "
                                          "logement.")
        services.window_extension_grant(
            window=windows[CURRENT_WINDOW], neighbourhood=neighbourhoods["Verdun"],
            new_deadline=windows[CURRENT_WINDOW].deadline + datetime.timedelta(days=14),
            reason="Changement à la coordination de la table.", actor=coordination)

    # Hochelaga-Maisonneuve: entry at stage 2; not recommended, then resubmitted.
    if not told("Hochelaga-Maisonneuve", "Alimentation saine dans Hochelaga-Maisonneuve"):
        s = story("Hochelaga-Maisonneuve", "tq.hochelaga@example.org", est)
        change = "Les résident·e·s d'Hochelaga-Maisonneuve mangent sainement toute l'année"
        s.contact("2022-03-01", "Échange sur l'entrée directe à l'étape 2.")
        s.letter("2021-10-13", change, 2, acknowledged="2021-10-20")
        food = s.initiative("Alimentation saine dans Hochelaga-Maisonneuve", change,
                            "2021-10-13")
        first = s.proposal(food, 2, [80000, 90000, 90000])
        s.submit(first, "2022-03-25")
        s.through(first, "start_analysis", "not_recommend")
        again = s.proposal(food, 2, [100000, 110000, 120000],
                           title="Alimentation saine — étape 2, nouvelle proposition")
        s.submit(again, "2022-10-10")
        s.through(again, "start_analysis", "request_changes", "resubmit",
                  message="Ajoutez les données du portrait alimentaire du quartier.")

    # Lachine: entry at stage 3, in analysis.
    if not told("Lachine", "Réussite éducative à Lachine"):
        s = story("Lachine", "tq.lachine@example.org", ouest)
        change = "Les jeunes de Lachine obtiennent leur premier diplôme"
        s.contact("2025-01-10", "Échange sur l'intensification de l'initiative existante.")
        s.letter("2021-10-15", change, 3)
        school = s.initiative("Réussite éducative à Lachine", change, "2021-10-15")
        third = s.proposal(school, 3, [200000, 220000, 240000])
        s.submit(third, None)
        s.through(third, "start_analysis")

    # Rosemont (recommended) and Montréal-Nord (submitted): the system acts for them.
    if not told("Rosemont", "Sécurité alimentaire à Rosemont"):
        s = story("Rosemont", None, est)
        change = "Les aîné·e·s de Rosemont ont accès à une alimentation saine"
        s.contact("2022-09-15", "Échange préalable au dépôt.")
        food = s.initiative("Sécurité alimentaire à Rosemont", change, "2022-09-15")
        first = s.proposal(food, 1, [50000])
        s.submit(first, "2022-10-01")
        s.through(first, "start_analysis", "recommend")
    if not told("Montréal-Nord", "Persévérance scolaire à Montréal-Nord"):
        s = story("Montréal-Nord", None, est)
        change = "Les jeunes de Montréal-Nord persévèrent à l'école"
        s.contact("2025-01-20", "Échange préalable au dépôt.")
        school = s.initiative("Persévérance scolaire à Montréal-Nord", change, "2025-01-20")
        s.submit(s.proposal(school, 1, [35000]), None)
    if not told("Parc-Extension", "Logement à Parc-Extension"):
        s = story("Parc-Extension", None, centre)
        change = "Les familles de Parc-Extension restent dans leur quartier"
        s.letter("2021-10-15", change, 1)
        housing = s.initiative("Logement à Parc-Extension", change, "2021-10-15")
        s.proposal(housing, 1, [25000])
    return {"program": program, "stages": stages, "windows": windows}

