"""Demo data for the program and the neighbourhoods' files, built through the services and the
workflow (history replayed with past dates, on the demo's calendar: proposals.demo_dates).
Idempotent: each neighbourhood's story is written
once, keyed on its initiative's title.

Decisions belong to a higher layer (governance): seed_demo passes them in as `decisions`, an
object with `recommend(proposal, held_on)`, `ratify(proposal, ratified_on, send_letter)` and
`refuse(proposal, held_on, reasons)`, so this module never imports governance."""

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from neighbourhoods.models import AdvisorAssignment, Neighbourhood
from pic.access import SYSTEM
from pic.models import User
from pic.pdf import html_to_pdf

from . import plans, services, workflow
from .budget import budget_categories, proposal_budget_save
from .demo_dates import (
    PROGRAM_SLUG,
    at,
    date_en,
    date_fr,
    month_shift,
    month_year,
    shift,
    year,
)
from .models import (
    Contact,
    ExternalPartner,
    IndicatorDefinition,
    Initiative,
    LetterOfIntent,
    NeighbourhoodPlan,
    PlanPriority,
    PrerequisiteItem,
    Program,
    Proposal,
    Stage,
    Window,
)

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

# The past windows (deadline as of demo_dates.ANCHOR, stages accepted), named after their
# shifted deadline; the last one closed seven weeks ago, so its files are near the eight-week
# ratification limit. The current window closes in 30 days.
WINDOWS = [
    ("2021-10-15", (1,)),
    ("2022-02-01", (1, 2, 3)),
    ("2022-03-29", (1, 2, 3)),
    ("2022-10-14", (1, 2, 3)),
    ("2023-03-28", (1, 2, 3)),
    ("2023-12-19", (1, 2, 3)),
]
CURRENT_WINDOW = "Période de dépôt en cours"
CURRENT_WINDOW_EN = "Current submission window"
CURRENT_WINDOW_DAYS = 30


def window_names(deadline: datetime.date, stages: tuple[int, ...]) -> tuple[str, str]:
    """A past window's French and English names, from its deadline (« 1er février 2022 »)."""
    if stages == (1,):
        return f"{date_fr(deadline)} — étape 1", f"{date_en(deadline)} — stage 1"
    return date_fr(deadline), date_en(deadline)

# The English names of the program's data (shown on English pages; French stays the reference).
STAGE_NAMES_EN = {1: "Planning", 2: "Deployment", 3: "Intensification"}
PREREQUISITES_EN = {
    "Un plan de quartier adopté ou en cours d'adoption.":
        "A neighbourhood plan, adopted or being adopted.",
    "La priorisation collective d'un changement souhaité qui sera travaillé en mode d'impact "
    "collectif.":
        "A desired change, collectively prioritised, to be worked on in a collective impact "
        "approach.",
    "Plan de déploiement : une vision de changement (une page).":
        "Deployment plan: a vision of change (one page).",
    "Plan de déploiement : un plan sommaire de captation des apprentissages pour l'étape 2.":
        "Deployment plan: a summary plan for capturing learnings in stage 2.",
    "Plan de déploiement : la planification des stratégies collectives pour UNE initiative "
    "d'impact collectif.":
        "Deployment plan: the planning of collective strategies for ONE collective impact "
        "initiative.",
    "Plan de déploiement : la prise en compte de l'équité, de la diversité et de "
    "l'inclusion (ÉDI) tout au long.":
        "Deployment plan: equity, diversity and inclusion (EDI) taken into account throughout.",
    "Une initiative déjà déployée ayant des effets tangibles et documentés.":
        "An initiative already deployed, with tangible and documented effects.",
    "Des apprentissages tirés et réinvestis, basés sur des données analysées "
    "collectivement.":
        "Learnings drawn and reinvested, based on collectively analysed data.",
    "Plan d'intensification : une vision de changement (une page).":
        "Intensification plan: a vision of change (one page).",
    "Plan d'intensification : un plan de captation des apprentissages pour l'étape 3.":
        "Intensification plan: a plan for capturing learnings in stage 3.",
    "Plan d'intensification : les stratégies collectives pour UNE initiative d'impact "
    "collectif.":
        "Intensification plan: the collective strategies for ONE collective impact initiative.",
    "Plan d'intensification : la prise en compte de l'ÉDI tout au long.":
        "Intensification plan: EDI taken into account throughout.",
}


def fill_blank(obj, **values) -> None:
    """Fill the given fields where they are still empty (rows seeded before they existed);
    a second run changes nothing."""
    blank = [field for field, value in values.items() if value and not getattr(obj, field)]
    for field in blank:
        setattr(obj, field, values[field])
    if blank:
        obj.save(update_fields=blank)


