"""The role homes (issue 14's dashboards, issue 10's scale): the money a coordinator reads, the
advisor's next deadlines, a recused member's items, the partner's cached portfolio, and every
home's queries the same at 10 and at 100 files."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import services as governance_services
from governance.models import Committee
from neighbourhoods.models import Organisation, StaffRole
from neighbourhoods.services import staff_role_grant
from pic.access import SYSTEM
from pic.formatting import format_money
from proposals.models import Proposal, ProposalYear
from reporting.services import allocations
from tests import factories
from tests.governance.conftest import make_proposal

from .test_views import add_files, queries

D = datetime.date


def money(amount: str) -> str:
    return format_money(Decimal(amount), "fr")


def envelope_row(html: str, year: int) -> list[str]:
    """The cells of one year's row of the envelope table, as a person reads them."""
    row = re.search(rf'<tr><th scope="row">{year}</th>(.*?)</tr>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


@pytest.fixture
def partner(db):
    user = factories.UserFactory(email="partenaire@example.org")
    staff_role_grant(user=user, role=StaffRole.Role.PARTNER, actor=SYSTEM)
    return user


# --- Coordination: money first ------------------------------------------------------------

def test_the_coordination_home_shows_the_envelope_committed_scheduled_paid_and_available(
        client, coordination, allocation, stage):
    allocations.envelope_set(program=stage.program, year=2024, amount=Decimal("500000"),
                             actor=coordination)
    year_1 = allocation.years.get(year_number=1)  # 85 000 $, starting in 2024
    allocations.disbursement_record(allocation_year=year_1, amount=Decimal("50000"),
                                    paid_on=D(2024, 5, 1), actor=coordination)
    client.force_login(coordination)
    html = client.get(reverse("home")).content.decode()
    # envelope, committed (its share of the envelope), scheduled (the instalments planned
    # that year, paid or not: the envelope page's rule), paid, available
    assert envelope_row(html, 2024) == [money("500000"), f"{money('85000')} (17 %)",
                                        money("85000"), money("50000"), money("415000")]
    # 2025: the second year (100 000 $) is committed, nothing paid, no envelope set
    assert envelope_row(html, 2025) == ["non fixée", money("100000"), money("100000"),
                                        money("0"), "—"]
    assert html.index("argent-titre") < html.index("etats-titre") < html.index("quartiers-titre")


def test_the_envelope_is_read_once_then_cached_until_a_payment_changes_it(
        client, coordination, allocation, stage, django_capture_on_commit_callbacks):
    """The sums over every allocation year, instalment and payment are not redone on each
    view of the home and the dashboard; a payment recorded (committed) is seen at once."""
    with django_capture_on_commit_callbacks(execute=True):
        allocations.envelope_set(program=stage.program, year=2024, amount=Decimal("500000"),
                                 actor=coordination)
    client.force_login(coordination)
    assert envelope_row(client.get(reverse("home")).content.decode(), 2024)[3] == money("0")
    with CaptureQueriesContext(connection) as cached:
        client.get(reverse("reporting:dashboard"))
    assert not [q for q in cached.captured_queries if "reporting_instalment" in q["sql"]]
    year_1 = allocation.years.get(year_number=1)
    with django_capture_on_commit_callbacks(execute=True):
        allocations.disbursement_record(allocation_year=year_1, amount=Decimal("50000"),
                                        paid_on=D(2024, 5, 1), actor=coordination)
    html = client.get(reverse("home")).content.decode()
    assert envelope_row(html, 2024)[3:] == [money("50000"), money("415000")]


def test_the_pipeline_adds_what_undecided_files_ask_for(client, coordination, saint_michel,
                                                       stage):
    make_proposal(saint_michel, stage, status=Proposal.Status.SUBMITTED)  # 320 000 $
    make_proposal(saint_michel, stage, status=Proposal.Status.IN_ANALYSIS, title="Deux")
    decided = make_proposal(saint_michel, stage, status=Proposal.Status.NOT_RECOMMENDED,
                            title="Refusée")
    ProposalYear.objects.filter(proposal=decided).update(amount=Decimal("1"))
    client.force_login(coordination)
    response = client.get(reverse("home"))
    assert response.context["pipeline"].files == 2
    assert response.context["pipeline"].requested == Decimal("640000")
    assert (f"2 dossiers déposés et pas encore décidés demandent {money('640000')}."
            in response.content.decode())


def test_files_by_state_are_a_chart_with_its_table(client, coordination, saint_michel, stage):
    make_proposal(saint_michel, stage, status=Proposal.Status.SUBMITTED)
    client.force_login(coordination)
    html = client.get(reverse("home")).content.decode()
    chart = html[html.index('id="etats-titre"'):html.index('id="semaine-titre"')]
    assert '<svg role="img"' in chart
    assert '<title id="chart-status-title">' in chart
    assert re.search(r'<th scope="row"><a href="[^"]*\?status=submitted">Déposée</a></th>\s*'
                     r'<td class="num">1</td>', chart)


def test_what_needs_action_this_week(client, coordination, saint_michel, stage, allocation):
    today = timezone.localdate()
    late = make_proposal(saint_michel, stage, title="Limite passée",
                         deadline=today - datetime.timedelta(weeks=9))
    make_proposal(saint_michel, stage, title="Limite lointaine",
                  deadline=today + datetime.timedelta(days=30))
    client.force_login(coordination)
    response = client.get(reverse("home"))
    assert [p.pk for p in response.context["near_limit"].rows] == [late.pk]
    assert response.context["late_reports"].total >= 1  # the fixture's 2024 report is late
    assert [p.pk for p in response.context["letters_waiting"].rows] == [allocation.proposal_id]
    assert "Limite passée" in response.content.decode()
    assert "Limite lointaine" not in response.content.decode()


def test_the_neighbourhoods_come_a_page_at_a_time(client, coordination):
    for n in range(30):
        factories.NeighbourhoodFactory(name=f"Quartier {n:02d}")
    client.force_login(coordination)
    first = client.get(reverse("home"))
    assert len(first.context["neighbourhoods"]) == 25
    assert "Quartiers (30)" in first.content.decode()
    second = client.get(reverse("home") + "?page=2")
    assert [n.name for n in second.context["neighbourhoods"]] == [
        f"Quartier {n:02d}" for n in range(25, 30)]


# --- Advisor: next deadline per neighbourhood, sortable -----------------------------------

def test_the_advisor_sees_each_neighbourhoods_next_deadline_even_when_late(
        client, advisor_est, allocation, saint_michel):
    client.force_login(advisor_est)
    for url in (reverse("home"), reverse("reporting:dashboard")):
        html = client.get(url).content.decode()
        row = re.search(r"<tr><th scope=\"row\"><a href=\"[^\"]+\">Saint-Michel</a></th>(.*?)"
                        r"</tr>", html, re.S)
        assert row, url  # the name is a link
        assert "en retard" in row.group(1)
        assert "—" not in row.group(1).split("</td>")[0 if url == reverse("home") else 1]


def test_the_advisor_home_sorts_by_the_column_in_the_url(client, advisor_est, allocation,
                                                        saint_michel, stage):
    quiet = factories.NeighbourhoodFactory(name="Ahuntsic")
    from neighbourhoods import services

    services.advisor_assign(advisor=advisor_est, neighbourhood=quiet, actor=SYSTEM)
    client.force_login(advisor_est)
    by_deadline = client.get(reverse("home")).context["rows"]
    assert [n.name for n in by_deadline] == ["Saint-Michel", "Ahuntsic"]  # no deadline last
    by_name = client.get(reverse("home") + "?tri=quartier")
    assert [n.name for n in by_name.context["rows"]] == ["Ahuntsic", "Saint-Michel"]
    assert 'aria-sort="ascending"' in by_name.content.decode()
    assert [n.name for n in client.get(reverse("home") + "?tri=-retard").context["rows"]] == [
        "Saint-Michel", "Ahuntsic"]
    assert client.get(reverse("home") + "?tri=nimporte").context["sort"] == "echeance"


# --- Committee: a recused member's items --------------------------------------------------

def test_a_recused_delegate_sees_the_item_as_recused_not_waiting_for_their_vote(
        client, saint_michel, stage, coordination):
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")
    cmtq = factories.OrganisationFactory(name="CMTQ", category=Organisation.Category.COMMUNITY,
                                         recused_from_investment_decisions=True)
    delegate = factories.make_committee_member(gestion, organisation=cmtq,
                                               email="cmtq@example.org")
    voter = factories.make_committee_member(gestion, email="membre@example.org")
    meeting = governance_services.meeting_create(
        committee=gestion, title="Rencontre", held_on=timezone.localdate(), actor=coordination)
    proposal = make_proposal(saint_michel, stage, title="Mobilisation alimentaire")
    governance_services.agenda_item_add(meeting=meeting, proposal=proposal, actor=coordination)

    client.force_login(delegate.user)
    html = client.get(reverse("home")).content.decode()
    waiting = html[html.index("Points en attente de vote"):html.index("récusé·e</h2>")]
    assert "Mobilisation alimentaire" not in waiting
    # the count of open items is followed by why none waits for this member, not by « none »
    assert "1 point ouvert à l'ordre du jour de vos comités." in waiting
    assert "Aucun point en attente de vote." not in waiting
    assert ("Vous êtes récusé·e de tous ces points : aucun n'attend votre vote."
            in waiting)
    recused = html[html.index("récusé·e</h2>"):html.index("Prochaines rencontres")]
    assert "Mobilisation alimentaire" in recused
    assert '<span class="badge badge-info">récusé·e</span>' in recused
    assert "Votre organisation se retire des décisions d&#x27;investissement." in recused

    client.force_login(voter.user)
    html = client.get(reverse("home")).content.decode()
    assert "Mobilisation alimentaire" in html[html.index("Points en attente de vote"):]
    assert "récusé·e" not in html


# --- Partner: the cached portfolio --------------------------------------------------------

def test_the_partner_portfolio_charts_money_with_a_table_beside_each_chart(
        client, partner, allocation):
    client.force_login(partner)
    html = client.get(reverse("home")).content.decode()
    for chart in ("chart-year", "chart-stage", "chart-borough"):
        figure = html[html.index(f'<title id="{chart}-title">'):]
        figure = figure[:figure.index("</figure>")]
        assert "<table>" in figure  # the numbers beside the chart
    assert f'<td class="num">{money("85000")}</td>' in html  # 2024, the first year


def test_the_portfolio_is_refreshed_after_a_disbursement(
        client, partner, allocation, coordination, django_capture_on_commit_callbacks):
    client.force_login(partner)
    assert envelope_row(client.get(reverse("home")).content.decode(), 2024)[3] == money("0")
    with django_capture_on_commit_callbacks(execute=True):
        allocations.disbursement_record(allocation_year=allocation.years.get(year_number=1),
                                        amount=Decimal("30000"), paid_on=D(2024, 5, 1),
                                        actor=coordination)
    row = envelope_row(client.get(reverse("home")).content.decode(), 2024)
    assert row[2:4] == [money("85000"), money("30000")]  # scheduled, paid


def test_the_portfolio_cache_holds_until_money_changes(client, partner, allocation,
                                                      django_capture_on_commit_callbacks):
    client.force_login(partner)
    client.get(reverse("home"))
    # a write that bypasses the signals (a raw update) is not seen: the figures are cached
    from reporting.models import AllocationYear

    AllocationYear.objects.filter(allocation=allocation, year_number=1).update(
        amount=Decimal("1"))
    assert envelope_row(client.get(reverse("home")).content.decode(), 2024)[1].startswith(
        money("85000"))


# --- Every home: the same queries at 10 and at 100 files ----------------------------------

def test_every_home_runs_the_same_queries_at_10_and_100_files(client, stage, coordination,
                                                              advisor_est, partner, allocation):
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")
    member = factories.make_committee_member(gestion, email="membre@example.org")
    meeting = governance_services.meeting_create(
        committee=gestion, title="Rencontre", held_on=timezone.localdate(), actor=coordination)
    people = {"coordination": coordination, "advisor": advisor_est, "partner": partner,
              "committee": member.user}

    def grow(n):
        add_files(stage, n, advisor=advisor_est)
        for proposal in Proposal.objects.filter(status=Proposal.Status.RATIFIED)[:n]:
            Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.IN_ANALYSIS)
            proposal.status = Proposal.Status.IN_ANALYSIS
            governance_services.agenda_item_add(meeting=meeting, proposal=proposal,
                                                actor=coordination)

    def counts():
        found = {}
        for who, user in people.items():
            client.force_login(user)
            client.get(reverse("home"))  # the partner's figures are cached from here on
            found[who] = queries(client, reverse("home"))
        return found

    grow(9)
    at_10 = counts()
    grow(90)
    assert counts() == at_10
    assert max(at_10.values()) <= 15


