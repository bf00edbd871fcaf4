"""Demo data for governance: the three committees and their members, the decisions the
proposals' stories reach (`DemoDecisions`, handed to proposals.demo by seed_demo), and a coming
meeting of the comité de gestion."""

import datetime
from decimal import Decimal

from neighbourhoods.demo import demo_user
from neighbourhoods.models import AdvisorAssignment, Membership
from pic.access import SYSTEM
from pic.models import User
from proposals.demo import fill_blank
from proposals.demo_dates import date_fr, demo_today
from proposals.models import Proposal

from . import selectors, services
from .models import (
    AgendaItem,
    Analysis,
    Committee,
    CommitteeMember,
    DecisionLetter,
    Meeting,
    RatificationAct,
    Vote,
)

COMMITTEES = [
    (Committee.Kind.PARTENAIRES, "Comité des partenaires",
     "Niveau stratégique : entérine les décisions d'investissement. Un·e représentant·e "
     "senior par partenaire philanthropique et institutionnel, et la CMTQ."),
    (Committee.Kind.GESTION, "Comité de gestion",
     "Suit les initiatives locales et recommande les investissements. Un·e délégué·e par "
     "fondation, par partenaire institutionnel, et une gestionnaire de Centraide."),
    (Committee.Kind.GOUVERNANCE, "Comité de gouvernance",
     "Veille à la santé du partenariat : trois membres, un par groupe de partenaires."),
]

COMMITTEE_NAMES_EN = {
    Committee.Kind.PARTENAIRES: "Partners' committee",
    Committee.Kind.GESTION: "Management committee",
    Committee.Kind.GOUVERNANCE: "Governance committee",
}

# (email, full name, organisation short name, chair?)
GESTION = [
    ("gestion.centraide@example.org", "Claire Dubois", "Centraide", True),
    ("gestion.chagnon@example.org", "François Bélanger", "Fondation Chagnon", False),
    ("gestion.ville@example.org", "Marie-Ève Pelletier", "Ville de Montréal", False),
    ("gestion.cmtq@example.org", "Samuel Ouellet", "CMTQ", False),
    ("gestion.mcconnell@example.org", "Olivia Grant", "McConnell", False),
    ("gestion.drsp@example.org", "Luc Morin", "DRSP", False),
]
PARTENAIRES = [
    ("partenaires.centraide@example.org", "Robert Fortin", "Centraide", True),
    ("partenaires.chagnon@example.org", "Lise Gauthier", "Fondation Chagnon", False),
    ("partenaires.ville@example.org", "Antoine Girard", "Ville de Montréal", False),
    ("partenaires.cmtq@example.org", "Mélanie Caron", "CMTQ", False),
]
GOUVERNANCE = [
    ("gouvernance.coutu@example.org", "Nathalie Roy", "Fondation Coutu", True),
    ("gouvernance.ville@example.org", "Éric Boucher", "Ville de Montréal", False),
    ("gouvernance.cmtq@example.org", "Fatima Haddad", "CMTQ", False),
]


def seed_committees(organisations: dict) -> dict:
    """The committees and their seats (before the proposals: decisions need them)."""
    committees = {}
    for kind, name, mandate in COMMITTEES:
        committees[kind], _ = Committee.objects.get_or_create(
            kind=kind, defaults={"name": name, "name_en": COMMITTEE_NAMES_EN[kind],
                                 "mandate": mandate}
        )
        fill_blank(committees[kind], name_en=COMMITTEE_NAMES_EN[kind])
    for kind, people in ((Committee.Kind.GESTION, GESTION),
                         (Committee.Kind.PARTENAIRES, PARTENAIRES),
                         (Committee.Kind.GOUVERNANCE, GOUVERNANCE)):
        for email, full_name, org, chair in people:
            services.committee_member_seat(
                committee=committees[kind], user=demo_user(email, full_name),
                organisation=organisations[org], is_chair=chair, actor=SYSTEM,
            )
    return committees


def seed_governance_meeting(gouvernance: Committee) -> Meeting:
    """The comité de gouvernance meets on the partnership's health (no allocation decided)."""
    meeting = Meeting.objects.filter(committee=gouvernance).first()
    if meeting is None:
        meeting = services.meeting_create(
            committee=gouvernance, title="Dynamique partenariale et préparation du comité des "
                                         "partenaires",
            held_on=demo_today() - datetime.timedelta(days=21), actor=SYSTEM)
    return meeting


def seed(organisations: dict) -> dict:
    committees = seed_committees(organisations)
    seed_governance_meeting(committees[Committee.Kind.GOUVERNANCE])
    meeting = seed_meeting(committees[Committee.Kind.GESTION])
    return {"committees": committees, "meeting": meeting}


