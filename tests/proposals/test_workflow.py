"""The state machine: every allowed and refused transition, per role."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from neighbourhoods.models import Membership
from pic import outbox
from pic.access import SYSTEM
from pic.models import AuditEvent
from proposals import workflow
from proposals.models import Proposal
from proposals.tasks import send_submission_receipt
from proposals.workflow import TRANSITIONS, IllegalTransition
from tests import factories

S = Proposal.Status

# transition -> the roles allowed to do it (system: pic.access.SYSTEM)
ALLOWED = {
    "submit": {"member", "system"},
    "resubmit": {"member", "system"},
    "withdraw": {"member", "system"},
    "start_analysis": {"advisor", "coordination", "system"},
    "request_changes": {"advisor", "coordination", "system"},
    "mark_letter_sent": {"coordination", "system"},
}
ROLES = ["member", "other_member", "advisor", "other_advisor", "coordination", "system"]


@pytest.fixture
def people(tq_saint_michel, tq_verdun, advisor_est, coordination, verdun):
    return {
        "member": tq_saint_michel,
        "other_member": tq_verdun,
        "advisor": advisor_est,
        "other_advisor": factories.make_advisor(verdun),
        "coordination": coordination,
        "system": SYSTEM,
    }


def put(proposal, status):
    Proposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


def run(transition, proposal, actor):
    extra = {"message": "Précisez le budget."} if transition == "request_changes" else {}
    return workflow.TRANSITION_FUNCTIONS[transition](proposal=proposal, actor=actor, **extra)


CASES = [(t, role) for t in workflow.TRANSITION_FUNCTIONS for role in ROLES]


@pytest.mark.parametrize(("transition", "role"), CASES)
def test_transition_per_role(draft, people, transition, role, django_capture_on_commit_callbacks):
    sources, target = TRANSITIONS[transition].sources, TRANSITIONS[transition].target
    put(draft, sources[0])
    if role in ALLOWED[transition]:
        with django_capture_on_commit_callbacks(execute=True):
            result = run(transition, draft, people[role])
        assert result.status == target
        draft.refresh_from_db()
        assert draft.status == target
        assert AuditEvent.objects.filter(verb=f"proposal.{transition}",
                                         object_id=str(draft.pk)).exists()
    else:
        with pytest.raises(PermissionDenied):
            run(transition, draft, people[role])
        draft.refresh_from_db()
        assert draft.status == sources[0]


ILLEGAL = [(t, s) for t in workflow.TRANSITION_FUNCTIONS for s in S.values
           if s not in TRANSITIONS[t].sources and s != TRANSITIONS[t].target]


@pytest.mark.parametrize(("transition", "status"), ILLEGAL)
def test_illegal_transition_raises_a_clear_error(draft, transition, status):
    put(draft, status)
    with pytest.raises(IllegalTransition) as caught:
        run(transition, draft, SYSTEM)
    assert isinstance(caught.value, ValidationError)
    assert "Impossible de passer la proposition" in caught.value.messages[0]
    assert str(S(status).label) in caught.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == status


def test_withdrawal_is_refused_after_a_decision(draft):
    for status in (S.RECOMMENDED, S.NOT_RECOMMENDED, S.RATIFIED, S.LETTER_SENT):
        put(draft, status)
        with pytest.raises(IllegalTransition):
            workflow.proposal_withdraw(proposal=draft, actor=SYSTEM)


def test_a_double_submit_is_harmless(draft, tq_saint_michel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    assert draft.versions.count() == 1
    assert AuditEvent.objects.filter(verb="proposal.submit").count() == 1


def test_submit_refuses_with_every_failed_rule(saint_michel, stages, open_window,
                                               tq_saint_michel):
    from .conftest import make_proposal

    proposal = make_proposal(saint_michel, stages[1], amounts=[24999])
    with pytest.raises(ValidationError) as caught:
        workflow.proposal_submit(proposal=proposal, actor=tq_saint_michel)
    assert {"contact", "year_1"} <= set(caught.value.error_dict)
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT
    assert not proposal.versions.exists()


def test_submit_records_the_window_and_freezes_version_1(draft, tq_saint_michel, open_window):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    draft.refresh_from_db()
    assert draft.window == open_window
    assert draft.submitted_at is not None
    version = draft.versions.get()
    assert version.number == 1
    assert version.snapshot["title"] == draft.title
    assert version.snapshot["years"] == {"1": "25000.00"}


def test_request_changes_needs_a_message(draft, advisor_est):
    put(draft, S.IN_ANALYSIS)
    with pytest.raises(ValidationError):
        workflow.proposal_request_changes(proposal=draft, actor=advisor_est, message=" ")


def test_resubmission_freezes_the_next_version(draft, tq_saint_michel, advisor_est,
                                               django_capture_on_commit_callbacks):
    from proposals import services

    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
        workflow.proposal_start_analysis(proposal=draft, actor=advisor_est)
        workflow.proposal_request_changes(proposal=draft, actor=advisor_est,
                                          message="Précisez le budget.")
        services.proposal_save_draft(proposal=draft, actor=tq_saint_michel,
                                     data={"summary": "Résumé révisé"})
        workflow.proposal_resubmit(proposal=draft, actor=tq_saint_michel)
    numbers = list(draft.versions.values_list("number", flat=True))
    assert numbers == [1, 2]
    assert draft.versions.get(number=2).snapshot["summary"] == "Résumé révisé"
    assert draft.versions.get(number=1).snapshot["summary"] == "Résumé"
    # Two receipts to the member and the request for changes; the advisor's two notifications.
    to_member = [m.subject for m in mail.outbox if m.to == [tq_saint_michel.email]]
    to_advisor = [m.subject for m in mail.outbox if m.to == [advisor_est.email]]
    assert len(to_member) == 3
    assert sum("Accusé de réception" in s for s in to_member) == 2
    assert len(to_advisor) == 2
    assert "a déposé de nouveau la proposition" in to_advisor[1]


# --- Receipts ----------------------------------------------------------------------------------


def test_receipt_goes_to_members_and_the_advisor_is_notified_once(
        draft, saint_michel, tq_saint_michel, advisor_est, tq_verdun, coordination,
        django_capture_on_commit_callbacks):
    colleague = factories.make_member(saint_michel, role=Membership.Role.MEMBER,
                                      email="agente@example.org")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    # the receipt, the advisor's notification (a cache forgotten is no side effect), then the
    # receipt's one email per member
    assert len([c for c in callbacks if not getattr(c, "pic_cache_forget", False)]) == 2 + 2
    receipts = [m for m in mail.outbox if "Accusé de réception" in m.subject]
    assert sorted(r for m in receipts for r in m.to) == sorted([tq_saint_michel.email,
                                                                colleague.email])
    assert draft.title in receipts[0].body
    [notified] = [m for m in mail.outbox if m not in receipts]
    assert notified.to == [advisor_est.email]
    assert f"/propositions/{draft.pk}/" in notified.body


def test_receipt_is_in_the_neighbourhoods_language(draft, saint_michel, tq_saint_michel,
                                                   django_capture_on_commit_callbacks):
    saint_michel.language = "en"
    saint_michel.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    from django.utils import translation

    with translation.override("en"):
        from django.utils.translation import gettext

        expected = gettext("Accusé de réception — %(title)s (version %(n)s)") % {
            "title": draft.title, "n": 1}
    assert expected in [m.subject for m in mail.outbox if m.to == [tq_saint_michel.email]]


def test_no_email_until_the_transaction_commits(draft, tq_saint_michel,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    assert mail.outbox == []
    # the receipt, the advisor's notification (a cache forgotten is no side effect)
    assert len([c for c in callbacks if not getattr(c, "pic_cache_forget", False)]) == 2


def test_receipt_task_is_idempotent(draft, tq_saint_michel, advisor_est,
                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    sent = len(mail.outbox)
    version = draft.versions.get()
    assert send_submission_receipt(version.pk) == 0
    assert send_submission_receipt(999999) == 0
    assert len(mail.outbox) == sent == 2


def test_a_submission_records_its_receipt_in_the_outbox(
        draft, tq_saint_michel, django_capture_on_commit_callbacks, mailoutbox):
    from pic.models import OutboxMessage

    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    version = draft.versions.get()
    message = OutboxMessage.objects.get(key=f"receipt:{version.pk}")
    assert message.task == "proposals.tasks.send_submission_receipt"
    assert message.done_at is not None
    assert mailoutbox


# --- One road to each decision ---------------------------------------------------------------


def test_recommending_and_ratifying_are_not_transitions_a_page_can_ask_for():
    assert not {"recommend", "not_recommend", "ratify"} & set(workflow.TRANSITION_FUNCTIONS)
    assert TRANSITIONS["recommend"].only_via == "agenda_item"
    assert TRANSITIONS["not_recommend"].only_via == "agenda_item"
    assert TRANSITIONS["ratify"].only_via == "ratification"


@pytest.mark.parametrize("function", [workflow.proposal_recommend,
                                      workflow.proposal_not_recommend])
def test_recommend_refuses_without_the_committee_vote(draft, coordination, function):
    put(draft, S.IN_ANALYSIS)
    with pytest.raises(TypeError):
        function(proposal=draft, actor=coordination)  # no agenda item: no road
    with pytest.raises(workflow.WrongRoad, match="fermeture du vote"):
        function(proposal=draft, actor=coordination, agenda_item=None)
    draft.refresh_from_db()
    assert draft.status == S.IN_ANALYSIS


def test_recommend_refuses_another_proposals_agenda_item(draft, coordination, saint_michel,
                                                         stages):
    from .conftest import make_proposal

    other = make_proposal(saint_michel, stages[1], title="Autre")
    put(other, S.IN_ANALYSIS)
    item = factories.committee_decide(other)
    put(draft, S.IN_ANALYSIS)
    with pytest.raises(workflow.WrongRoad):
        workflow.proposal_recommend(proposal=draft, agenda_item=item, actor=SYSTEM)
    draft.refresh_from_db()
    assert draft.status == S.IN_ANALYSIS


def test_ratify_refuses_without_a_ratification(draft, coordination):
    put(draft, S.RECOMMENDED)
    with pytest.raises(workflow.WrongRoad, match="entérinement"):
        workflow.proposal_ratify(proposal=draft, ratification=None, actor=coordination)
    draft.refresh_from_db()
    assert draft.status == S.RECOMMENDED


def test_the_committee_vote_and_the_ratification_are_the_roads(draft, coordination,
                                                               django_capture_on_commit_callbacks):
    put(draft, S.IN_ANALYSIS)
    item = factories.committee_decide(draft)
    assert draft.status == S.RECOMMENDED
    event = AuditEvent.objects.get(verb="proposal.recommend", object_id=str(draft.pk))
    assert event.details["agenda_item"] == item.pk
    ratification = factories.ratify(draft, actor=coordination)
    assert draft.status == S.RATIFIED
    event = AuditEvent.objects.get(verb="proposal.ratify", object_id=str(draft.pk))
    assert event.details["ratification"] == ratification.pk


def test_a_mail_server_hanging_up_halfway_sends_no_receipt_twice(
        draft, tq_saint_michel, saint_michel, smtp_drops_once,
        django_capture_on_commit_callbacks):
    other = factories.make_member(saint_michel)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    with django_capture_on_commit_callbacks(execute=True):  # the sweep, for what still waits
        outbox.dispatch_pending(now=timezone.now() + datetime.timedelta(hours=1))
    assert smtp_drops_once == []  # it did hang up
    receipts = sorted(m.to[0] for m in mail.outbox if "Accusé de réception" in m.subject)
    assert receipts == sorted([tq_saint_michel.email, other.email])
