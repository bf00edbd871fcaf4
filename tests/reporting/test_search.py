"""The header's search (reporting/search.py): accent-insensitive, scoped to what the reader may
see, grouped by kind, the matched words highlighted and escaped, in at most 15 queries. Runs on
SQLite locally and on PostgreSQL (full-text search with unaccent) in CI."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pic.textsearch import highlight, words_of
from proposals.models import Initiative, Program, Proposal, Stage
from tests import factories


@pytest.fixture
def stage(db):
    import datetime

    program = Program.objects.create(name="PIC 2", slug="pic-2",
                                     starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2030, 12, 31))
    return Stage.objects.create(program=program, number=1, name="Planification",
                                normal_duration_years=1, max_duration_years=2,
                                min_yearly_amount=25000, max_yearly_amount=50000)


def proposal_in(neighbourhood, stage, title, summary=""):
    initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=stage.program,
                                           title="Initiative du quartier", desired_change="…")
    return Proposal.objects.create(neighbourhood=neighbourhood, initiative=initiative,
                                   stage=stage, title=title, summary=summary)


def search(client, query):
    return client.get(reverse("search"), {"q": query})


def test_an_unaccented_word_finds_the_accented_neighbourhood(client, coordination):
    factories.NeighbourhoodFactory(name="Côte-des-Neiges")
    factories.NeighbourhoodFactory(name="Verdun")
    client.force_login(coordination)
    response = search(client, "Cote-des-Neiges")
    groups = {g.key: g for g in response.context["groups"]}
    assert [str(h.title) for h in groups["neighbourhoods"].hits] == [
        "<mark>Côte</mark>-<mark>des</mark>-<mark>Neiges</mark>"]
    assert "Verdun" not in response.content.decode()


def test_a_proposal_is_found_by_a_word_of_its_summary_without_accents(client, coordination,
                                                                      saint_michel, stage):
    proposal = proposal_in(saint_michel, stage, "Planifier ensemble",
                           summary="Une démarche de sécurité alimentaire concertée.")
    client.force_login(coordination)
    response = search(client, "securite alimentaire")
    proposals = {g.key: g for g in response.context["groups"]}["proposals"]
    hit = proposals.hits[0]
    assert hit.url == reverse("proposals:proposal-detail", args=[proposal.pk])
    assert "<mark>sécurité</mark> <mark>alimentaire</mark>" in str(hit.excerpt)
    assert f'<a href="/propositions/{proposal.pk}/">Planifier ensemble</a>' in (
        response.content.decode())


def test_a_tq_member_does_not_find_another_neighbourhoods_proposal(client, tq_verdun,
                                                                   saint_michel, verdun, stage):
    proposal_in(saint_michel, stage, "Mobilisation citoyenne à Saint-Michel")
    proposal_in(verdun, stage, "Mobilisation citoyenne à Verdun")
    client.force_login(tq_verdun)
    response = search(client, "mobilisation")
    html = response.content.decode()
    assert "Verdun" in html
    assert "Saint-Michel" not in html
    kinds = [g.key for g in response.context["groups"]]
    assert "proposals" in kinds


def test_people_are_found_only_among_those_the_reader_may_see(client, tq_verdun, saint_michel,
                                                              verdun):
    factories.make_member(saint_michel, full_name="Josée Tremblay")
    factories.make_member(verdun, full_name="José Gagnon")
    client.force_login(tq_verdun)
    html = search(client, "jose").content.decode()
    assert "Gagnon" in html
    assert "Tremblay" not in html


def test_typed_markup_comes_out_escaped(client, coordination, saint_michel, stage):
    proposal_in(saint_michel, stage, "<script>alert(1)</script> Mobilisation")
    client.force_login(coordination)
    html = search(client, "<b>mobilisation</b>").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Mobilisation</mark>" in html
    assert "« &lt;b&gt;mobilisation&lt;/b&gt; »" in html


def test_the_search_runs_at_most_15_queries_whatever_the_rows(client, coordination,
                                                              saint_michel, stage):
    client.force_login(coordination)
    for i in range(3):
        proposal_in(saint_michel, stage, f"Mobilisation {i}")
    with CaptureQueriesContext(connection) as small:
        search(client, "mobilisation saint")
    for i in range(30):
        proposal_in(saint_michel, stage, f"Mobilisation {i + 3}")
        factories.NeighbourhoodFactory(name=f"Saint-Quartier {i}")
    with CaptureQueriesContext(connection) as large:
        response = search(client, "mobilisation")
    assert len(large) <= 15
    assert len(large) == len(small)
    group = {g.key: g for g in response.context["groups"]}["proposals"]
    assert len(group.hits) == 10
    assert group.more


def test_the_header_has_the_search_box(client, tq_verdun):
    client.force_login(tq_verdun)
    html = client.get(reverse("proposals:proposal-list")).content.decode()
    assert 'role="search"' in html
    assert 'action="/recherche/"' in html


def test_words_are_letters_only_and_highlights_escape():
    assert words_of("Côte-des-Neiges; DROP TABLE") == ["cote", "des", "neiges", "drop", "table"]
    assert words_of("a ' :*") == []
    assert str(highlight("<i>Œuvre</i> commune", ["oeuvre", "commun"])) == (
        "&lt;i&gt;Œuvre&lt;/i&gt; <mark>commune</mark>")