d = shift  # every date the stories name is a date as of ANCHOR, moved to the demo's calendar


def seed_program() -> tuple[Program, dict[int, Stage], dict[str, Window]]:
    starts, ends = d("2021-09-01"), d("2027-12-31")  # a stage 3 ratified today fits in it
    program, _ = Program.objects.get_or_create(
        slug=PROGRAM_SLUG,
        defaults={"name": f"PIC phase 2 ({starts.year}–{ends.year})", "starts_on": starts,
                  "ends_on": ends, "letter_of_intent_deadline": d("2021-10-15")},
    )
    stages = {}
    for number, name, normal, longest, low, high, capacity, description in STAGES:
        stages[number], _ = Stage.objects.get_or_create(
            program=program, number=number,
            defaults={"name": name, "name_en": STAGE_NAMES_EN[number],
                      "normal_duration_years": normal,
                      "max_duration_years": longest, "min_yearly_amount": low,
                      "max_yearly_amount": high, "capacity_building_amount": capacity,
                      "description": description},
        )
        fill_blank(stages[number], name_en=STAGE_NAMES_EN[number])
        for position, label in enumerate(PREREQUISITES[number], start=1):
            item, _ = PrerequisiteItem.objects.get_or_create(
                stage=stages[number], position=position,
                defaults={"label": label, "label_en": PREREQUISITES_EN[label]})
            if item.label == label:
                fill_blank(item, label_en=PREREQUISITES_EN[label])
    windows = {}
    # Open today (the demo's day when it is first seeded; a window kept once made).
    current = timezone.localdate() + datetime.timedelta(days=CURRENT_WINDOW_DAYS)
    for name, name_en, deadline, numbers in [
            *((*window_names(d(day), numbers), d(day), numbers) for day, numbers in WINDOWS),
            (CURRENT_WINDOW, CURRENT_WINDOW_EN, current, (1, 2, 3))]:
        window, created = Window.objects.get_or_create(
            program=program, name=name, defaults={"deadline": deadline, "name_en": name_en})
        fill_blank(window, name_en=name_en)
        if created:
            window.stages.set([stages[n] for n in numbers])
        windows[name] = window
    seed_guide_lists(program)
    return program, stages, windows


# The program's lists the guide names: the external partners of capacity building (guide 3.2)
# and the indicator catalogue (name, English name, unit, kind, aim).
EXTERNAL_PARTNERS = (
    ("Dynamo", "Dynamo", "Accompagnement en mobilisation et en évaluation des collectivités."),
    ("Milieux de la recherche (laboratoire universitaire partenaire)",
     "Research community (partner university lab)",
     "Soutien à l'évaluation et à la captation des apprentissages."),
)
INDICATOR_CATALOGUE = (
    ("Familles rejointes", "Families reached", "familles", "count", "people"),
    ("Logements dont l'insalubrité a été corrigée", "Dwellings repaired", "logements", "count",
     "systemic"),
    ("Jeunes accompagnés toujours inscrits", "Supported youth still enrolled", "jeunes",
     "count", "people"),
    ("Déplacements actifs comptés aux abords des écoles", "Active trips counted near schools",
     "déplacements/jour", "count", "systemic"),
    ("Organismes engagés dans la démarche", "Organisations involved", "organismes", "count",
     "collaborative"),
    ("Taux de diplomation", "Graduation rate", "%", "percent", "people"),
)


def seed_guide_lists(program: Program) -> None:
    for position, (name, name_en, description) in enumerate(EXTERNAL_PARTNERS):
        ExternalPartner.objects.get_or_create(program=program, name=name, defaults={
            "name_en": name_en, "description": description, "position": position})
    for name, name_en, unit, kind, aim in INDICATOR_CATALOGUE:
        IndicatorDefinition.objects.get_or_create(program=program, name=name, defaults={
            "name_en": name_en, "unit": unit, "kind": kind, "aim": aim})


