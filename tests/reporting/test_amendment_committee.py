"""An amendment « Renvoyée au comité » goes on a comité de gestion agenda and is decided
there: the members vote with the proposal's recusals; approved, it is accepted (the allocation
takes the amounts asked), refused, the table and its advisor hear the committee's reasons; the
proposal stays ratified and nothing is ratified or allocated a second time."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import selectors as governance_selectors
from governance import services as governance
from governance.models import AgendaItem, Committee, Ratification, Recusal
from neighbourhoods.models import Organisation
from pic.access import SYSTEM
from proposals.models import Proposal
from proposals.versions import version_freeze
from reporting.models import Allocation, Amendment
from reporting.services import amendments as services
from reporting.services.amendment_agenda import amendment_agenda_add
from tests import factories

ALLOCATED = [Decimal("85000"), Decimal("100000"), Decimal("115000")]


@pytest.fixture
def gestion(db):
    return factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")


@pytest.fixture
def seats(gestion):
    chair = factories.make_committee_member(gestion, email="chair@example.org")
    chair.is_chair = True
    chair.save(update_fields=["is_chair"])
    cmtq = factories.OrganisationFactory(
        name="Coalition montréalaise des tables de quartier", short_name="CMTQ",
        category=Organisation.Category.COMMUNITY, recused_from_investment_decisions=True)
    return {"chair": chair,
            "member": factories.make_committee_member(gestion, email="membre@example.org"),
            "cmtq": factories.make_committee_member(gestion, organisation=cmtq,
                                                    email="cmtq@example.org")}


@pytest.fixture
def meeting(gestion, coordination, seats):
    return governance.meeting_create(committee=gestion, title="Rencontre de décembre",
                                     held_on=timezone.localdate(), actor=coordination)


def _to_review(allocation, tq, advisor, captured, years):
    version_freeze(proposal=allocation.proposal, actor=SYSTEM, now=timezone.now())
    amendment = services.amendment_create(allocation=allocation, actor=tq)
    amendment = services.amendment_save(amendment=amendment, actor=tq, data={
        "reason": "Un volet aîné·e·s de plus", "action_plan": "Trois cuisines collectives",
        "vision": "Une vision élargie aux aîné·e·s", "years": years})
    with captured(execute=True):
        amendment = services.amendment_submit(amendment=amendment, actor=tq)
    return services.amendment_review(amendment=amendment, actor=advisor)


@pytest.fixture
def referred(allocation, tq_saint_michel, advisor_est, coordination,
             django_capture_on_commit_callbacks):
    amendment = _to_review(allocation, tq_saint_michel, advisor_est,
                           django_capture_on_commit_callbacks, {3: Decimal("150000")})
    return services.amendment_refer(amendment=amendment, actor=coordination)


@pytest.fixture
def on_agenda(referred, meeting, coordination):
    return amendment_agenda_add(amendment=referred, meeting=meeting, actor=coordination)


def _vote_and_close(item, seats, choice, captured, reasons=""):
    governance.attendance_set(meeting=item.meeting, actor=seats["chair"].user,
                              present=list(seats.values()))
    for seat in governance_selectors.eligible_members(item).select_related("user"):
        governance.vote_cast(item=item, actor=seat.user, choice=choice)
    with captured(execute=True):
        return governance.item_close(item=item, actor=seats["chair"].user, reasons=reasons)


def test_the_item_is_the_amendment_of_the_ratified_proposal(on_agenda, referred, allocation):
    assert on_agenda.kind == AgendaItem.Kind.AMENDMENT
    assert on_agenda.proposal_id == allocation.proposal_id
    assert on_agenda.number == 1
    assert on_agenda.subject == str(referred)  # « Modification n° 1 — <the proposal> »
    referred.refresh_from_db()
    assert referred.agenda_item == on_agenda


def test_approved_by_the_committee_the_amendment_is_accepted_with_its_amounts(
        on_agenda, referred, allocation, seats, tq_saint_michel, coordination,
        django_capture_on_commit_callbacks):
    mail.outbox.clear()
    item = _vote_and_close(on_agenda, seats, "for", django_capture_on_commit_callbacks)

    assert item.result == AgendaItem.Result.APPROVED
    referred.refresh_from_db()
    assert referred.status == Amendment.Status.ACCEPTED
    assert [y.amount for y in allocation.years.order_by("year_number")] == [
        *ALLOCATED[:2], Decimal("150000")]
    proposal = Proposal.objects.get(pk=allocation.proposal_id)
    assert proposal.status == Proposal.Status.RATIFIED
    assert proposal.vision == "Une vision élargie aux aîné·e·s"
    assert Ratification.objects.count() == 1
    assert Allocation.objects.count() == 1
    assert not governance_selectors.recommendations_to_ratify(user=coordination).exists()
    assert proposal not in governance_selectors.ratification_watchlist(user=coordination)
    assert any("acceptée" in m.subject and tq_saint_michel.email in m.to for m in mail.outbox)


def test_refused_by_the_committee_the_table_and_advisor_hear_its_reasons(
        on_agenda, referred, allocation, seats, tq_saint_michel, advisor_est,
        django_capture_on_commit_callbacks):
    mail.outbox.clear()
    item = _vote_and_close(on_agenda, seats, "against", django_capture_on_commit_callbacks,
                           reasons="L'enveloppe de l'année 3 est engagée.")

    assert item.result == AgendaItem.Result.REFUSED
    referred.refresh_from_db()
    assert referred.status == Amendment.Status.REFUSED
    assert [y.amount for y in allocation.years.order_by("year_number")] == ALLOCATED
    assert Proposal.objects.get(pk=allocation.proposal_id).status == Proposal.Status.RATIFIED
    refused = [m for m in mail.outbox if "refusée par le comité" in m.subject]
    assert sorted(m.to[0] for m in refused) == sorted([tq_saint_michel.email,
                                                       advisor_est.email])
    assert "L'enveloppe de l'année 3 est engagée." in refused[0].body
    # The table may start another amendment, within the allocation.
    services.amendment_create(allocation=allocation, actor=tq_saint_michel)


def test_the_cmtq_is_recused_on_the_amendment_as_on_a_proposal(on_agenda, seats):
    recusal = Recusal.objects.get(item=on_agenda, member=seats["cmtq"])
    assert recusal.reason == Recusal.Reason.ORGANISATION
    with pytest.raises(PermissionDenied):
        governance.vote_cast(item=on_agenda, actor=seats["cmtq"].user, choice="for")
    assert seats["cmtq"] not in governance_selectors.eligible_members(on_agenda)


def test_only_the_committee_vote_approves_a_referred_amendment(referred, coordination):
    with pytest.raises(ValidationError):
        services.amendment_accept(amendment=referred, actor=coordination)
    referred.refresh_from_db()
    assert referred.status == Amendment.Status.REFERRED


def test_an_amendment_not_referred_cannot_go_on_an_agenda(
        client, allocation, tq_saint_michel, advisor_est, coordination, meeting,
        django_capture_on_commit_callbacks):
    version_freeze(proposal=allocation.proposal, actor=SYSTEM, now=timezone.now())
    draft = services.amendment_create(allocation=allocation, actor=tq_saint_michel)
    with pytest.raises(ValidationError, match="renvoyée au comité"):
        amendment_agenda_add(amendment=draft, meeting=meeting, actor=coordination)

    client.force_login(coordination)
    response = client.post(reverse("governance:agenda-item-add", args=[meeting.pk]),
                           {"amendment": draft.pk}, follow=True)
    assert "Seule une modification renvoyée au comité" in response.content.decode()
    response = client.post(reverse("reporting:amendment-agenda-add", args=[draft.pk]),
                           {"meeting": meeting.pk}, follow=True)
    assert "Seule une modification renvoyée au comité" in response.content.decode()
    assert not meeting.items.exists()


def test_a_table_member_cannot_put_it_on_an_agenda(client, referred, meeting, tq_saint_michel):
    with pytest.raises(PermissionDenied):
        amendment_agenda_add(amendment=referred, meeting=meeting, actor=tq_saint_michel)
    client.force_login(tq_saint_michel)
    response = client.post(reverse("reporting:amendment-agenda-add", args=[referred.pk]),
                           {"meeting": meeting.pk})
    assert response.status_code == 403
    assert not meeting.items.exists()


def test_coordination_adds_it_from_the_amendment_page(client, referred, meeting, coordination):
    client.force_login(coordination)
    page = client.get(reverse("reporting:amendment-detail", args=[referred.pk])).content.decode()
    assert "ordre du jour du comité</button>" in page
    response = client.post(reverse("reporting:amendment-agenda-add", args=[referred.pk]),
                           {"meeting": meeting.pk}, follow=True)
    assert "Modification inscrite à l&#x27;ordre du jour" in response.content.decode()
    assert meeting.items.get().kind == AgendaItem.Kind.AMENDMENT


def test_the_meeting_lists_referred_amendments_beside_the_proposals(
        client, referred, meeting, coordination):
    client.force_login(coordination)
    page = client.get(reverse("governance:meeting-detail", args=[meeting.pk])).content.decode()
    assert "Modification renvoyée au comité" in page
    assert f'<option value="{referred.pk}">{referred}</option>' in page
    client.post(reverse("governance:agenda-item-add", args=[meeting.pk]),
                {"amendment": referred.pk})
    referred.refresh_from_db()
    assert referred.agenda_item.meeting == meeting


def test_the_item_page_shows_the_diff_and_the_amounts_asked_and_allocated(
        client, on_agenda, seats):
    client.force_login(seats["member"].user)
    page = client.get(reverse("governance:item-detail", args=[on_agenda.pk])).content.decode()
    page = re.sub(r"\s", " ", page)  # the money's non-breaking spaces
    assert "Modification n° 1" in page
    assert "<ins>Une vision élargie aux aîné·e·s</ins>" in page
    assert ("<tr><td>3</td><td>115 000 $</td><td><strong>150 000 $</strong></td></tr>"
            in page)
    assert "<td>300 000 $</td><td><strong>335 000 $</strong></td>" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_an_amendment_item_keeps_the_meeting_page_within_its_query_budget(
        client, referred, meeting, coordination, seats, saint_michel,
        django_assert_max_num_queries):
    from tests.governance.conftest import make_proposal

    stage = referred.allocation.proposal.stage
    governance.agenda_item_add(meeting=meeting, actor=coordination,
                               proposal=make_proposal(factories.NeighbourhoodFactory(), stage))
    url = reverse("governance:meeting-detail", args=[meeting.pk])
    item_url = reverse("governance:item-detail", args=[meeting.items.get().pk])
    client.force_login(coordination)
    before = _queries(client, url)
    assert _queries(client, item_url) <= 20
    item = amendment_agenda_add(amendment=referred, meeting=meeting, actor=coordination)
    with django_assert_max_num_queries(min(before, 20)):  # the meeting pages' budget
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20):  # the vote page's (tests/governance/test_views.py)
        assert client.get(reverse("governance:item-detail", args=[item.pk])).status_code == 200


def test_the_agenda_item_speaks_english(client, on_agenda, seats):
    from tests.factories import english

    client.force_login(english(seats["member"].user))
    page = client.get(reverse("governance:item-detail", args=[on_agenda.pk])).content.decode()
    assert "Amendment no. 1 after ratification" in page
    assert "Amounts asked for and amounts allocated" in page



def test_the_chair_closes_the_amendment_vote_from_its_confirmation_page(
        client, on_agenda, referred, seats, django_capture_on_commit_callbacks):
    governance.attendance_set(meeting=on_agenda.meeting, actor=seats["chair"].user,
                              present=list(seats.values()))
    for seat in governance_selectors.eligible_members(on_agenda).select_related("user"):
        governance.vote_cast(item=on_agenda, actor=seat.user, choice="for")
    client.force_login(seats["chair"].user)
    url = reverse("governance:item-close", args=[on_agenda.pk])
    page = client.get(url).content.decode()
    assert "La proposition reste entérinée" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reasons": "Un volet aîné·e·s attendu."}, follow=True)
    assert "Vote fermé : Approuvée." in response.content.decode()
    referred.refresh_from_db()
    assert referred.status == Amendment.Status.ACCEPTED
