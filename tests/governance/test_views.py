"""Pages: scoping (404), crafted POSTs, the chair's panel, constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance import selectors, services
from governance.models import Recusal, Vote
from tests import factories
from tests.governance.conftest import make_proposal

pytestmark = pytest.mark.django_db


def test_cmtq_delegate_sees_the_recusal_and_no_vote_form(client, item, cmtq_delegate):
    client.force_login(cmtq_delegate.user)
    response = client.get(reverse("governance:item-detail", args=[item.pk]))
    assert response.status_code == 200
    assert "Vous êtes récusé·e de ce vote" in response.content.decode()
    assert "se retire des décisions" in response.content.decode()
    assert reverse("governance:item-vote", args=[item.pk]) not in response.content.decode()


def test_cmtq_delegate_crafted_post_is_refused(client, item, cmtq_delegate):
    client.force_login(cmtq_delegate.user)
    response = client.post(reverse("governance:item-vote", args=[item.pk]),
                           {"choice": Vote.Choice.FOR}, follow=True)
    assert not Vote.objects.exists()
    assert "récusé" in response.content.decode()


def test_member_votes_through_the_view(client, item, member):
    client.force_login(member.user)
    client.post(reverse("governance:item-vote", args=[item.pk]), {"choice": Vote.Choice.AGAINST})
    assert Vote.objects.get(item=item, member=member).choice == Vote.Choice.AGAINST


def test_conflict_declared_through_the_view(client, item, member):
    client.force_login(member.user)
    client.post(reverse("governance:item-conflict", args=[item.pk]),
                {"details": "Administratrice de l'organisme"})
    assert Recusal.objects.get(item=item, member=member).reason == Recusal.Reason.CONFLICT


def test_member_of_another_committee_gets_404(client, item, partenaires):
    outsider = factories.make_committee_member(partenaires)
    client.force_login(outsider.user)
    for name in ("item-detail", "item-voters"):
        assert client.get(reverse(f"governance:{name}", args=[item.pk])).status_code == 404
    assert client.post(reverse("governance:item-vote", args=[item.pk]),
                       {"choice": "for"}).status_code == 404
    assert client.get(reverse("governance:meeting-detail",
                              args=[item.meeting_id])).status_code == 404
    assert client.get(reverse("governance:meeting-agenda",
                              args=[item.meeting_id])).status_code == 404
    assert client.get(reverse("governance:analysis-detail",
                              args=[item.proposal_id])).status_code == 404
    assert not Vote.objects.exists()


def test_neighbourhood_member_gets_404_on_meetings(client, item, tq_saint_michel):
    client.force_login(tq_saint_michel)
    assert client.get(reverse("governance:item-detail", args=[item.pk])).status_code == 404
    assert client.get(reverse("governance:meeting-detail",
                              args=[item.meeting_id])).status_code == 404


def test_chair_sees_who_voted_not_how_until_closed(client, item, chair, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.AGAINST)
    client.force_login(chair.user)
    html = client.get(reverse("governance:item-voters", args=[item.pk])).content.decode()
    assert "A voté" in html
    assert "N&#x27;a pas encore voté" in html or "N'a pas encore voté" in html
    assert "Contre" not in html
    assert 'hx-trigger="every 5s"' in html
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.AGAINST)
    services.item_close(item=item, actor=chair.user)
    html = client.get(reverse("governance:item-voters", args=[item.pk])).content.decode()
    assert "Contre" in html


def test_ordinary_member_cannot_see_the_voters_panel(client, item, member):
    client.force_login(member.user)
    assert client.get(reverse("governance:item-voters", args=[item.pk])).status_code == 403


def test_chair_closes_through_the_view(client, item, chair, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.FOR)
    client.force_login(chair.user)
    client.post(reverse("governance:item-close", args=[item.pk]), {"reasons": ""})
    item.refresh_from_db()
    assert item.is_closed


def test_member_cannot_close_through_the_view(client, item, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.FOR)
    client.force_login(member.user)
    client.post(reverse("governance:item-close", args=[item.pk]))
    item.refresh_from_db()
    assert not item.is_closed


def test_printable_agenda_lists_the_items(client, item, member):
    client.force_login(member.user)
    html = client.get(reverse("governance:meeting-agenda", args=[item.meeting_id])).content
    assert item.proposal.title in html.decode()


def test_staff_create_a_meeting_and_add_an_item(client, coordination, gestion, proposal):
    client.force_login(coordination)
    response = client.post(reverse("governance:meeting-create"), {
        "committee": gestion.pk, "title": "Rencontre de décembre", "held_on": "2026-12-03",
        "location": "Centraide", "quorum_rule": ""})
    meeting = gestion.meetings.get()
    assert response.status_code == 302
    client.post(reverse("governance:agenda-item-add", args=[meeting.pk]),
                {"proposal": proposal.pk})
    assert meeting.items.get().proposal == proposal


def _grow(meeting, gestion, stage, coordination, n):
    for _i in range(n):
        factories.make_committee_member(gestion)
    for i in range(n):
        neighbourhood = factories.NeighbourhoodFactory()
        services.agenda_item_add(meeting=meeting,
                                 proposal=make_proposal(neighbourhood, stage, title=f"P{i}"),
                                 actor=coordination)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def _assert_constant(client, urls, grow, django_assert_max_num_queries, limit):
    small = [_queries(client, url) for url in urls]
    grow()
    for url, before in zip(urls, small, strict=True):
        with django_assert_max_num_queries(min(before, limit)):
            assert client.get(url).status_code == 200


def test_meeting_pages_run_a_constant_number_of_queries(
        client, item, chair, gestion, stage, coordination, django_assert_max_num_queries):
    client.force_login(chair.user)
    urls = [reverse("governance:meeting-detail", args=[item.meeting_id]),
            reverse("governance:meeting-agenda", args=[item.meeting_id]),
            reverse("governance:meeting-list")]
    _assert_constant(client, urls, lambda: _grow(item.meeting, gestion, stage, coordination, 8),
                     django_assert_max_num_queries, 20)


def test_vote_page_runs_a_constant_number_of_queries(
        client, item, chair, member, gestion, stage, coordination,
        django_assert_max_num_queries):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    client.force_login(chair.user)
    urls = [reverse("governance:item-detail", args=[item.pk]),
            reverse("governance:item-voters", args=[item.pk])]

    def grow():
        _grow(item.meeting, gestion, stage, coordination, 8)
        for seat in gestion.members.exclude(pk__in=[chair.pk, member.pk])[:5]:
            if selectors.recusal_reason(item, seat) is None:
                services.vote_cast(item=item, actor=seat.user, choice=Vote.Choice.AGAINST)

    _assert_constant(client, urls, grow, django_assert_max_num_queries, 20)


def test_the_meeting_list_counts_each_meetings_items_and_sorts_by_them(
        client, item, partenaires, coordination):
    services.meeting_create(committee=partenaires, title="Sans point",
                            held_on=item.meeting.held_on, actor=coordination)
    client.force_login(coordination)
    response = client.get(reverse("governance:meeting-list"), {"sort": "items"})
    assert [(m.title, m.item_count) for m in response.context["meetings"]] == [
        ("Sans point", 0), ("Rencontre de novembre", 1)]
    assert response.context["paginator"].count == 2  # meetings, not meetings × items
    response = client.get(reverse("governance:meeting-list"), {"sort": "-items"})
    assert [m.title for m in response.context["meetings"]] == [
        "Rencontre de novembre", "Sans point"]


def test_meeting_list_shows_only_my_committees_meetings(client, item, partenaires, coordination):
    services.meeting_create(committee=partenaires, title="Entérinement de décembre",
                            held_on=item.meeting.held_on, actor=coordination)
    outsider = factories.make_committee_member(partenaires)
    client.force_login(outsider.user)
    html = client.get(reverse("governance:meeting-list")).content.decode()
    assert "Entérinement de décembre" in html
    assert "Rencontre de novembre" not in html


def test_committee_home_lists_items_to_vote(client, item, member):
    client.force_login(member.user)
    html = client.get(reverse("home")).content.decode()
    assert reverse("governance:item-detail", args=[item.pk]) in html


def test_staff_seat_and_end_a_member(client, coordination, gestion):
    person = factories.UserFactory(email="nouvelle@example.org")
    organisation = factories.OrganisationFactory()
    client.force_login(coordination)
    client.post(reverse("governance:committee-seat"), {
        "committee": gestion.pk, "email": "nouvelle@example.org",
        "organisation": organisation.pk, "is_chair": ""})
    seat = gestion.members.get(user=person)
    html = client.get(reverse("governance:committee-list")).content.decode()
    assert person.get_full_name() in html
    client.post(reverse("governance:committee-seat-end", args=[seat.pk]))
    seat.refresh_from_db()
    assert seat.ended_on is not None


def test_staff_invite_a_new_person_to_a_seat(client, coordination, gestion,
                                             django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    organisation = factories.OrganisationFactory()
    client.force_login(coordination)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("governance:committee-seat"), {
            "committee": gestion.pk, "email": "Nouveau@Example.org", "full_name": "Léa Nouveau",
            "organisation": organisation.pk, "is_chair": "on"})
    assert mail.outbox[-1].to == ["nouveau@example.org"]
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    client.logout()
    client.post(link, {"full_name": "Léa Nouveau", "password1": "Quartier-Solidaire-2026",
                       "password2": "Quartier-Solidaire-2026"})
    seat = gestion.members.get(user__email="nouveau@example.org")
    assert seat.organisation == organisation
    assert seat.is_chair


def test_member_cannot_seat_anyone(client, member, gestion):
    client.force_login(member.user)
    response = client.post(reverse("governance:committee-seat"), {
        "committee": gestion.pk, "email": member.user.email,
        "organisation": member.organisation_id})
    assert response.status_code == 403


def test_every_page_renders_for_coordination(client, coordination, item):
    client.force_login(coordination)
    for url in (reverse("governance:committee-list"), reverse("governance:meeting-list"),
                reverse("governance:meeting-create"),
                reverse("governance:meeting-detail", args=[item.meeting_id]),
                reverse("governance:meeting-agenda", args=[item.meeting_id]),
                reverse("governance:item-detail", args=[item.pk]),
                reverse("governance:item-voters", args=[item.pk]),
                reverse("governance:analysis-detail", args=[item.proposal_id]),
                reverse("governance:analysis-edit", args=[item.proposal_id]),
                reverse("governance:ratification-list"), reverse("governance:letter-list")):
        assert client.get(url).status_code == 200, url


def test_committee_members_read_the_documents_of_their_agenda_items(client, item, member):
    from django.core.files.base import ContentFile

    from proposals.models import ProposalDocument

    document = ProposalDocument(proposal=item.proposal, original_name="plan.pdf",
                                content_type="application/pdf", size=9)
    document.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    url = reverse("governance:item-document", args=[item.pk, document.pk])
    client.force_login(member.user)
    assert "plan.pdf" in client.get(reverse("governance:item-detail", args=[item.pk])
                                     ).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    outsider = factories.make_committee_member(
        factories.CommitteeFactory(kind="gouvernance", name="Comité de gouvernance"))
    client.force_login(outsider.user)
    assert client.get(url).status_code == 404
    other = factories.make_member(factories.NeighbourhoodFactory())
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_an_item_document_of_another_proposal_is_404(client, item, member, stage, verdun):
    from django.core.files.base import ContentFile

    from proposals.models import ProposalDocument

    other = make_proposal(verdun, stage, title="Autre")
    document = ProposalDocument(proposal=other, original_name="autre.pdf",
                                content_type="application/pdf", size=9)
    document.file.save("autre.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client.force_login(member.user)
    assert client.get(reverse("governance:item-document", args=[item.pk, document.pk])
                      ).status_code == 404
