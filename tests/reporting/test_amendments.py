"""Amendments after ratification: a new version with its diff against the ratified one,
submitted by the table, reviewed by the advisor, accepted by coordination within the
allocation, or sent back to the committee beyond it; one email per event."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pic import outbox
from pic.access import SYSTEM
from proposals.models import Proposal
from proposals.versions import version_freeze
from reporting.models import Amendment
from reporting.services import amendments as services


@pytest.fixture
def ratified_version(allocation):
    return version_freeze(proposal=allocation.proposal, actor=SYSTEM, now=timezone.now())


@pytest.fixture
def draft(allocation, ratified_version, tq_saint_michel):
    amendment = services.amendment_create(allocation=allocation, actor=tq_saint_michel)
    return services.amendment_save(amendment=amendment, actor=tq_saint_michel, data={
        "reason": "Après l'échange : un volet pour les aîné·e·s.",
        "action_plan": "Trois cuisines collectives pour les aîné·e·s cet automne.",
        "vision": "Une vision élargie aux aîné·e·s",
        "years": {1: Decimal("80000"), 2: Decimal("105000")},  # 300 000 $ in all, as allocated
    })


def submitted(amendment, member, captured):
    with captured(execute=True):
        return services.amendment_submit(amendment=amendment, actor=member)


def test_only_what_differs_from_the_version_in_force_is_kept(draft):
    assert draft.changes == {"vision": "Une vision élargie aux aîné·e·s",
                             "years": {"1": "80000", "2": "105000"}}
    assert draft.base_version.number == 1


def test_submitting_freezes_a_new_version_with_its_diff(draft, tq_saint_michel, advisor_est,
                                                        django_capture_on_commit_callbacks):
    amendment = submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    assert amendment.status == Amendment.Status.SUBMITTED
    assert amendment.version.number == 2
    assert amendment.version.label == "Modification n° 1"
    assert amendment.version.snapshot["vision"] == "Une vision élargie aux aîné·e·s"
    assert amendment.version.snapshot["action_plan"].startswith("Trois cuisines")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([advisor_est.email,
                                                           tq_saint_michel.email])
    assert "Modification n° 1 déposée" in mail.outbox[0].subject


def test_submitting_needs_the_reason_and_the_action_plan(allocation, ratified_version,
                                                         tq_saint_michel):
    amendment = services.amendment_create(allocation=allocation, actor=tq_saint_michel)
    with pytest.raises(ValidationError) as refused:
        services.amendment_submit(amendment=amendment, actor=tq_saint_michel)
    assert set(refused.value.error_dict) == {"reason", "action_plan"}


def test_one_open_amendment_at_a_time(draft, tq_saint_michel):
    with pytest.raises(ValidationError, match="est en cours"):
        services.amendment_create(allocation=draft.allocation, actor=tq_saint_michel)


def test_the_advisor_reviews_and_coordination_accepts_within_the_allocation(
        draft, tq_saint_michel, advisor_est, coordination,
        django_capture_on_commit_callbacks):
    amendment = submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.amendment_accept(amendment=amendment, actor=advisor_est)
    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.amendment_review(amendment=amendment, actor=advisor_est,
                                              note="Cohérent avec l'échange.")
    assert [m.to for m in mail.outbox][-1] == [coordination.email]
    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.amendment_accept(amendment=amendment, actor=coordination)
    assert amendment.status == Amendment.Status.ACCEPTED
    proposal = Proposal.objects.get(pk=draft.allocation.proposal_id)
    assert proposal.vision == "Une vision élargie aux aîné·e·s"
    assert [y.amount for y in draft.allocation.years.order_by("year_number")] == [
        Decimal("80000"), Decimal("105000"), Decimal("115000")]
    assert "acceptée" in mail.outbox[-1].subject
    assert services.version_in_force(proposal) == amendment.version


def test_the_table_cannot_review_its_own_amendment(draft, tq_saint_michel,
                                                   django_capture_on_commit_callbacks):
    amendment = submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.amendment_review(amendment=amendment, actor=tq_saint_michel)


def test_amounts_beyond_the_allocation_go_back_to_the_committee(
        allocation, ratified_version, tq_saint_michel, advisor_est, coordination,
        django_capture_on_commit_callbacks):
    amendment = services.amendment_create(allocation=allocation, actor=tq_saint_michel)
    amendment = services.amendment_save(amendment=amendment, actor=tq_saint_michel, data={
        "reason": "Un volet de plus", "action_plan": "Plan", "years": {3: Decimal("150000")}})
    amendment = submitted(amendment, tq_saint_michel, django_capture_on_commit_callbacks)
    amendment = services.amendment_review(amendment=amendment, actor=advisor_est)
    with pytest.raises(ValidationError, match="Renvoyez la modification au comité"):
        services.amendment_accept(amendment=amendment, actor=coordination)
    amendment = services.amendment_refer(amendment=amendment, actor=coordination)
    assert amendment.status == Amendment.Status.REFERRED
    assert [y.amount for y in allocation.years.order_by("year_number")][2] == Decimal("115000")


def test_within_the_allocation_it_is_not_sent_to_the_committee(
        draft, tq_saint_michel, advisor_est, coordination, django_capture_on_commit_callbacks):
    amendment = submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    amendment = services.amendment_review(amendment=amendment, actor=advisor_est)
    with pytest.raises(ValidationError, match="restent dans l'allocation"):
        services.amendment_refer(amendment=amendment, actor=coordination)


def test_changes_requested_then_submitted_again_makes_another_version(
        draft, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    amendment = submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    amendment = services.amendment_request_changes(amendment=amendment, actor=advisor_est,
                                                   message="Précisez le calendrier.")
    services.amendment_save(amendment=amendment, actor=tq_saint_michel,
                            data={"action_plan": "Trois cuisines, de septembre à novembre."})
    amendment = submitted(amendment, tq_saint_michel, django_capture_on_commit_callbacks)
    assert amendment.version.number == 3


def test_the_initiative_adjusts_once_a_year(draft, tq_saint_michel, advisor_est, coordination,
                                            django_capture_on_commit_callbacks):
    services.amendment_save(amendment=draft, actor=tq_saint_michel, data={
        "adjusts_initiative": True, "desired_change": "Un quartier nourri, aîné·e·s compris"})
    amendment = submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    services.amendment_review(amendment=amendment, actor=advisor_est)
    services.amendment_accept(amendment=amendment, actor=coordination)
    assert draft.allocation.proposal.initiative.__class__.objects.get(
        pk=draft.allocation.initiative_id).desired_change == "Un quartier nourri, aîné·e·s compris"
    again = services.amendment_create(allocation=draft.allocation, actor=tq_saint_michel)
    services.amendment_save(amendment=again, actor=tq_saint_michel, data={
        "reason": "r", "action_plan": "p", "year_number": draft.year_number,
        "adjusts_initiative": True, "desired_change": "Encore"})
    with pytest.raises(ValidationError, match="une fois par année"):
        services.amendment_submit(amendment=again, actor=tq_saint_michel)


def test_the_amendment_page_shows_the_diff(client, draft, tq_saint_michel, coordination,
                                           django_capture_on_commit_callbacks):
    submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    client.force_login(coordination)
    page = client.get(reverse("reporting:amendment-detail", args=[draft.pk])).content.decode()
    assert "Une vision élargie aux aîné·e·s" in page
    assert "<del>" in page
    assert "Trois cuisines collectives" in page


def test_another_table_does_not_see_the_amendment(client, draft, tq_verdun):
    client.force_login(tq_verdun)
    assert client.get(reverse("reporting:amendment-detail", args=[draft.pk])).status_code == 404


def test_the_amendment_page_speaks_english(client, draft, coordination):
    from tests.factories import english

    client.force_login(english(coordination))
    page = client.get(reverse("reporting:amendment-detail", args=[draft.pk])).content.decode()
    assert "Differences from the ratified version" in page
    assert "Amendment no. 1" in page


def test_an_accepted_amendment_refreshes_the_cached_envelope(
        draft, tq_saint_michel, advisor_est, coordination, django_capture_on_commit_callbacks):
    from reporting.selectors import envelope_by_year_cached

    program = draft.allocation.proposal.stage.program
    start = draft.allocation.years.get(year_number=1).starts_on.year

    def committed():
        return next(r.committed for r in envelope_by_year_cached(program=program)
                    if r.year == start)

    before = committed()  # cached now
    amendment = submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        amendment = services.amendment_review(amendment=amendment, actor=advisor_est)
    with django_capture_on_commit_callbacks(execute=True):
        services.amendment_accept(amendment=amendment, actor=coordination)
    assert committed() == before - Decimal("5000")  # year 1: 85 000 → 80 000


def _paid(allocation, year_number, amount, coordination):
    from reporting.models import Disbursement

    return Disbursement.objects.create(
        allocation_year=allocation.years.get(year_number=year_number), amount=Decimal(amount),
        paid_on=timezone.localdate(), recorded_by=coordination)


def test_an_amount_below_what_was_paid_is_refused_when_the_table_saves_it(
        draft, tq_saint_michel, coordination):
    _paid(draft.allocation, 1, "82000", coordination)  # 85 000 $ allocated, 82 000 $ paid
    with pytest.raises(ValidationError) as refused:
        services.amendment_save(amendment=draft, actor=tq_saint_michel,
                                data={"years": {1: Decimal("81000"), 2: Decimal("105000")}})
    assert set(refused.value.error_dict) == {"year_1"}
    assert refused.value.error_dict["year_1"][0].message == (
        "Année 1 : le montant modifié (81\u202f000\u00a0$) est inférieur à ce qui a déjà été "
        "versé (82\u202f000\u00a0$).")
    draft.refresh_from_db()
    assert draft.changes["years"] == {"1": "80000", "2": "105000"}  # as saved before
    # at what was paid, it saves
    saved = services.amendment_save(amendment=draft, actor=tq_saint_michel,
                                    data={"years": {1: Decimal("82000")}})
    assert saved.changes["years"]["1"] == "82000"


def test_the_edit_page_shows_the_paid_amount_next_to_the_year_and_keeps_what_was_typed(
        client, draft, tq_saint_michel, coordination):
    _paid(draft.allocation, 1, "82000", coordination)
    client.force_login(tq_saint_michel)
    response = client.post(reverse("reporting:amendment-edit", args=[draft.pk]), {
        "reason": "Un volet pour les aîné·e·s, revu", "year_number": "1",
        "action_plan": "Plan revu", "year_1": "81000", "year_2": "105000", "year_3": "115000"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "déjà été versé" in form.errors["year_1"][0]
    page = response.content.decode()
    assert "Un volet pour les aîné·e·s, revu" in page
    assert 'value="81000"' in page
    draft.refresh_from_db()
    assert draft.reason == "Après l'échange : un volet pour les aîné·e·s."


def test_a_payment_recorded_after_the_save_stops_the_amendment_before_the_committee(
        allocation, ratified_version, tq_saint_michel, advisor_est, coordination,
        django_capture_on_commit_callbacks):
    amendment = services.amendment_create(allocation=allocation, actor=tq_saint_michel)
    amendment = services.amendment_save(amendment=amendment, actor=tq_saint_michel, data={
        "reason": "Un volet de plus", "action_plan": "Plan",
        "years": {1: Decimal("60000"), 3: Decimal("150000")}})
    amendment = submitted(amendment, tq_saint_michel, django_capture_on_commit_callbacks)
    amendment = services.amendment_review(amendment=amendment, actor=advisor_est)
    _paid(allocation, 1, "70000", coordination)  # paid since the table saved 60 000 $
    with pytest.raises(ValidationError, match="déjà été versé"):
        services.amendment_refer(amendment=amendment, actor=coordination)
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.REVIEWED


def test_a_payment_recorded_before_submitting_is_named_on_submission(
        draft, tq_saint_michel, coordination):
    _paid(draft.allocation, 2, "106000", coordination)  # year 2 saved at 105 000 $
    with pytest.raises(ValidationError) as refused:
        services.amendment_submit(amendment=draft, actor=tq_saint_michel)
    assert set(refused.value.error_dict) == {"year_2"}
    draft.refresh_from_db()
    assert draft.status == Amendment.Status.DRAFT


def test_a_mail_server_hanging_up_halfway_sends_no_amendment_email_twice(
        draft, tq_saint_michel, advisor_est, smtp_drops_once,
        django_capture_on_commit_callbacks):
    submitted(draft, tq_saint_michel, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):  # the sweep, for what still waits
        outbox.dispatch_pending(now=timezone.now() + datetime.timedelta(hours=1))
    assert smtp_drops_once == []  # it did hang up
    assert sorted(m.to[0] for m in mail.outbox) == sorted([advisor_est.email,
                                                           tq_saint_michel.email])
