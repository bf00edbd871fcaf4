"""Ratification as the governance bodies do it: one deliberation of the ratifying body
(meeting or written consultation, date, resolution number, minutes) ratifying the
recommendations of one comité de gestion meeting, each with its own allocation, payment
schedule and letter; the comité de gouvernance's role; compositions checked against the guide."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance import selectors, services
from governance.models import Committee, DecisionLetter, RatificationAct
from neighbourhoods.models import Organisation
from pic.access import can
from proposals.models import Proposal
from reporting.models import Allocation, Instalment
from tests import factories

from .conftest import make_proposal

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def recommended_three(saint_michel, verdun, stage, gestion, chair, member, coordination):
    """Three proposals recommended at one comité de gestion meeting."""
    meeting = services.meeting_create(committee=gestion, title="Rencontre de décembre",
                                      held_on=timezone.localdate(), actor=coordination)
    proposals = [make_proposal(saint_michel, stage, title="Cuisine collective"),
                 make_proposal(verdun, stage, title="Verdun mobilisée"),
                 make_proposal(saint_michel, stage, title="Jardins partagés")]
    items = [services.agenda_item_add(meeting=meeting, proposal=p, actor=coordination)
             for p in proposals]
    services.attendance_set(meeting=meeting, actor=chair.user, present=[chair, member])
    for item in items:
        for seat in (chair, member):
            services.vote_cast(item=item, actor=seat.user, choice="for")
        services.item_close(item=item, actor=chair.user)
    return meeting, proposals


def test_a_meeting_s_three_recommendations_are_ratified_in_one_act(
        client, coordination, partenaires, recommended_three,
        django_capture_on_commit_callbacks):
    meeting, proposals = recommended_three
    client.force_login(coordination)
    url = reverse("governance:meeting-ratify", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Oui, entériner les recommandations cochées" in page
    for proposal in proposals:
        assert proposal.title in page
    # a December ratification runs past the program's end (2026-12-31): said before « Oui »
    assert "au-delà de la fin du programme" in page
    assert not RatificationAct.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {
            "mode": "meeting", "held_on": timezone.localdate().isoformat(),
            "resolution_number": "CP-2026-12-04", "notes": "",
            "minutes": SimpleUploadedFile("pv.pdf", PDF, content_type="application/pdf"),
            "proposals": [p.pk for p in proposals]})
    assert response.status_code == 302
    act = RatificationAct.objects.get()
    assert (act.committee, act.resolution_number, act.source_meeting) == (
        partenaires, "CP-2026-12-04", meeting)
    assert act.minutes_sha256
    assert act.ratifications.count() == 3
    allocations = Allocation.objects.filter(proposal__in=proposals)
    assert allocations.count() == 3
    assert {Instalment.objects.filter(allocation_year__allocation=a).count()
            for a in allocations} == {6}  # three years, two instalments a year
    assert DecisionLetter.objects.filter(proposal__in=proposals,
                                         kind=DecisionLetter.Kind.ALLOCATION).count() == 3
    follow = client.get(reverse("governance:ratification-list")).content.decode()
    assert "CP-2026-12-04" in follow
    assert "3 propositions entérinées" in follow
    minutes = client.get(reverse("governance:ratification-act-minutes", args=[act.pk]))
    assert b"".join(minutes.streaming_content) == PDF


def _recommended(meeting, proposals, chair, member, coordination):
    for proposal in proposals:
        item = services.agenda_item_add(meeting=meeting, proposal=proposal, actor=coordination)
        for seat in (chair, member):
            services.vote_cast(item=item, actor=seat.user, choice="for")
        services.item_close(item=item, actor=chair.user)


def test_the_deliberation_page_runs_the_same_queries_for_1_and_5_recommendations(
        client, saint_michel, verdun, stage, gestion, chair, member, coordination, partenaires,
        django_assert_max_num_queries):
    """Each recommendation's warnings (its decided amounts, the program's envelopes) are read
    for all of them at once, not per file."""
    from governance.models import Analysis, AnalysisYear

    meeting = services.meeting_create(committee=gestion, title="Rencontre de décembre",
                                      held_on=timezone.localdate(), actor=coordination)
    services.attendance_set(meeting=meeting, actor=chair.user, present=[chair, member])
    client.force_login(coordination)
    url = reverse("governance:meeting-ratify", args=[meeting.pk])

    def add(titles, *, amounts):
        proposals = [make_proposal(saint_michel if n % 2 else verdun, stage, title=title)
                     for n, title in enumerate(titles)]
        # an analysis: with the committee's amounts, or without (the requested ones count)
        analysis = Analysis.objects.create(proposal=proposals[0], author=coordination,
                                           capacity_building_amount=10000)
        if amounts:
            AnalysisYear.objects.create(analysis=analysis, year_number=1, amount=80000)
        _recommended(meeting, proposals, chair, member, coordination)

    add(["Dossier 1"], amounts=False)
    client.get(url)  # warms the caches
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert page.count("data-proposal=") == 1
    add([f"Dossier {n}" for n in range(2, 6)], amounts=True)
    with django_assert_max_num_queries(len(one)):
        page = client.get(url).content.decode()
    assert page.count("data-proposal=") == 5
    assert page.count("au-delà de la fin du programme") == 5


def test_a_failure_is_named_and_the_others_are_ratified(coordination, partenaires,
                                                       recommended_three):
    _meeting, proposals = recommended_three
    proposals[1].years.all().delete()  # no yearly amount: no allocation can be made
    result = services.ratification_act_record(
        proposals=proposals, actor=coordination, committee=partenaires, mode="written",
        held_on=timezone.localdate(), resolution_number="CP-ÉCRIT-7")
    assert [r.proposal for r in result.ratified] == [proposals[0], proposals[2]]
    assert [(p, "aucun montant" in m) for p, m in result.failures] == [(proposals[1], True)]
    proposals[1].refresh_from_db()
    assert proposals[1].status == Proposal.Status.RECOMMENDED  # its transaction rolled back
    assert list(selectors.recommendations_to_ratify(user=coordination)) == [proposals[1]]


def test_the_act_needs_a_resolution_number_once_per_body(coordination, partenaires,
                                                        recommended_three):
    _meeting, proposals = recommended_three
    services.ratification_act_record(proposals=proposals[:1], actor=coordination,
                                     committee=partenaires, mode="meeting",
                                     held_on=timezone.localdate(), resolution_number="R-1")
    with pytest.raises(ValidationError) as refused:
        services.ratification_act_record(
            proposals=proposals[1:], actor=coordination, committee=partenaires,
            mode="meeting", held_on=timezone.localdate() + datetime.timedelta(days=1),
            resolution_number="R-1")
    assert {"resolution_number", "held_on"} <= set(refused.value.error_dict)
    assert Proposal.objects.filter(pk=proposals[1].pk,
                                   status=Proposal.Status.RECOMMENDED).exists()


def test_only_coordination_records_a_deliberation(client, tq_saint_michel, recommended_three):
    meeting, _proposals = recommended_three
    client.force_login(tq_saint_michel)
    assert client.get(reverse("governance:meeting-ratify", args=[meeting.pk])).status_code \
        in (403, 404)


def test_the_governance_committee_reads_the_portfolio_and_uploads_its_minutes(
        client, coordination):
    gouvernance = factories.CommitteeFactory(kind=Committee.Kind.GOUVERNANCE,
                                             name="Comité de gouvernance")
    seat = factories.make_committee_member(gouvernance)
    seat.is_chair = True
    seat.save(update_fields=["is_chair"])
    outsider = factories.UserFactory()
    assert can(seat.user, "portfolio.read")
    assert not can(outsider, "portfolio.read")
    meeting = services.meeting_create(committee=gouvernance, title="Dynamique partenariale",
                                      held_on=timezone.localdate(), actor=coordination)
    client.force_login(seat.user)
    response = client.post(reverse("governance:minutes-upload", args=[meeting.pk]), {
        "file": SimpleUploadedFile("pv.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 302
    assert meeting.minutes.get().version == 1
    assert can(seat.user, "minutes.upload", meeting)


def test_compositions_are_checked_against_the_guide(client, coordination):
    gouvernance = factories.CommitteeFactory(kind=Committee.Kind.GOUVERNANCE,
                                             name="Comité de gouvernance")
    philanthropic = factories.OrganisationFactory(name="Fondation Molson",
                                                  category=Organisation.Category.PHILANTHROPIC)
    community = factories.OrganisationFactory(name="CMTQ", category="community")
    factories.make_committee_member(gouvernance, organisation=philanthropic)
    warnings = selectors.committee_composition_warnings(gouvernance)
    assert len(warnings) == 1
    assert "trois membres" in warnings[0]
    factories.make_committee_member(gouvernance, organisation=community)
    institutional = factories.OrganisationFactory(name="Ville de Montréal",
                                                  category="institutional")
    person = factories.UserFactory()
    client.force_login(coordination)
    response = client.post(reverse("governance:committee-seat"), {
        "committee": gouvernance.pk, "email": person.email, "organisation": institutional.pk},
        follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert not any("trois membres" in m for m in said)  # one per group: as the guide says
    assert selectors.committee_composition_warnings(gouvernance) == []
    fourth = factories.UserFactory()
    response = client.post(reverse("governance:committee-seat"), {
        "committee": gouvernance.pk, "email": fourth.email, "organisation": community.pk},
        follow=True)
    said = [str(m) for m in response.context["messages"]]
    assert any("trois membres" in m for m in said)  # a warning, not a block:
    assert gouvernance.members.current().count() == 4


def test_gestion_without_a_centraide_manager_is_warned(db):
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")
    foundation = factories.OrganisationFactory(name="Fondation McConnell",
                                               category="philanthropic")
    factories.make_committee_member(gestion, organisation=foundation)
    factories.make_committee_member(gestion, organisation=foundation)
    warnings = " ".join(selectors.committee_composition_warnings(gestion))
    assert "plus d'une siège pour : Fondation McConnell" in warnings
    assert "cadre de Centraide" in warnings


def test_the_ratify_page_warns_of_an_allocation_past_the_program_end(client, coordination,
                                                                    recommended_three):
    _meeting, proposals = recommended_three
    client.force_login(coordination)
    url = reverse("governance:ratification-record", args=[proposals[0].pk])
    page = client.get(url, {"ratified_on": timezone.localdate().isoformat()}).content.decode()
    assert "au-delà de la fin du programme" in page  # December 2026: a 2027–2029 allocation
    assert "fixée pour 2027, 2028, 2029" in page
    assert client.get(url, {"ratified_on": "2026-13-45"}).status_code == 200


def test_the_deliberation_s_minutes_must_be_a_pdf(coordination, partenaires, recommended_three):
    from tests.crafted_files import docx

    _meeting, proposals = recommended_three
    word = SimpleUploadedFile("proces-verbal.docx", docx({"word/document.xml": b"<w/>"}))
    with pytest.raises(ValidationError) as refused:
        services.ratification_act_record(
            proposals=proposals[:1], actor=coordination, committee=partenaires,
            mode="meeting", held_on=timezone.localdate(), resolution_number="R-9",
            minutes=word)
    assert "PDF" in " ".join(refused.value.message_dict["minutes"])
    assert not RatificationAct.objects.exists()
