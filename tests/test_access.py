"""The access vocabulary (pic.access): for every action, who is allowed and who is refused,
role by role; the system actor; the one role lookup and its cache."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import translation

from governance.models import AgendaItem, Committee, Meeting
from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import Neighbourhood, StaffRole
from pic import access
from pic.access import SYSTEM, can, ensure, roles_of
from pic.audit import audit
from pic.models import AuditEvent
from proposals.models import EvaluationQuestion, Initiative, LetterOfIntent, Proposal
from proposals.services import initiative_access_grant
from reporting.models import Allocation, AllocationYear, Amendment, CheckIn, Report
from tests import factories

ROLES = ["coordination", "advisor", "other_advisor", "member", "other_member", "committee",
         "chair", "other_committee", "partner", "evaluator", "anonymous", "system"]

COORDINATION = {"coordination", "system"}
MEMBERS = {"member", "system"}
FOLLOWERS = {"advisor", "coordination", "system"}
FILE = {"member", "advisor", "coordination", "system"}


@pytest.fixture
def world(saint_michel, verdun, coordination, advisor_est, tq_saint_michel, tq_verdun):
    """Everyone, and one object of each kind, all in Saint-Michel and decided by the comité de
    gestion (objects left unsaved where the rule reads only their relations)."""
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")
    partenaires = factories.CommitteeFactory(kind=Committee.Kind.PARTENAIRES,
                                             name="Comité des partenaires")
    seat = factories.make_committee_member(gestion)
    seat.is_chair = True
    seat.save()
    chair = seat.user
    partner = factories.UserFactory()
    neighbourhood_services.staff_role_grant(user=partner, role=StaffRole.Role.PARTNER,
                                            actor=SYSTEM)
    initiative = Initiative(pk=10**6, neighbourhood=saint_michel, title="Initiative")
    evaluator = factories.UserFactory()
    people = {
        "coordination": coordination, "advisor": advisor_est,
        "other_advisor": factories.make_advisor(verdun), "member": tq_saint_michel,
        "other_member": tq_verdun, "committee": factories.make_committee_member(gestion).user,
        "chair": chair, "other_committee": factories.make_committee_member(partenaires).user,
        "partner": partner, "evaluator": evaluator, "anonymous": AnonymousUser(),
        "system": SYSTEM,
    }
    proposal = Proposal(neighbourhood=saint_michel, initiative=initiative, title="Proposition")
    allocation = Allocation(neighbourhood=saint_michel, proposal=proposal)
    year = AllocationYear(allocation=allocation, year_number=1)
    meeting = Meeting(committee=gestion, title="Rencontre")
    objects = {
        "neighbourhood": saint_michel, "proposal": proposal, "initiative": initiative,
        "letter": LetterOfIntent(neighbourhood=saint_michel), "meeting": meeting,
        "item": AgendaItem(meeting=meeting, proposal=proposal), "allocation": allocation,
        "year": year, "report": Report(allocation=allocation),
        "checkin": CheckIn(allocation_year=year),
        "question": EvaluationQuestion(proposal=proposal), "committee": gestion,
        "amendment": Amendment(allocation=allocation, neighbourhood=saint_michel), None: None,
    }
    return people, objects


# action -> (the object it is asked on, the roles allowed)
TABLE = {
    "coordination.page": (None, COORDINATION),
    "membership.manage": ("neighbourhood", COORDINATION),
    "advisor.assign": ("neighbourhood", COORDINATION),
    "staff_role.grant": (None, COORDINATION),
    "invitation.create": (None, COORDINATION),
    "invitation.revoke": (None, COORDINATION),
    "audit.read": (None, COORDINATION),
    "organisation.recusal_set": (None, COORDINATION),
    "incident.manage": (None, COORDINATION),
    "neighbourhood.list": (None, {"coordination", "advisor", "other_advisor", "system"}),
    "neighbourhood.view": ("neighbourhood", FILE),
    "neighbourhood.remind": ("neighbourhood", FOLLOWERS),
    "proposal.create": ("initiative", MEMBERS),
    "proposal.edit": ("proposal", MEMBERS),
    "proposal.submit": ("proposal", MEMBERS),
    "proposal.resubmit": ("proposal", MEMBERS),
    "proposal.withdraw": ("proposal", MEMBERS),
    "initiative.create": ("neighbourhood", MEMBERS),
    "letter_of_intent.submit": ("neighbourhood", MEMBERS),
    "proposal.start_analysis": ("proposal", FOLLOWERS),
    "proposal.request_changes": ("proposal", FOLLOWERS),
    "letter_of_intent.acknowledge": ("letter", FOLLOWERS),
    "contact.record": ("neighbourhood", FILE),
    "proposal.view_file": ("proposal", FILE),
    "proposal.recommend": ("proposal", COORDINATION),
    "proposal.not_recommend": ("proposal", COORDINATION),
    "proposal.ratify": ("proposal", COORDINATION),
    "proposal.mark_letter_sent": ("proposal", COORDINATION),
    "proposal.amend": ("proposal", COORDINATION),
    "neighbourhood_plan.record": ("neighbourhood", FILE),
    "amendment.create": ("allocation", MEMBERS),
    "amendment.edit": ("amendment", MEMBERS),
    "amendment.submit": ("amendment", MEMBERS),
    "amendment.withdraw": ("amendment", MEMBERS),
    "amendment.review": ("amendment", FOLLOWERS),
    "amendment.request_changes": ("amendment", FOLLOWERS),
    "amendment.accept": ("amendment", COORDINATION),
    "amendment.refer": ("amendment", COORDINATION),
    "program.edit": (None, COORDINATION),
    "window.extend": ("neighbourhood", COORDINATION),
    "initiative.grant_read": ("initiative", COORDINATION),
    "committee.seat": ("committee", COORDINATION),
    "meeting.manage": ("meeting", COORDINATION),
    "ratification.record": ("proposal", COORDINATION),
    "letter.issue": ("proposal", COORDINATION),
    "letter.regenerate": ("proposal", COORDINATION),
    "letter.send": ("proposal", COORDINATION),
    "letter.template": (None, COORDINATION),
    "letter.acknowledge": ("proposal", MEMBERS),
    "vote.cast": ("item", {"committee", "chair", "system"}),
    "recusal.declare": ("item", {"committee", "chair", "system"}),
    "vote.close": ("item", {"chair", "coordination", "system"}),
    "vote.remind": ("item", {"chair", "coordination", "system"}),
    "attendance.record": ("meeting", {"chair", "coordination", "system"}),
    "analysis.write": ("proposal", FOLLOWERS),
    "report.edit": ("report", MEMBERS),
    "report.submit": ("report", MEMBERS),
    "report.resubmit": ("report", MEMBERS),
    "report.accept": ("report", FOLLOWERS),
    "report.request_changes": ("report", FOLLOWERS),
    "checkin.record": ("checkin", FOLLOWERS),
    "indicator.add": ("question", FILE),
    "allocation.create": ("proposal", COORDINATION),
    "allocation.disburse": ("year", COORDINATION),
    "instalment.release": ("year", COORDINATION),
    "instalment.pay": ("year", COORDINATION),
    "instalment.change": ("year", COORDINATION),
    "minutes.upload": ("meeting", {"chair", "coordination", "system"}),
    "envelope.set": (None, COORDINATION),
    "reporting.configure": (None, COORDINATION),
    "data.import": (None, COORDINATION),
    "portfolio.read": (None, {"coordination", "partner", "system"}),
    "followup.view": (None, {"coordination", "advisor", "other_advisor", "member",
                             "other_member", "system"}),
    "note.write": ("neighbourhood", FILE),
    "note.read": ("neighbourhood", FILE),
    "note.read_internal": ("neighbourhood", FOLLOWERS),
}


def test_the_table_covers_every_action_of_the_vocabulary():
    assert sorted(TABLE) == access.actions()


@pytest.mark.parametrize("action", sorted(TABLE))
def test_who_may_do_each_action(world, action):
    people, objects = world
    obj_name, allowed = TABLE[action]
    obj = objects[obj_name]
    answers = {role: can(people[role], action, obj) for role in ROLES}
    assert {role for role, yes in answers.items() if yes} == allowed
    for role in ROLES:
        if role in allowed:
            ensure(people[role], action, obj)
        else:
            with pytest.raises(PermissionDenied):
                ensure(people[role], action, obj)


def test_an_evaluator_reads_the_initiative_but_writes_nothing(world, coordination):
    people, objects = world
    initiative = Initiative.objects.create(
        neighbourhood=objects["neighbourhood"], title="Lue par une évaluatrice",
        program=_program(), desired_change="…")
    initiative_access_grant(initiative=initiative, user=people["evaluator"], actor=coordination)
    evaluator = people["evaluator"]
    assert Initiative.objects.visible_to(evaluator).filter(pk=initiative.pk).exists()
    proposal = Proposal(neighbourhood=initiative.neighbourhood, initiative=initiative)
    assert not any(can(evaluator, action, proposal) for action in
                   ("proposal.edit", "proposal.submit", "proposal.view_file"))


def _program():
    import datetime

    from proposals.models import Program

    return Program.objects.create(name="PIC", slug="pic", starts_on=datetime.date(2021, 1, 1),
                                  ends_on=datetime.date(2026, 12, 31))


def test_no_actor_is_refused_never_a_skipped_check():
    with pytest.raises(PermissionDenied):
        ensure(None, "program.edit")
    assert can(None, "program.edit") is False


def test_the_refusal_gives_its_reason_in_the_reader_s_language(tq_saint_michel):
    with pytest.raises(PermissionDenied) as refused:
        ensure(tq_saint_michel, "program.edit")
    with translation.override("en"):
        assert str(refused.value.args[0]) == "Reserved for the PIC coordination team."
    with translation.override("fr"):
        assert str(refused.value.args[0]) == "Réservé à l'équipe de coordination PIC."


def test_an_unknown_action_is_a_programming_error(coordination):
    with pytest.raises(LookupError):
        can(coordination, "proposal.teleport")


def test_the_system_acts_with_no_person_in_the_audit_log(saint_michel):
    event = audit(SYSTEM, "neighbourhood.checked", saint_michel)
    assert AuditEvent.objects.get(pk=event.pk).actor is None


def test_roles_are_looked_up_once_per_request(coordination, django_assert_num_queries):
    coordination = type(coordination).objects.get(pk=coordination.pk)  # a fresh request user
    with django_assert_num_queries(1):  # the staff roles
        assert can(coordination, "program.edit")
        assert can(coordination, "audit.read")
        assert roles_of(coordination).coordination


def test_ending_a_membership_takes_access_away_at_once(tq_saint_michel, saint_michel,
                                                       coordination):
    assert can(tq_saint_michel, "proposal.edit", saint_michel)
    assert Neighbourhood.objects.visible_to(tq_saint_michel).filter(pk=saint_michel.pk).exists()
    membership = tq_saint_michel.memberships.get()
    neighbourhood_services.membership_end(membership=membership, actor=coordination)
    # the same user object (the request's): its cached roles were forgotten
    assert not can(tq_saint_michel, "proposal.edit", saint_michel)
    assert not Neighbourhood.objects.visible_to(tq_saint_michel).exists()


def test_a_new_committee_seat_counts_at_once(coordination):
    from governance import services as governance

    person = factories.UserFactory()
    gestion = factories.CommitteeFactory()
    item = AgendaItem(meeting=Meeting(committee=gestion))
    assert not can(person, "vote.cast", item)
    governance.committee_member_seat(committee=gestion, user=person,
                                     organisation=factories.OrganisationFactory(),
                                     actor=coordination)
    assert can(person, "vote.cast", item)


def test_neighbourhood_access_needs_no_permission_rows(tq_saint_michel, advisor_est,
                                                       saint_michel, verdun):
    from guardian.models import UserObjectPermission

    assert not UserObjectPermission.objects.exists()
    assert list(Neighbourhood.objects.visible_to(tq_saint_michel)) == [saint_michel]
    assert list(Neighbourhood.objects.visible_to(advisor_est)) == [saint_michel]


def test_coordination_sees_every_neighbourhood_with_no_filter(coordination, saint_michel,
                                                             verdun):
    query = str(Proposal.objects.visible_to(coordination).query)
    assert "WHERE" not in query
    assert set(Neighbourhood.objects.visible_to(coordination)) == {saint_michel, verdun}


def test_the_visibility_filter_is_made_of_id_subqueries(tq_saint_michel):
    # (PostgreSQL puts each part of a UNION in parentheses: "IN ((SELECT …) UNION (SELECT …))")
    query = str(Proposal.objects.visible_to(tq_saint_michel).query).upper().replace(
        "((SELECT", "(SELECT")
    assert "EXISTS" not in query
    # first the rows of the user's neighbourhoods and of those holding a granted initiative,
    # one semi-join an index serves (memberships UNION assignments UNION granted's)...
    assert 'WHERE ("PROPOSALS_PROPOSAL"."NEIGHBOURHOOD_ID" IN (SELECT' in query
    # ...then, among them, the user's neighbourhoods' (memberships UNION assignments) or the
    # granted initiatives'
    assert query.count("IN (SELECT") == 4


def test_every_role_fact_comes_from_one_query(saint_michel, tq_saint_michel,
                                              django_assert_num_queries):
    """Staff roles, memberships, advisor assignments and committee seats are read together
    (pic.access.register_role_rows): a page spends one query on who the person is."""
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION)
    seat = factories.make_committee_member(gestion, email="siege@example.org")
    neighbourhood_services.membership_create(user=seat.user, neighbourhood=saint_michel,
                                             role="coordinator", actor=SYSTEM)
    user = type(seat.user).objects.get(pk=seat.user.pk)  # nothing cached on this object
    with django_assert_num_queries(1):
        roles = roles_of(user)
        assert (roles.coordination, roles.advisor, roles.partner) == (False, False, False)
        assert roles.neighbourhood_ids == (saint_michel.pk,)
        assert roles.advised_ids == ()
        assert roles.committee_ids == (gestion.pk,)
        assert roles.chaired_committee_ids == ()