# Each initiative's evaluation question fits its desired change (keyed by theme).
QUESTIONS = {
    "food": {"question": "Dans quelle mesure les ménages visés ont-ils un meilleur accès à une "
                         "alimentation saine et abordable?",
             "data_to_collect": "Fréquentation des marchés solidaires et des cuisines "
                                "collectives; sondage auprès de 200 ménages",
             "target": "Hausse de 20 % des ménages déclarant un accès régulier"},
    "housing": {"question": "Dans quelle mesure les locataires connaissent-ils leurs droits et "
                            "obtiennent-ils la correction des problèmes d'insalubrité?",
                "data_to_collect": "Registre des visites et des plaintes du comité logement; "
                                   "suivi des inspections de l'arrondissement",
                "target": "150 logements corrigés et 400 locataires informés de leurs droits"},
    "school": {"question": "Dans quelle mesure les jeunes à risque de décrochage restent-ils "
                           "engagés dans leur parcours scolaire?",
               "data_to_collect": "Absentéisme et diplomation (centre de services scolaire); "
                                  "groupes de discussion avec les jeunes",
               "target": "Baisse de 15 % de l'absentéisme chez les jeunes accompagnés"},
    "mobility": {"question": "Les déplacements à pied et à vélo sont-ils plus sûrs et plus "
                             "fréquents aux abords des écoles et des parcs?",
                 "data_to_collect": "Comptages piétons et cyclistes; collisions déclarées au "
                                    "SPVM",
                 "target": "Hausse de 25 % des déplacements actifs aux abords des écoles"},
}
# The guide's aim each question serves (proposals.guide.EvaluationAim).
QUESTION_AIMS = {"food": "people", "housing": "systemic", "school": "people",
                 "mobility": "systemic"}
THEMES = (("aliment", "food"), ("logement", "housing"), ("scolaire", "school"),
          ("éducati", "school"), ("mobilité", "mobility"))


def theme_of(initiative: Initiative) -> str:
    """The initiative's theme, from its title (the demo's initiatives all name theirs)."""
    title = initiative.title.lower()
    return next((theme for word, theme in THEMES if word in title), "food")


# Evidence for each prerequisite, matched on words of its label: a sentence a table would write.
EVIDENCE = (
    ("plan de quartier", "Le plan de quartier de {name} {plan} a été adopté en assemblée "
                         "générale de la table en {adopted}; il fixe les priorités dont découle "
                         "ce changement."),
    ("priorisation", "Le forum de quartier de {forum} a réuni 85 résident·e·s et 32 "
                     "organismes : ce changement y a été retenu au premier rang des priorités."),
    ("vision", "La vision de changement tient sur une page; le comité de pilotage l'a adoptée "
               "et elle ouvre le plan de déploiement."),
    ("captation", "Bilans trimestriels, registre des apprentissages et une journée d'analyse "
                  "collective par an, accompagnée par Dynamo."),
    ("stratégies", "Trois stratégies collectives, planifiées sur la durée de l'étape, avec les "
                   "organismes porteurs et leur rôle pour chacune."),
    ("ÉDI", "Un comité ÉDI a revu chaque stratégie : information traduite, garde d'enfants "
            "et transport offerts, rencontres dans des lieux accessibles."),
    ("équité", "Un comité ÉDI a revu chaque stratégie : information traduite, garde d'enfants "
               "et transport offerts, rencontres dans des lieux accessibles."),
    ("déjà déployée", "L'initiative est déployée depuis {deployed}; le bilan de l'étape 2 "
                      "documente ses effets, mesurés avec les partenaires et présentés à "
                      "l'assemblée."),
    ("apprentissages tirés", "Les données de l'étape 2 ont été analysées en deux journées "
                             "collectives; les constats ont réorienté deux stratégies."),
)


def plan_years(first: int = 2021) -> str:
    """« 2021-2026 »: a plan de quartier's five years, on the demo's calendar."""
    return f"{year(first)}-{year(first) + 5}"


def evidence_for(label: str, neighbourhood: Neighbourhood) -> str:
    for words, text in EVIDENCE:
        if words.lower() in label.lower():
            return text.format(name=neighbourhood.name, plan=plan_years(),
                               adopted=month_year("2021-06-15"),
                               forum=month_year("2021-09-15"), deployed=year(2022))
    return f"La table de {neighbourhood.name} a présenté les pièces à son assemblée."


# The demo's budgets: each line's share of a year's amount (administration takes the rest);
# reporting's demo spends against the same lines.
BUDGET_SHARES = (("salaries", D("0.60")), ("activities", D("0.25")), ("evaluation", D("0.08")),
                 ("administration", None))


def budget_split(amount: D) -> dict[str, D]:
    """A year's amount split into the demo's budget lines (to the dollar, totalling it)."""
    lines, left = {}, amount
    for code, share in BUDGET_SHARES:
        lines[code] = left if share is None else (amount * share).quantize(D("1"),
                                                                          ROUND_HALF_UP)
        left -= lines[code]
    return lines


def budget_fill(proposal: Proposal, actor: User) -> None:
    """The proposal's budget by line, each year's lines totalling its requested amount."""
    codes = {c.code: c.pk for c in budget_categories(proposal.stage.program)}
    lines = {(codes[code], year.year_number): amount for year in proposal.years.all()
             for code, amount in budget_split(year.amount).items()}
    proposal_budget_save(proposal=proposal, actor=actor, lines=lines)


