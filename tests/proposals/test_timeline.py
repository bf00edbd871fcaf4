"""The proposal's and the neighbourhood's timeline (pic.timeline): one feed of audit events and
notes, filtered by what the reader may see, in a constant number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from governance import services as governance
from pic.notes import services as notes
from pic.notes.models import Note
from pic.timeline import timeline
from proposals import workflow
from tests import factories
from tests.proposals.conftest import make_contact

INTERNAL, SHARED = Note.Visibility.INTERNAL, Note.Visibility.SHARED


@pytest.fixture
def decided(draft, saint_michel, tq_saint_michel, advisor_est):
    """Submitted by the table, analysed by the advisor, voted by the committee, with notes."""
    make_contact(saint_michel)
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    workflow.proposal_start_analysis(proposal=draft, actor=advisor_est)
    governance.analysis_save(
        proposal=draft, actor=advisor_est, needs_and_context="Besoins", conditions="Aucune",
        capacity_building_amount=Decimal("0"), prerequisites={},
        yearly_amounts={1: Decimal("30000")})
    notes.note_write(obj=draft, body="Avis interne sur le budget", visibility=INTERNAL,
                     actor=advisor_est)
    notes.note_write(obj=draft, body="Question à la table", visibility=SHARED,
                     actor=advisor_est)
    factories.committee_decide(draft)
    return draft


def labels(entries):
    return [e.note.body if e.is_note else e.label for e in entries]


def test_the_table_sees_shared_events_and_notes_only(decided, tq_saint_michel):
    feed = labels(timeline(user=tq_saint_michel, obj=decided))
    assert "Question à la table" in feed
    assert "Avis interne sur le budget" not in feed
    assert "Analyse rédigée" not in feed
    assert "Vote exprimé" not in feed  # never a member's own vote
    assert "Vote fermé" in feed  # the result
    assert "Proposition déposée" in feed


def test_the_advisor_sees_internal_notes_and_the_analysis(decided, advisor_est):
    feed = labels(timeline(user=advisor_est, obj=decided))
    assert {"Avis interne sur le budget", "Question à la table", "Analyse rédigée",
            "Proposition déposée", "Vote fermé"} <= set(feed)
    assert "Vote exprimé" not in feed


def test_the_feed_is_newest_first_and_links_a_submission_to_its_diff(decided, advisor_est):
    entries = timeline(user=advisor_est, obj=decided)
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    submitted = next(e for e in entries if e.label == "Proposition déposée")
    assert submitted.url == reverse("proposals:proposal-versions", args=[decided.pk])


def test_a_committee_member_and_another_table_see_no_timeline(decided, tq_verdun):
    member = factories.make_committee_member().user
    assert timeline(user=member, obj=decided) == []
    assert timeline(user=tq_verdun, obj=decided) == []


def test_the_neighbourhood_page_shows_the_feed_of_all_its_files(
        client, decided, saint_michel, tq_saint_michel, advisor_est):
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:neighbourhood-file", args=[saint_michel.slug]))
    text = page.content.decode()
    assert "Historique du dossier" in text
    assert "Question à la table" in text
    assert "Avis interne sur le budget" not in text
    client.force_login(advisor_est)
    text = client.get(reverse("proposals:neighbourhood-file",
                              args=[saint_michel.slug])).content.decode()
    assert "Avis interne sur le budget" in text


def test_the_timeline_makes_two_queries_whatever_the_data(
        decided, advisor_est, django_assert_num_queries):
    from pic.access import roles_of

    roles_of(advisor_est).coordination, roles_of(advisor_est).advised_ids  # noqa: B018
    with django_assert_num_queries(2):
        timeline(user=advisor_est, obj=decided)
    for n in range(20):
        notes.note_write(obj=decided, body=f"Note {n}", visibility=SHARED, actor=advisor_est)
    with django_assert_num_queries(2):
        assert len(timeline(user=advisor_est, obj=decided)) > 20
