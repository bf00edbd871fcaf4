"""The demo data holds proposals in each state, so every page has something to show."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from pic.models import User
from proposals.models import Contact, LetterOfIntent, Proposal, Stage, WindowExtension


@pytest.fixture
def seeded(db):
    call_command("seed_demo", force=True, verbosity=0)


def test_demo_has_a_proposal_in_each_state(seeded):
    states = set(Proposal.objects.values_list("status", flat=True))
    assert states == set(Proposal.Status.values)


def test_demo_program_has_the_real_numbers(seeded):
    numbers = {s.number: (s.normal_duration_years, s.max_duration_years, s.min_yearly_amount,
                          s.max_yearly_amount) for s in Stage.objects.all()}
    assert numbers == {1: (1, 2, 25000, 50000), 2: (3, 4, 75000, 150000),
                       3: (3, 3, 150000, 350000)}


def test_saint_michel_and_verdun_have_rich_files(seeded):
    for name in ("Saint-Michel", "Verdun"):
        assert Proposal.objects.filter(neighbourhood__name=name).count() >= 3
        assert LetterOfIntent.objects.filter(neighbourhood__name=name).exists()
        assert Contact.objects.filter(neighbourhood__name=name).exists()
    assert WindowExtension.objects.filter(neighbourhood__name="Verdun").exists()


@pytest.mark.parametrize("email", ["tq.saint-michel@example.org", "tq.verdun@example.org",
                                   "conseillere.est@example.org", "coordination@example.org"])
def test_demo_pages_render(client, seeded, email):
    user = User.objects.get(email=email)
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    listing = client.get(reverse("proposals:proposal-list"))
    assert listing.status_code == 200
    for proposal in listing.context["proposals"][:8]:
        assert client.get(reverse("proposals:proposal-detail",
                                  args=[proposal.pk])).status_code == 200
        assert client.get(reverse("proposals:proposal-versions",
                                  args=[proposal.pk])).status_code == 200


def test_demo_staff_and_neighbourhood_pages_render(client, seeded):
    client.force_login(User.objects.get(email="coordination@example.org"))
    program = client.get(reverse("proposals:program"))
    assert program.status_code == 200
    assert "Intensification" in program.content.decode()
    client.force_login(User.objects.get(email="tq.saint-michel@example.org"))
    file = client.get(reverse("proposals:neighbourhood-file", args=["saint-michel"]))
    assert "Prochaines étapes" in file.content.decode()
    draft = Proposal.objects.get(neighbourhood__slug="saint-michel", status="draft")
    edit = client.get(reverse("proposals:proposal-edit", args=[draft.pk]) + "?verifier=1")
    assert edit.status_code == 200
    client.force_login(User.objects.get(email="tq.verdun@example.org"))
    changes = Proposal.objects.get(neighbourhood__slug="verdun", status="changes_requested")
    page = client.get(reverse("proposals:proposal-detail", args=[changes.pk])).content.decode()
    assert "Modifications demandées" in page