def capacity_split(capacity: int) -> dict[str, D]:
    """The guide's split of the capacity-building amount: 60 % external support, 20 % internal
    evaluation resources, the rest other uses (the parts total the amount)."""
    external = (D(capacity) * D("0.6")).quantize(D("1"))
    internal = (D(capacity) * D("0.2")).quantize(D("1"))
    return {"capacity_external_amount": external, "capacity_internal_amount": internal,
            "capacity_other_amount": D(capacity) - external - internal}


def _fill(proposal: Proposal, actor: User, amounts: list[int], *, change: str,
          justification: str = "", capacity: int = 5000) -> None:
    evidence = {item.pk: evidence_for(item.label, proposal.neighbourhood)
                for item in proposal.stage.prerequisites.all()}
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
        "edi_axes": ["capacity", "representation", "populations"],
        **capacity_split(capacity),
        "capacity_needs": ["evaluation", "edi", "sustainability"],
        "capacity_needs_detail": "Former le comité de suivi à l'analyse collective des données.",
        "capacity_partners": list(ExternalPartner.objects.filter(
            program=proposal.stage.program_id, active=True)[:1]),
        "years": {n: D(amount) for n, amount in enumerate(amounts, start=1)},
        "evidence": evidence,
        "questions": [{**QUESTIONS[theme_of(proposal.initiative)],
                       "aim": QUESTION_AIMS[theme_of(proposal.initiative)]}],
    })
    budget_fill(proposal, actor)


def demo_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A small real PDF (WeasyPrint), as a table would attach to its file."""
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return html_to_pdf(f"<html lang='fr'><head><meta charset='utf-8'><title>{escape(title)}"
                       f"</title></head><body><h1>{escape(title)}</h1>{body}</body></html>")


class Decisions(Protocol):
    analyse: Callable[..., object]
    recommend: Callable[..., object]
    ratify: Callable[..., object]
    refuse: Callable[..., object]


class Story:
    """One neighbourhood's history, replayed through the services."""

    def __init__(self, program, stages, neighbourhood, member, advisor, coordination,
                 decisions: Decisions):
        self.program, self.stages = program, stages
        self.neighbourhood, self.member = neighbourhood, member
        self.advisor, self.coordination = advisor, coordination
        self.decisions = decisions

    def letter(self, day: str, change: str, stage: int,
               acknowledged: str | None = None) -> LetterOfIntent:
        letter = services.letter_of_intent_submit(
            neighbourhood=self.neighbourhood, program=self.program, desired_change=change,
            target_stage=self.stages[stage], actor=self.member, now=at(d(day)))
        if acknowledged:
            letter = services.letter_of_intent_acknowledge(letter=letter, actor=self.advisor,
                                                           now=at(d(acknowledged)))
        return letter

    def contact(self, day: str, summary: str):
        services.contact_record(neighbourhood=self.neighbourhood, date=d(day),
                                kind=Contact.Kind.PRE_SUBMISSION, summary=summary,
                                actor=self.advisor, advisor=self.advisor)

    def initiative(self, title: str, change: str, day: str) -> Initiative:
        """The initiative's « changement prioritaire » is the plan's priority its title names."""
        priority = next((p for p in PlanPriority.objects.filter(
            plan__neighbourhood=self.neighbourhood) if title.lower().startswith(p.label.lower())),
            None)
        return services.initiative_create(neighbourhood=self.neighbourhood,
                                          program=self.program, title=title,
                                          desired_change=change, actor=self.member,
                                          now=at(d(day)), priority=priority)

    def proposal(self, initiative: Initiative, stage: int, amounts: list[int],
                 justification: str = "", title: str = "",
                 start_from: Proposal | None = None,
                 letter: LetterOfIntent | None = None) -> Proposal:
        proposal = services.proposal_create(
            initiative=initiative, stage=self.stages[stage], actor=self.member,
            title=title or f"{initiative.title} — étape {stage}", start_from=start_from,
            letter_of_intent=letter)
        _fill(proposal, self.member, amounts, change=initiative.desired_change,
              justification=justification)
        return proposal

    def document(self, proposal: Proposal, title: str, filename: str,
                 paragraphs: list[str]) -> None:
        """A PDF attached through the document service (checked by content) to the
        prerequisite it supports (the neighbourhood plan)."""
        item = proposal.stage.prerequisites.filter(label__icontains="plan de quartier").first()
        upload = SimpleUploadedFile(filename, demo_pdf(title, paragraphs),
                                    content_type="application/pdf")
        services.document_upload(proposal=proposal, upload=upload, actor=self.member,
                                 prerequisite_id=item.pk if item else None)

    def plan_extract(self, proposal: Proposal, adopted: str, day: str,
                     priorities: list[str]) -> str:
        """The extract of the neighbourhood's plan de quartier (its five years in its title),
        `adopted` by whom that day; returns the plan's title."""
        plan = f"Plan de quartier de {self.neighbourhood.name} {plan_years()}"
        self.document(proposal, f"{plan} (extrait)", f"{slugify(plan)}-extrait.pdf",
                      [f"{adopted}, {month_year(day)}.", *priorities])
        return plan

    def ratify(self, proposal: Proposal, *, on: str = "",
               send_letter: bool = True) -> Proposal:
        """The comité des partenaires ratifies six weeks after the window's deadline (within
        the program's eight), or `on` that day of the story, moved by whole months (an
        allocation of the past: see demo_dates.month_shift); the allocation and the decision
        letter follow."""
        proposal.refresh_from_db()
        day = month_shift(on) if on else proposal.window.deadline + datetime.timedelta(weeks=6)
        self.decisions.ratify(proposal, day, send_letter=send_letter)
        proposal.refresh_from_db()
        return proposal

    def stage_one(self, title: str, change: str, amount: int, *, started: str,
                  submitted: str) -> Proposal:
        """A new initiative's stage 1 file: the contact and the initiative `started` that day,
        the proposal `submitted` on that one."""
        self.contact(started, "Échange préalable au dépôt.")
        initiative = self.initiative(title, change, started)
        return self.submit(self.proposal(initiative, 1, [amount]), submitted)

    def submit(self, proposal: Proposal, day: str | None) -> Proposal:
        return workflow.proposal_submit(proposal=proposal, actor=self.member,
                                        now=at(d(day)) if day else None)

    def through(self, proposal: Proposal, *steps: str, message: str = "",
                recommended_on: str = "") -> Proposal:
        for step in steps:
            if step == "start_analysis":
                workflow.proposal_start_analysis(proposal=proposal, actor=self.advisor)
            elif step == "request_changes":
                workflow.proposal_request_changes(proposal=proposal, actor=self.advisor,
                                                  message=message)
            elif step == "resubmit":  # the last year trimmed by 5 000 $
                proposal.refresh_from_db()
                last = proposal.years.order_by("year_number").last()
                services.proposal_save_draft(proposal=proposal, actor=self.member, data={
                    "summary": f"{proposal.summary}\n\nRévisée à la suite des modifications "
                               f"demandées : {proposal.changes_requested_note}",
                    "years": {last.year_number: last.amount - D("5000")},
                })
                budget_fill(proposal, self.member)
                workflow.proposal_resubmit(proposal=proposal, actor=self.member)
            elif step == "recommend":
                # The committee's vote is the one road to a recommendation.
                self.decisions.analyse(proposal)  # the advisor's analysis comes first
                proposal.refresh_from_db()
                self.decisions.recommend(proposal, held_on=d(recommended_on) if recommended_on
                                         else proposal.window.deadline
                                         + datetime.timedelta(weeks=4))
            else:
                workflow.TRANSITION_FUNCTIONS[step](proposal=proposal, actor=self.coordination)
        proposal.refresh_from_db()
        return proposal


