"""Bulk actions (pic/bulk.py): several proposals put on one meeting's agenda, a reminder to
several neighbourhoods. Each page says what will happen and asks for confirmation; each item
is done in its own transaction, and a refused one is named while the others are done."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from governance import services as governance
from governance.models import AgendaItem
from neighbourhoods.models import Neighbourhood
from pic.models import AuditEvent
from proposals.models import Proposal
from reporting.models import Allocation, AllocationYear, Report
from tests import factories
from tests.governance.conftest import make_proposal

TODAY = timezone.localdate()


@pytest.fixture
def stage(db):
    from tests.governance.conftest import Program, Stage

    program = Program.objects.create(name="PIC 2", slug="pic-2",
                                     starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2030, 12, 31))
    return Stage.objects.create(program=program, number=2, name="Déploiement",
                                normal_duration_years=3, max_duration_years=4,
                                min_yearly_amount=75000, max_yearly_amount=150000)


@pytest.fixture
def coming_meeting(coordination):
    committee = factories.CommitteeFactory()
    return governance.meeting_create(committee=committee, title="Rencontre de décembre",
                                     held_on=TODAY + datetime.timedelta(days=10),
                                     actor=coordination)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_several_proposals_go_on_an_agenda_and_a_refused_one_is_named(
        client, coordination, saint_michel, verdun, stage, coming_meeting):
    first = make_proposal(saint_michel, stage, title="Mobilisation")
    second = make_proposal(verdun, stage, title="Sécurité alimentaire")
    draft = make_proposal(saint_michel, stage, title="Brouillon", status=Proposal.Status.DRAFT)
    client.force_login(coordination)

    # The proposal list offers the selection to those who build agendas.
    listing = client.get(reverse("proposals:proposal-list")).content.decode()
    assert f'name="proposal" value="{first.pk}"' in listing

    url = reverse("governance:agenda-bulk-add")
    ids = [first.pk, second.pk, draft.pk]
    page = client.get(url, {"proposal": ids}).content.decode()
    assert "« Mobilisation » (Saint-Michel) sera inscrite à l&#x27;ordre du jour." in page
    assert "« Brouillon » (Saint-Michel) ne peut pas être inscrite" in page
    assert "Rencontre de décembre" in page  # the meeting to choose

    response = client.post(url, {"proposal": ids, "meeting": coming_meeting.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("governance:meeting-detail", args=[coming_meeting.pk])
    on_agenda = set(AgendaItem.objects.filter(meeting=coming_meeting)
                    .values_list("proposal__title", flat=True))
    assert on_agenda == {"Mobilisation", "Sécurité alimentaire"}
    messages = texts(response)
    assert any("2 propositions inscrites" in m and "Mobilisation" in m for m in messages)
    assert any(m.startswith("« Brouillon » n'a pas été inscrite") for m in messages)


def test_the_bulk_agenda_page_is_refused_to_a_table(client, tq_saint_michel, saint_michel,
                                                   stage, coming_meeting):
    proposal = make_proposal(saint_michel, stage)
    client.force_login(tq_saint_michel)
    response = client.post(reverse("governance:agenda-bulk-add"),
                           {"proposal": [proposal.pk], "meeting": coming_meeting.pk})
    assert response.status_code == 403
    assert not AgendaItem.objects.exists()


def test_the_bulk_agenda_page_without_a_meeting_keeps_the_selection(
        client, coordination, saint_michel, stage, coming_meeting):
    proposal = make_proposal(saint_michel, stage)
    client.force_login(coordination)
    response = client.post(reverse("governance:agenda-bulk-add"), {"proposal": [proposal.pk]})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'name="proposal" value="{proposal.pk}"' in html
    assert not AgendaItem.objects.exists()


def due_report(neighbourhood, stage, *, due_on):
    proposal = make_proposal(neighbourhood, stage, status=Proposal.Status.RATIFIED,
                             title=f"Plan {neighbourhood.name}")
    allocation = Allocation.objects.create(
        proposal=proposal, neighbourhood=neighbourhood, initiative=proposal.initiative,
        stage=stage, ratified_on=TODAY, starts_on=TODAY - datetime.timedelta(days=300),
        ends_on=TODAY + datetime.timedelta(days=700))
    year = AllocationYear.objects.create(allocation=allocation, year_number=1,
                                         starts_on=allocation.starts_on,
                                         ends_on=TODAY + datetime.timedelta(days=65),
                                         amount=Decimal("90000"))
    return Report.objects.create(allocation=allocation, allocation_year=year,
                                 kind=Report.Kind.ANNUAL, due_on=due_on)


def test_a_reminder_goes_to_several_neighbourhoods_and_one_with_nothing_due_is_named(
        client, saint_michel, stage, django_capture_on_commit_callbacks):
    lachine = factories.NeighbourhoodFactory(name="Lachine")
    advisor = factories.make_advisor(saint_michel, lachine)
    member = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    factories.make_member(lachine)
    due_report(saint_michel, stage, due_on=TODAY - datetime.timedelta(days=3))
    client.force_login(advisor)

    listing = client.get(reverse("neighbourhoods:neighbourhood-list")).content.decode()
    assert 'name="selected" value="saint-michel"' in listing

    url = reverse("reporting:neighbourhood-remind")
    page = client.get(url, {"selected": ["saint-michel", "lachine"]}).content.decode()
    assert "Chaque membre de Saint-Michel recevra un courriel" in page
    assert "Chaque membre de Lachine recevra un courriel" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"selected": ["saint-michel", "lachine"]})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Plan Saint-Michel" in mail.outbox[0].body
    assert "en retard" in mail.outbox[0].body
    messages = texts(response)
    assert "Rappel envoyé à 1 quartier : Saint-Michel." in messages
    assert any(m.startswith("Lachine : aucun rappel envoyé.") for m in messages)
    assert AuditEvent.objects.filter(verb="neighbourhood.reminded").count() == 1


def test_an_advisor_cannot_remind_a_neighbourhood_they_do_not_follow(
        client, advisor_est, verdun, stage, django_capture_on_commit_callbacks):
    factories.make_member(verdun)
    due_report(verdun, stage, due_on=TODAY)
    client.force_login(advisor_est)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:neighbourhood-remind"),
                               {"selected": ["verdun"]})
    assert response.status_code == 400  # Verdun is not among their neighbourhoods
    assert mail.outbox == []
    assert Neighbourhood.objects.filter(slug="verdun").exists()
