import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from neighbourhoods.demo import DEMO_PASSWORD
from neighbourhoods.models import Neighbourhood, Organisation

DEMO_ACCOUNTS = {
    "coordination@example.org": "reporting/home_coordination.html",
    "conseillere.est@example.org": "reporting/home_advisor.html",
    "conseiller.ouest@example.org": "reporting/home_advisor.html",
    "tq.saint-michel@example.org": "reporting/home_neighbourhood.html",
    "tq.verdun@example.org": "reporting/home_neighbourhood.html",
    "gestion.chagnon@example.org": "reporting/home_committee.html",
    "gestion.ville@example.org": "reporting/home_committee.html",
    "gestion.centraide@example.org": "reporting/home_committee.html",
    "gestion.cmtq@example.org": "reporting/home_committee.html",
}


def snapshot() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.label not in {"sessions.Session"}}


@pytest.fixture
def seeded(db):
    call_command("seed_demo", force=True, verbosity=0)


def test_seed_demo_twice_changes_nothing(seeded):
    before = snapshot()
    call_command("seed_demo", force=True, verbosity=0)
    assert snapshot() == before


def test_seed_demo_has_the_programs_people(seeded):
    assert Neighbourhood.objects.count() >= 28
    assert Organisation.objects.get(short_name="CMTQ").recused_from_investment_decisions
    saint_michel = Neighbourhood.objects.get(name="Saint-Michel")
    assert saint_michel.table_name == "Vivre Saint-Michel en santé"


@pytest.mark.parametrize(("email", "template"), DEMO_ACCOUNTS.items())
def test_every_demo_account_logs_in_to_its_home(client, seeded, settings, email, template):
    settings.PIC_REQUIRE_STAFF_MFA = False  # as in the demo (DEBUG on)
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD},
                           follow=True)
    assert template in [t.name for t in response.templates]


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)
    assert not Neighbourhood.objects.exists()


def test_advisor_est_follows_saint_michel_and_hochelaga(seeded):
    from pic.models import User

    advisor = User.objects.get(email="conseillere.est@example.org")
    names = set(Neighbourhood.objects.visible_to(advisor).values_list("name", flat=True))
    assert {"Saint-Michel", "Hochelaga-Maisonneuve"} <= names
    assert "Verdun" not in names