# Saint-Michel's stage 2 is ratified that day (six weeks after its window): its allocation's
# first year sets the program's report delays (reporting's demo, `seed_config`).
SAINT_MICHEL_STAGE_2_RATIFIED = "2022-11-25"
DECIDED = ("start_analysis", "recommend")  # then ratified through governance


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


# Each demo neighbourhood's plan de quartier: (title, first year or None, status, date,
# priorities); its title carries its five years.
PLANS = {
    "Saint-Michel": ("Plan de quartier de Saint-Michel", 2021, "adopted", "2021-06-15",
                     ["Sécurité alimentaire", "Persévérance scolaire", "Logement"]),
    "Verdun": ("Plan de quartier de Verdun", 2021, "adopted", "2021-06-10",
               ["Logement", "Mobilité active", "Sécurité alimentaire"]),
    "Hochelaga-Maisonneuve": ("Plan de quartier d'Hochelaga-Maisonneuve", None, "being_adopted",
                              "2022-06-01", ["Alimentation saine", "Logement"]),
    "Lachine": ("Plan de quartier de Lachine", 2020, "adopted", "2020-05-20",
                ["Réussite éducative", "Mobilité"]),
}


def seed_plans(neighbourhoods: dict[str, Neighbourhood]) -> None:
    for name, (title, first, status, day, priorities) in PLANS.items():
        title = f"{title} {plan_years(first)}" if first else title
        neighbourhood = neighbourhoods.get(name)
        if neighbourhood is not None and not NeighbourhoodPlan.objects.filter(
                neighbourhood=neighbourhood).exists():
            document = SimpleUploadedFile(
                f"{neighbourhood.slug}-plan-de-quartier.pdf", demo_pdf(title, [
                    f"Priorité {n} — {label}." for n, label in enumerate(priorities, start=1)]),
                content_type="application/pdf")
            plans.neighbourhood_plan_record(
                neighbourhood=neighbourhood, title=title, status=status, adopted_on=d(day),
                priorities=priorities, actor=SYSTEM, document=document)


