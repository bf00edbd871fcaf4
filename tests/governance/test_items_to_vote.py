"""A committee member's items to vote on (issue 10: flat with the data): the home shows the
first ten, how many are open in all and a link to the full list, which pages every open item
with the member's recusal or vote, in the same number of queries whatever the number."""

import re

from django.urls import reverse

from governance import services
from governance.models import Vote
from tests import factories
from tests.factories import english
from tests.governance.conftest import make_proposal

from .test_views import _assert_constant


def _add_items(meeting, stage, coordination, n):
    for i in range(n):
        services.agenda_item_add(
            meeting=meeting, actor=coordination,
            proposal=make_proposal(factories.NeighbourhoodFactory(), stage, title=f"Point {i}"))


def _waiting(html: str) -> str:
    return html[html.index("Points en attente de vote"):html.index("Prochaines rencontres")]


def test_the_home_shows_the_first_ten_items_how_many_are_open_and_links_to_all(
        client, item, member, stage, coordination):
    _add_items(item.meeting, stage, coordination, 11)  # 12 open items in all
    client.force_login(member.user)
    waiting = _waiting(client.get(reverse("home")).content.decode())
    titles = re.findall(r"— (Point \d+|" + re.escape(item.proposal.title) + ")</a>", waiting)
    # the first ten, next meeting's first then by their place on the agenda
    assert titles == [item.proposal.title] + [f"Point {i}" for i in range(9)]
    assert "12 points ouverts à l'ordre du jour de vos comités." in waiting
    assert (f'<a href="{reverse("governance:items-to-vote")}">et 2 autres : '
            "voir tous les points ouverts</a>") in waiting


def test_a_member_with_few_items_sees_them_all_and_no_link(client, item, member):
    client.force_login(member.user)
    waiting = _waiting(client.get(reverse("home")).content.decode())
    assert item.proposal.title in waiting
    assert "1 point ouvert à l'ordre du jour de vos comités." in waiting
    assert reverse("governance:items-to-vote") not in waiting


def test_the_home_and_the_full_list_run_the_same_queries_with_3_and_30_items(
        client, item, member, stage, coordination, django_assert_max_num_queries):
    _add_items(item.meeting, stage, coordination, 2)
    client.force_login(member.user)
    _assert_constant(client, [reverse("home"), reverse("governance:items-to-vote")],
                     lambda: _add_items(item.meeting, stage, coordination, 27),
                     django_assert_max_num_queries, 15)


def test_the_full_list_pages_every_open_item_with_the_members_vote_or_recusal(
        client, item, member, cmtq_delegate, stage, coordination):
    _add_items(item.meeting, stage, coordination, 25)  # 26 open items: two pages
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    url = reverse("governance:items-to-vote")
    client.force_login(member.user)
    first = client.get(url).content.decode()
    assert "Points en attente de vote (26)" in first
    assert first.count('<tr><td><a href="/') == 25
    row = first[first.index(item.proposal.title):]
    voted = '<span class="badge badge-ok">vote enregistré</span></td>'
    assert row[:row.index("</tr>")].endswith(voted)
    assert "Page 1 sur 2" in first
    second = client.get(url + "?page=2").content.decode()
    assert second.count('<tr><td><a href="/') == 1
    assert "Point 24" in second
    assert "Point 24" not in first

    client.force_login(cmtq_delegate.user)  # the CMTQ never votes on an allocation
    html = client.get(url).content.decode()
    assert "Points en attente de vote (26)" in html
    assert html.count('<span class="badge badge-info">récusé·e</span>') == 25
    assert "Votre organisation se retire des décisions d&#x27;investissement." in html


def test_someone_without_a_seat_on_the_deciding_committee_has_no_item_to_vote_on(
        client, item, partenaires):
    outsider = factories.make_committee_member(partenaires)
    client.force_login(outsider.user)
    html = client.get(reverse("governance:items-to-vote")).content.decode()
    assert "Points en attente de vote (0)" in html
    assert "Aucun point en attente de vote." in html
    assert item.proposal.title not in html


def test_the_home_says_it_in_english_for_a_member_who_chose_english(
        client, item, member, stage, coordination):
    _add_items(item.meeting, stage, coordination, 10)
    client.force_login(english(member.user))
    html = client.get(reverse("home")).content.decode()
    assert "11 open items on your committees' agendas." in html
    assert "and 1 more: see every open item</a>" in html
    html = client.get(reverse("governance:items-to-vote")).content.decode()
    assert "The open items on your committees' agendas, the next meeting's first." in html
    assert "to vote on" in html
