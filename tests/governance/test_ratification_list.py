"""The ratification page shows what is actionable, by deadline, a page at a time (issue 10)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from governance.models import DecisionLetter
from proposals.models import Proposal
from tests import factories
from tests.governance.conftest import make_proposal
from tests.reporting.test_views import queries

S = Proposal.Status
WEEK = datetime.timedelta(weeks=1)


def _proposals(response):
    return [row.proposal for row in response.context["rows"]]


def _refused(neighbourhood, stage, *, deadline, lettered):
    proposal = make_proposal(neighbourhood, stage, status=S.NOT_RECOMMENDED, deadline=deadline,
                             title="Refusée" + (" (lettre écrite)" if lettered else ""))
    if lettered:
        DecisionLetter.objects.create(proposal=proposal, kind=DecisionLetter.Kind.REFUSAL,
                                      sha256="0" * 64, file="letters/refus.pdf")
    return proposal


def test_undecided_files_come_first_by_deadline_and_closed_ones_behind_the_filter(
        client, coordination, saint_michel, verdun, stage):
    today = timezone.localdate()
    late = make_proposal(saint_michel, stage, deadline=today - 10 * WEEK, title="En retard")
    soon = make_proposal(verdun, stage, status=S.RECOMMENDED, deadline=today - 7 * WEEK,
                         title="À risque")
    later = make_proposal(verdun, stage, status=S.SUBMITTED, deadline=today - WEEK,
                          title="Plus tard")
    to_write = _refused(saint_michel, stage, deadline=today - 9 * WEEK, lettered=False)
    closed = _refused(verdun, stage, deadline=today - 20 * WEEK, lettered=True)
    make_proposal(saint_michel, stage, status=S.RATIFIED, deadline=today - 30 * WEEK,
                  title="Entérinée")
    make_proposal(saint_michel, stage, status=S.DRAFT, title="Brouillon")
    client.force_login(coordination)

    response = client.get(reverse("governance:ratification-list"))
    assert _proposals(response) == [late, to_write, soon, later]
    rows = response.context["rows"]
    assert rows[0].late
    assert rows[0].days_left == -14
    assert rows[2].at_risk
    assert rows[2].days_left == 7
    assert response.context["counts"] == {"late": 2, "at_risk": 1, "total": 4}
    page = response.content.decode()
    assert "Refusée (lettre écrite)" not in page
    assert "2 dossiers en retard" in page

    response = client.get(reverse("governance:ratification-list") + "?vue=fermes")
    assert _proposals(response) == [closed]
    assert "Lettre de refus écrite" in response.content.decode()


def test_the_ratification_list_is_paginated(client, coordination, saint_michel, stage):
    today = timezone.localdate()
    for n in range(27):
        make_proposal(saint_michel, stage, deadline=today - datetime.timedelta(days=n),
                      title=f"Dossier {n}")
    client.force_login(coordination)
    first = client.get(reverse("governance:ratification-list"))
    assert len(first.context["rows"]) == 25
    assert first.context["rows"][0].proposal.title == "Dossier 26"  # the oldest deadline
    assert first.context["paginator"].count == 27
    assert "Page 1 sur 2" in first.content.decode()
    second = client.get(reverse("governance:ratification-list") + "?page=2")
    assert [r.proposal.title for r in second.context["rows"]] == ["Dossier 1", "Dossier 0"]


def test_the_ratification_list_is_for_ratifying_staff_only(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    assert client.get(reverse("governance:ratification-list")).status_code == 403


def _add_files(stage, count):
    today = timezone.localdate()
    for n in range(count):
        neighbourhood = factories.NeighbourhoodFactory()
        make_proposal(neighbourhood, stage, deadline=today - datetime.timedelta(days=n % 90),
                      title=f"Dossier {n}")
        _refused(neighbourhood, stage, deadline=today - 9 * WEEK, lettered=n % 2 == 0)


def test_the_ratification_list_runs_the_same_queries_at_10_and_100_files(
        client, coordination, stage):
    urls = [reverse("governance:ratification-list"),
            reverse("governance:ratification-list") + "?vue=fermes",
            reverse("governance:ratification-list") + "?page=2"]
    _add_files(stage, 30)
    client.force_login(coordination)
    at_10 = [queries(client, url) for url in urls]
    _add_files(stage, 70)
    assert [queries(client, url) for url in urls] == at_10
    assert max(at_10) <= 15


def test_the_ratification_list_in_english(client, coordination, saint_michel, stage):
    from tests.factories import english

    make_proposal(saint_michel, stage, deadline=timezone.localdate() - 10 * WEEK)
    client.force_login(english(coordination))
    page = client.get(reverse("governance:ratification-list")).content.decode()
    assert "1 file overdue" in page
    assert "Files to act on, by deadline" in page
    assert "Closed (refusal letter written)" in page


def test_the_counts_kept_between_views_follow_a_ratification(client, coordination,
                                                              saint_michel, stage):
    """The late and at-risk counts come from the program's figures (pic.figures) after the
    first view; ratifying a late file forgets them, and the next view counts one less."""
    today = timezone.localdate()
    late = make_proposal(saint_michel, stage, status=S.RECOMMENDED,
                         deadline=today - 10 * WEEK, title="En retard")
    make_proposal(saint_michel, stage, deadline=today - 9 * WEEK, title="Aussi en retard")
    client.force_login(coordination)
    url = reverse("governance:ratification-list")
    assert client.get(url).context["counts"] == {"late": 2, "at_risk": 0, "total": 2}
    factories.ratify(late, actor=coordination)
    assert client.get(url).context["counts"] == {"late": 1, "at_risk": 0, "total": 1}


def test_someone_who_may_not_ratify_reads_no_count(member):
    from governance.selectors import ratification_counts

    assert ratification_counts(user=member.user) == {"late": 0, "at_risk": 0, "total": 0}