def seed(tenants: dict, decisions: Decisions) -> dict:
    program, stages, windows = seed_program()
    seed_plans(tenants["neighbourhoods"])
    # The guide allows a planning to go straight to intensification (phase 1 initiatives).
    program.allow_planning_to_intensification = True
    # The history below is replayed before follow-up exists (reporting seeds the reports
    # last), so the rule on the previous stage's final report applies from today on.
    requires = program.next_stage_requires
    program.next_stage_requires = Program.NextStageRequires.NOTHING
    program.save(update_fields=["allow_planning_to_intensification", "next_stage_requires"])
    try:
        return _seed_stories(program, stages, windows, tenants, decisions)
    finally:
        program.next_stage_requires = requires
        program.save(update_fields=["next_stage_requires"])


def _seed_stories(program, stages, windows, tenants: dict, decisions: Decisions) -> dict:
    neighbourhoods: dict[str, Neighbourhood] = tenants["neighbourhoods"]
    coordination = tenants["coordination"]
    est, ouest = _user("conseillere.est@example.org"), _user("conseiller.ouest@example.org")
    centre = _user("conseillere.centre@example.org")

    def story(name, member_email, advisor):
        member = _user(member_email) if member_email else SYSTEM  # no account: the system
        return Story(program, stages, neighbourhoods[name], member, advisor, coordination,
                     decisions)

    def told(name, title):
        return Initiative.objects.filter(neighbourhood=neighbourhoods[name], title=title).exists()

    # The stories' dates are as of demo_dates.ANCHOR (a Monday): the last window closed seven
    # weeks before it, the current one closes 30 days after it.
    # Saint-Michel: food security through stage 1 (closed) and stage 2, in its second year
    # (its first annual report a week late, an amendment under review: reporting's demo), a
    # stage 3 draft; then a new initiative at stage 1, submitted in the open window.
    if not told("Saint-Michel", "Sécurité alimentaire à Saint-Michel"):
        s = story("Saint-Michel", "tq.saint-michel@example.org", est)
        change = ("Les familles de Saint-Michel ont accès à une alimentation saine, abordable "
                  "et de proximité")
        s.contact("2021-09-20", "Échange sur les intentions du quartier et l'étape visée "
                                "(planification).")
        letter = s.letter("2021-10-01", change, 1, acknowledged="2021-10-04")
        food = s.initiative("Sécurité alimentaire à Saint-Michel", change, "2021-10-01")
        first = s.proposal(food, 1, [45000], letter=letter)
        plan = s.plan_extract(first, "Adopté en assemblée générale de Vivre Saint-Michel en "
                                     "santé", "2021-06-15", [
            "Priorité 1 — Sécurité alimentaire : que les familles de Saint-Michel aient accès à "
            "une alimentation saine, abordable et de proximité.",
            "Priorité 2 — Persévérance scolaire. Priorité 3 — Logement.",
        ])
        s.submit(first, "2021-10-12")
        s.through(first, *DECIDED)
        s.ratify(first, on="2021-11-26")
        # Started from the stage-1 file: its vision, strategies and evidence carried over.
        second = s.proposal(food, 2, [120000, 130000, 140000], start_from=first)
        s.submit(second, "2022-10-05")
        s.through(second, *DECIDED)
        s.ratify(second, on=SAINT_MICHEL_STAGE_2_RATIFIED)
        third = s.proposal(food, 3, [200000, 250000, 250000])
        update = f"mise à jour {year(2023)}"
        s.document(third, f"{plan} ({update})", f"{slugify(plan)}-{slugify(update)}.pdf", [
            f"Mise à jour adoptée en assemblée générale, {month_year('2023-05-20')}.",
            "La sécurité alimentaire reste la priorité 1 : le plan d'intensification s'y "
            "rattache.",
        ])
        school = s.initiative(
            "Persévérance scolaire à Saint-Michel",
            "Les jeunes de Saint-Michel terminent leurs études secondaires", "2024-01-15")
        s.submit(s.proposal(school, 1, [40000]), None)

    # Verdun: housing at stage 1 over two years (ended; its final report handed in, waiting
    # for the advisor), then stage 2 in the open window, with changes requested; a withdrawn
    # proposal and an extension on the open window.
    if not told("Verdun", "Logement abordable et salubre à Verdun"):
        s = story("Verdun", "tq.verdun@example.org", ouest)
        change = ("Les locataires de Verdun vivent dans des logements abordables, salubres et "
                  "adaptés à leurs besoins")
        s.contact("2021-10-05", "Rencontre avec la coordination de la table sur le logement.")
        letter = s.letter("2021-10-08", change, 1, acknowledged="2021-10-12")
        housing = s.initiative("Logement abordable et salubre à Verdun", change, "2021-10-08")
        first = s.proposal(housing, 1, [30000, 35000], letter=letter,
                           justification="Deux ans sont nécessaires pour mobiliser les "
                                         "locataires des grands ensembles.")
        s.plan_extract(first, "Adopté par l'assemblée de la Concertation en développement "
                              "social de Verdun", "2021-06-10", [
            "Priorité 1 — Logement : des logements abordables, salubres et adaptés pour les "
            "locataires de Verdun, en premier lieu dans les grands ensembles.",
            "Priorité 2 — Mobilité active. Priorité 3 — Sécurité alimentaire.",
        ])
        s.submit(first, "2021-10-14")
        s.through(first, "start_analysis", "recommend", recommended_on="2021-10-22")
        s.ratify(first, on="2021-10-29")
        # After its final report, handed in last week (reporting's demo).
        second = s.proposal(housing, 2, [90000, 100000, 110000], start_from=first)
        s.submit(second, "2024-01-29")
        s.through(second, "start_analysis", "request_changes",
                  message="Précisez le plan de captation des apprentissages et le budget de "
                          "la troisième année.")
        mobility = s.initiative("Mobilité active à Verdun",
                                "Les résident·e·s se déplacent à pied et à vélo en sécurité",
                                "2023-11-01")
        withdrawn = s.proposal(mobility, 1, [30000])
        workflow.proposal_withdraw(proposal=withdrawn, actor=s.member,
                                   reason="Le quartier poursuit d'abord son initiative en "
                                          "logement.")
        services.window_extension_grant(
            window=windows[CURRENT_WINDOW], neighbourhood=neighbourhoods["Verdun"],
            new_deadline=windows[CURRENT_WINDOW].deadline + datetime.timedelta(days=14),
            reason="Changement à la coordination de la table.", actor=coordination)

    # Hochelaga-Maisonneuve: entry at stage 2; not recommended in the spring, resubmitted in
    # the autumn (changes requested, then recommended) and ratified at the partners' December
    # sitting: in its second year, its first annual report due at the end of the month.
    if not told("Hochelaga-Maisonneuve", "Alimentation saine dans Hochelaga-Maisonneuve"):
        s = story("Hochelaga-Maisonneuve", "tq.hochelaga@example.org", est)
        change = "Les résident·e·s d'Hochelaga-Maisonneuve mangent sainement toute l'année"
        s.contact("2022-03-01", "Échange sur l'entrée directe à l'étape 2.")
        letter = s.letter("2021-10-13", change, 2, acknowledged="2021-10-20")
        food = s.initiative("Alimentation saine dans Hochelaga-Maisonneuve", change,
                            "2021-10-13")
        first = s.proposal(food, 2, [80000, 90000, 90000], letter=letter)
        s.submit(first, "2022-03-25")
        s.through(first, "start_analysis")
        decisions.refuse(first, held_on=d("2022-05-10"), reasons=(
            "Les préalables de l'étape 2 ne sont pas encore démontrés : le portrait "
            "alimentaire du quartier et le plan de captation des apprentissages manquent. Le "
            "comité invite la table à déposer de nouveau à l'automne."))
        again = s.proposal(food, 2, [100000, 110000, 120000],
                           title="Alimentation saine — étape 2, nouvelle proposition")
        s.submit(again, "2022-10-10")
        s.through(again, "start_analysis", "request_changes", "resubmit", "recommend",
                  message="Ajoutez les données du portrait alimentaire du quartier.")
        s.ratify(again, on="2022-12-07")

    # Lachine: entry at stage 3 in the last window; changes requested, resubmitted, and on the
    # coming meeting's agenda a week before its ratification limit (at risk).
    if not told("Lachine", "Réussite éducative à Lachine"):
        s = story("Lachine", "tq.lachine@example.org", ouest)
        change = "Les jeunes de Lachine obtiennent leur premier diplôme"
        s.contact("2023-11-10", "Échange sur l'intensification de l'initiative existante.")
        s.letter("2021-10-15", change, 3)
        school = s.initiative("Réussite éducative à Lachine", change, "2021-10-15")
        third = s.proposal(school, 3, [200000, 220000, 240000])
        s.submit(third, "2023-12-14")
        s.through(third, "start_analysis", "request_changes", "resubmit",
                  message="Documentez les effets de l'initiative déjà déployée (données de "
                          "diplomation du centre de services scolaire).")

    # Rosemont (recommended last week, its ratification due in eight days), Parc-Extension
    # (ratified last week, its letter « à envoyer » for coordination to read) and Montréal-Nord
    # (in analysis in the open window): the system acts for them.
    if not told("Rosemont", "Sécurité alimentaire à Rosemont"):
        s = story("Rosemont", None, est)
        first = s.stage_one("Sécurité alimentaire à Rosemont",
                            "Les aîné·e·s de Rosemont ont accès à une alimentation saine",
                            50000, started="2023-11-01", submitted="2023-12-05")
        s.through(first, "start_analysis", "recommend", recommended_on="2024-02-01")
    if not told("Parc-Extension", "Logement à Parc-Extension"):
        s = story("Parc-Extension", None, centre)
        change = "Les familles de Parc-Extension restent dans leur quartier"
        s.letter("2021-10-15", change, 1)
        s.contact("2023-11-15", "Échange préalable au dépôt.")
        housing = s.initiative("Logement à Parc-Extension", change, "2021-10-15")
        first = s.proposal(housing, 1, [25000])
        s.submit(first, "2023-12-08")
        s.through(first, *DECIDED)
        # Its letter is made by the task run on commit, « à envoyer » for coordination.
        s.ratify(first, send_letter=False)
    if not told("Montréal-Nord", "Persévérance scolaire à Montréal-Nord"):
        s = story("Montréal-Nord", None, est)
        first = s.stage_one("Persévérance scolaire à Montréal-Nord",
                            "Les jeunes de Montréal-Nord persévèrent à l'école", 35000,
                            started="2024-01-08", submitted="2024-01-24")
        s.through(first, "start_analysis")
    seed_followed_files(program, stages, neighbourhoods)
    return {"program": program, "stages": stages, "windows": windows}