# A past vote of the comité de gestion: (member's email, choice). The CMTQ's delegate is
# present but recused from investment decisions.
PAST_VOTES = [
    ("gestion.centraide@example.org", Vote.Choice.FOR),
    ("gestion.chagnon@example.org", Vote.Choice.AGAINST),
    ("gestion.ville@example.org", Vote.Choice.AGAINST),
    ("gestion.mcconnell@example.org", Vote.Choice.AGAINST),
    ("gestion.drsp@example.org", Vote.Choice.ABSTAIN),
]


class DemoDecisions:
    """Decisions of the proposals' stories, through the governance services: ratification
    (which makes the allocation and, on commit, the decision letter) and committee votes."""

    def __init__(self, committees: dict, coordination: User):
        self.committees, self.coordination = committees, coordination

    def analyse(self, proposal: Proposal) -> None:
        """The advisor's analysis, before the committee's recommendation."""
        _seed_analysis(proposal)

    def ratify(self, proposal: Proposal, ratified_on: datetime.date, *,
               send_letter: bool = True) -> None:
        """Within the comité des partenaires' deliberation of that day (one resolution for
        all the files it ratifies), with the comité de gestion meeting that recommended."""
        body = services.ratifying_committee(proposal.stage.program)
        act = RatificationAct.objects.filter(committee=body, held_on=ratified_on).first()
        if act is None:
            recommended_at = (AgendaItem.objects.filter(
                proposal=proposal, result=AgendaItem.Result.RECOMMENDED)
                .select_related("meeting").order_by("-meeting__held_on").first())
            act = services.ratification_act_create(
                committee=body, mode=RatificationAct.Mode.MEETING, held_on=ratified_on,
                resolution_number=f"CP-{ratified_on:%Y-%m-%d}", actor=self.coordination,
                source_meeting=recommended_at.meeting if recommended_at else None,
                notes="Recommandations du comité de gestion entérinées en séance.")
        services.ratification_record(proposal=proposal, ratified_on=ratified_on,
                                     actor=self.coordination, act=act)
        if send_letter:
            # What the tasks queued on commit do (the letter, then its email); done now so
            # that the letter exists even when seed_demo runs inside an outer transaction
            # (tests, benchmark). The tasks, when they run, find it done and do nothing.
            # Coordination read it and sent it; the table accepted its conditions.
            letter = services.letter_issue(
                proposal=proposal, kind=DecisionLetter.Kind.ALLOCATION, actor=SYSTEM)
            self._send(letter)
            member = (Membership.objects.active()
                      .filter(neighbourhood_id=proposal.neighbourhood_id, user__is_active=True)
                      .select_related("user").order_by("role", "started_at").first())
            if member is not None:
                services.letter_acknowledge(letter=letter, actor=member.user)

    def _send(self, letter: DecisionLetter) -> None:
        """Coordination sends the letter it read; its email, done now (what the outbox's
        task does on commit)."""
        letter = services.letter_send(letter=letter, actor=self.coordination)
        services.letter_email_send(letter=letter)

    def _put_to_vote(self, proposal: Proposal, held_on: datetime.date, *, reuse: bool = True):
        """The proposal on the agenda of a held meeting of the comité de gestion (that day's,
        when `reuse`), every member present; returns (item, chair)."""
        gestion = self.committees[Committee.Kind.GESTION]
        title = f"Rencontre d'allocation — {date_fr(held_on)}"
        meeting = ((reuse and Meeting.objects.filter(committee=gestion, title=title).first())
                   or services.meeting_create(
                       committee=gestion, title=title, held_on=held_on,
                       location="Centraide, 493 rue Sherbrooke Ouest", actor=self.coordination))
        item = services.agenda_item_add(meeting=meeting, proposal=proposal,
                                        actor=self.coordination)
        chair = CommitteeMember.objects.current().get(committee=gestion, is_chair=True).user
        services.attendance_set(
            meeting=meeting, actor=chair,
            present=list(CommitteeMember.objects.current().filter(committee=gestion)))
        return item, chair

    def recommend(self, proposal: Proposal, *, held_on: datetime.date) -> None:
        """The comité de gestion recommends the proposal: every eligible member votes for,
        the chair closes the vote."""
        item, chair = self._put_to_vote(proposal, held_on)
        for seat in selectors.eligible_members(item).select_related("user"):
            services.vote_cast(item=item, actor=seat.user, choice=Vote.Choice.FOR)
        services.item_close(item=item, actor=chair,
                            reasons="Besoins documentés; préalables remplis.")

    def refuse(self, proposal: Proposal, *, held_on: datetime.date, reasons: str) -> None:
        """A held meeting of the comité de gestion votes the proposal down; its minutes are
        produced and the refusal letter sent."""
        _seed_analysis(proposal, unmet={
            "captation": "Le plan de captation des apprentissages n'est pas joint.",
            "priorisation": "Le portrait alimentaire qui fonde la priorisation reste à faire."})
        item, chair = self._put_to_vote(proposal, held_on, reuse=False)
        for email, choice in PAST_VOTES:
            user = User.objects.get(email=email)
            seat = selectors.seat_for(item, user)
            if seat is not None and selectors.recusal_reason(item, seat) is None:
                services.vote_cast(item=item, actor=user, choice=choice)
        services.item_close(item=item, actor=chair, reasons=reasons)
        services.minutes_generate(meeting=item.meeting, actor=self.coordination)
        services.refusal_letter_request(proposal=proposal, actor=self.coordination)
        letter = services.letter_issue(proposal=proposal, kind=DecisionLetter.Kind.REFUSAL,
                                       actor=SYSTEM)
        self._send(letter)