def test_the_advisor_home_counts_each_neighbourhoods_open_items_of_allocations_in_progress(
        client, advisor_est, allocation, saint_michel, verdun, stage):
    from reporting.models import Allocation, CheckIn, Report

    from .conftest import make_ratified

    closed = allocations.allocation_create_for_ratification(
        ratification=make_ratified(saint_michel, stage, title="Étape close"), actor=SYSTEM)
    Allocation.objects.filter(pk=closed.pk).update(status=Allocation.Status.CLOSED)
    allocations.allocation_create_for_ratification(  # another advisor's neighbourhood
        ratification=make_ratified(verdun, stage, title="Ailleurs"), actor=SYSTEM)
    held = CheckIn.objects.filter(allocation_year__allocation=allocation).order_by("due_on")[0]
    CheckIn.objects.filter(pk=held.pk).update(held_on=held.due_on)
    today = timezone.localdate()
    reports = Report.objects.filter(allocation=allocation, status__in=Report.TO_HAND_IN)
    checkins = CheckIn.objects.filter(allocation_year__allocation=allocation,
                                      held_on__isnull=True)
    client.force_login(advisor_est)
    [row] = client.get(reverse("home")).context["rows"]
    assert row.name == "Saint-Michel"
    assert row.overdue_reports == reports.filter(due_on__lt=today).count() > 0
    assert row.overdue_checkins == checkins.filter(due_on__lt=today).count() > 0
    assert row.next_deadline.due_on == min(reports.order_by("due_on")[0].due_on,
                                           checkins.order_by("due_on")[0].due_on)
    [row] = client.get(reverse("reporting:dashboard")).context["rows"]
    assert (row.allocation_stage, row.last_contact) == ("Déploiement", held.due_on)


def test_the_advisor_homes_open_files_count_links_to_exactly_those_files(
        client, advisor_est, saint_michel, stage):
    make_proposal(saint_michel, stage, title="Dossier déposé",
                  status=Proposal.Status.SUBMITTED)
    make_proposal(saint_michel, stage, title="Dossier en brouillon",
                  status=Proposal.Status.DRAFT)
    make_proposal(saint_michel, stage, title="Dossier retiré",
                  status=Proposal.Status.WITHDRAWN)
    client.force_login(advisor_est)
    html = client.get(reverse("home")).content.decode()
    link = re.search(r'<td class="num"><a href="([^"]+)">1</a></td>', html)
    assert link, "Saint-Michel's one open file is a link"

    listed = client.get(link.group(1).replace("&amp;", "&"))

    assert [p.title for p in listed.context["proposals"]] == ["Dossier déposé"]