# Neighbourhoods with no story yet: the letter of intent some sent, and for every one the
# advisor's first contact, so each advisor's page shows every neighbourhood followed.
LETTERS_OF_INTENT = {
    "Anjou": ("Les aîné·e·s d'Anjou brisent leur isolement et restent actifs dans leur "
              "quartier", 1),
    "Mercier-Est": ("Les familles de Mercier-Est ont accès à des aliments frais à distance de "
                    "marche", 1),
    "Saint-Léonard": ("Les jeunes de Saint-Léonard trouvent leur place dans la vie du "
                      "quartier", 1),
    "Pointe-Saint-Charles": ("Les locataires de Pointe-Saint-Charles restent dans leur "
                             "quartier", 2),
    "Saint-Henri": ("Les familles de Saint-Henri ont accès à des logements abordables", 1),
    "Côte-des-Neiges": ("Les personnes nouvellement arrivées de Côte-des-Neiges accèdent aux "
                        "services dont elles ont besoin", 1),
    "Centre-Sud": ("Les résident·e·s du Centre-Sud mangent sainement toute l'année", 2),
    "Villeray": ("Les enfants de Villeray arrivent à l'école prêts à apprendre", 1),
}
FIRST_CONTACT = ("Présentation du PIC phase 2 à la coordination de la table : étapes, montants "
                 "et calendrier de dépôt.")