DEMO_MEETING = "Rencontre d'allocation — démonstration"


def seed_meeting(gestion: Committee) -> Meeting | None:
    """A coming meeting of the comité de gestion with the proposals in analysis on its agenda,
    each with the advisor's analysis, and one vote cast. Written once (keyed on its title)."""
    if Meeting.objects.filter(committee=gestion, title=DEMO_MEETING).exists():
        return Meeting.objects.get(committee=gestion, title=DEMO_MEETING)
    proposals = list(Proposal.objects.filter(status__in=selectors.DECIDABLE)
                     .select_related("stage", "neighbourhood").order_by("pk")[:3])
    if not proposals:
        return None
    meeting = services.meeting_create(
        committee=gestion, title=DEMO_MEETING, location="Centraide, 493 rue Sherbrooke Ouest",
        held_on=demo_today() + datetime.timedelta(days=7), actor=SYSTEM)
    for proposal in proposals:
        _seed_analysis(proposal)
        item = services.agenda_item_add(meeting=meeting, proposal=proposal, actor=SYSTEM)
    voter = selectors.seat_for(item, demo_user("gestion.chagnon@example.org",
                                              "François Bélanger"))
    if voter is not None and selectors.recusal_reason(item, voter) is None:
        services.vote_cast(item=item, actor=voter.user, choice=Vote.Choice.FOR)
    return meeting


def _seed_analysis(proposal: Proposal, unmet: dict[str, str] | None = None) -> None:
    """The advisor's analysis; `unmet` maps words of a prerequisite's label to the comment
    saying why it is not met."""
    if Analysis.objects.filter(proposal=proposal).exists():
        return
    assignment = (AdvisorAssignment.objects.active().filter(neighbourhood=proposal.neighbourhood)
                  .select_related("advisor").first())
    if assignment is None:
        return
    requested = {y.year_number: y.amount for y in proposal.years.all()}
    services.analysis_save(
        proposal=proposal, actor=assignment.advisor,
        needs_and_context=(f"{proposal.neighbourhood} : besoins documentés dans le plan de "
                           "quartier; concertation active et partenaires engagés."),
        conditions="Bilan de mi-année avec la conseillère ou le conseiller territorial.",
        capacity_building_amount=min(proposal.capacity_building_amount,
                                     proposal.stage.capacity_building_amount) or Decimal("0"),
        prerequisites={item.pk: _assessed(item.label, unmet or {})
                       for item in proposal.stage.prerequisites.all()},
        yearly_amounts={n: min(amount, proposal.stage.max_yearly_amount)
                        for n, amount in requested.items()},
        guide_texts=GUIDE_ASSESSMENTS,
    )


# The advisor's assessment per condition of collective impact, and the people's reach.
GUIDE_ASSESSMENTS = {
    "assess_engagement": "Les résident·e·s concerné·e·s siègent au comité; à élargir aux "
                         "jeunes.",
    "assess_aspirations": "Vision commune claire, adoptée par la table.",
    "assess_learning": "Plan de captation des apprentissages réaliste.",
    "assess_influence": "Liens établis avec l'arrondissement; à développer avec le CIUSSS.",
    "assess_support": "La table joue pleinement son rôle de structure de soutien.",
    "people_concerned_reach": "Environ 150 ménages à faible revenu rejoints directement; "
                              "des résident·e·s participent aux décisions.",
}


def _assessed(label: str, unmet: dict[str, str]) -> tuple[bool, str]:
    for words, comment in unmet.items():
        if words.lower() in label.lower():
            return False, comment
    return True, ""