def seed_followed_files(program: Program, stages: dict[int, Stage],
                        neighbourhoods: dict[str, Neighbourhood]) -> None:
    assignments = (AdvisorAssignment.objects.active().select_related("advisor", "neighbourhood")
                   .order_by("neighbourhood__name"))
    for number, assignment in enumerate(assignments):
        neighbourhood, advisor = assignment.neighbourhood, assignment.advisor
        if (Contact.objects.filter(neighbourhood=neighbourhood).exists()
                or LetterOfIntent.objects.filter(neighbourhood=neighbourhood).exists()):
            continue
        met = d("2021-09-07") + datetime.timedelta(days=number % 20)
        services.contact_record(neighbourhood=neighbourhood, date=met, kind=Contact.Kind.OTHER,
                                summary=FIRST_CONTACT, actor=advisor, advisor=advisor)
        if neighbourhood.name in LETTERS_OF_INTENT:
            change, stage = LETTERS_OF_INTENT[neighbourhood.name]
            sent = met + datetime.timedelta(days=14)  # before the 15 October deadline
            letter = services.letter_of_intent_submit(
                neighbourhood=neighbourhood, program=program, desired_change=change,
                target_stage=stages[stage], actor=SYSTEM, now=at(sent))
            services.letter_of_intent_acknowledge(letter=letter, actor=advisor,
                                                  now=at(sent + datetime.timedelta(days=3)))

