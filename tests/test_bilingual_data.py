"""Program data (stages, prerequisites, windows, committees) is shown in English on English
pages when coordination staff filled in the English name, in French otherwise."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from governance.models import Committee
from pic.access import SYSTEM
from proposals import services
from proposals.demo import seed_program
from proposals.demo_dates import date_en, date_fr, shift
from proposals.forms import PrerequisiteItemForm, StageForm, WindowForm
from proposals.models import PrerequisiteItem, Stage, Window
from tests import factories


@pytest.fixture
def program(db):
    program, stages, windows = seed_program()
    program.stage_by_number = stages
    program.window_by_name = windows
    return program


@pytest.fixture
def window(program):
    """The demo's second window (« 1er février 2022 » when the demo is seeded on its anchor
    day): named after its deadline, in French and in English."""
    window = Window.objects.get(program=program, deadline=shift("2022-02-01"))
    assert window.name == date_fr(window.deadline)
    assert window.name_en == date_en(window.deadline)
    assert window.name != window.name_en
    return window


@pytest.fixture
def gestion(db):
    return factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion",
                                      name_en="Management committee")


@pytest.fixture
def deployment_proposal(program, saint_michel):
    initiative = services.initiative_create(
        neighbourhood=saint_michel, program=program, title="Initiative",
        desired_change="Un changement souhaité", actor=SYSTEM)
    return services.proposal_create(initiative=initiative, stage=program.stage_by_number[2],
                                    title="Proposition de déploiement", actor=SYSTEM)


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_proposal_page_in_english(client, coordination, deployment_proposal):
    client.force_login(coordination)
    english(client)
    page = client.get(reverse("proposals:proposal-detail", args=[deployment_proposal.pk]))
    assert page.headers["Content-Language"] == "en"
    html = page.content.decode()
    assert "Deployment" in html
    assert "Déploiement" not in html


def test_proposal_page_in_french(client, coordination, deployment_proposal):
    client.force_login(coordination)
    html = client.get(reverse("proposals:proposal-detail",
                              args=[deployment_proposal.pk])).content.decode()
    assert "Déploiement" in html
    assert "Deployment" not in html


def test_program_page_in_english(client, coordination, program, window):
    client.force_login(coordination)
    english(client)
    html = client.get(reverse("proposals:program")).content.decode()
    assert "Planning" in html
    assert "Deployment" in html
    assert "Intensification" in html
    assert window.name_en in html
    assert "A neighbourhood plan, adopted or being adopted." in html
    assert "Déploiement" not in html
    assert window.name not in html


def test_program_page_in_french(client, coordination, program, window):
    client.force_login(coordination)
    html = client.get(reverse("proposals:program")).content.decode()
    assert "Planification" in html
    assert "Déploiement" in html
    assert window.name in html
    assert "Un plan de quartier adopté ou en cours d&#x27;adoption." in html
    assert "Deployment" not in html
    assert window.name_en not in html


def test_committee_names_follow_the_language(client, coordination, gestion):
    client.force_login(coordination)
    html = client.get(reverse("governance:committee-list")).content.decode()
    assert "Comité de gestion" in html
    assert "Management committee" not in html
    english(client)
    html = client.get(reverse("governance:committee-list")).content.decode()
    assert "Management committee" in html
    assert "Comité de gestion" not in html


def test_empty_english_name_falls_back_to_french(client, coordination, program):
    Stage.objects.filter(pk=program.stage_by_number[2].pk).update(name_en="")
    client.force_login(coordination)
    english(client)
    html = client.get(reverse("proposals:program")).content.decode()
    assert "2 — Déploiement" in html
    assert "2 — Deployment" not in html
    assert "1 — Planning" in html


def test_display_properties_and_str(db, program, window, gestion):
    stage = program.stage_by_number[2]
    item = stage.prerequisites.first()
    with translation.override("en"):
        assert stage.display_name == "Deployment"
        assert "Deployment" in str(stage)
        assert item.display_label == str(item) == "A neighbourhood plan, adopted or being adopted."
        assert str(window) == window.name_en
        assert str(gestion) == "Management committee"
    with translation.override("fr"):
        assert stage.display_name == "Déploiement"
        assert "Déploiement" in str(stage)
        assert str(item) == "Un plan de quartier adopté ou en cours d'adoption."
        assert str(window) == window.name
        assert str(gestion) == "Comité de gestion"
    gestion.name_en = ""
    with translation.override("en"):
        assert str(gestion) == "Comité de gestion"


def test_staff_edit_the_english_names():
    assert "name_en" in StageForm.base_fields
    assert {"label_en", "guidance_en"} <= set(PrerequisiteItemForm.base_fields)
    assert "name_en" in WindowForm.base_fields


def test_seed_fills_blank_english_names_once(db):
    program, stages, _ = seed_program()
    Stage.objects.filter(pk=stages[1].pk).update(name_en="")
    seed_program()
    assert Stage.objects.get(pk=stages[1].pk).name_en == "Planning"
    Stage.objects.filter(pk=stages[1].pk).update(name_en="Planning stage")
    seed_program()
    assert Stage.objects.get(pk=stages[1].pk).name_en == "Planning stage"


def test_seed_demo_fills_english_names_of_an_older_demo_database(db, settings, tmp_path):
    """A demo seeded before the English names existed gets them on the next run; the run
    after that changes nothing."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    models = (Stage, Window, Committee)
    for model in models:
        model.objects.update(name_en="")
    PrerequisiteItem.objects.update(label_en="")
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    for model in models:
        assert not model.objects.filter(name_en="").exists()
    assert not PrerequisiteItem.objects.filter(label_en="").exists()
    assert Committee.objects.get(kind=Committee.Kind.GESTION).name_en == "Management committee"
    before = {m: list(m.objects.values_list("pk", "name_en")) for m in models}
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())
    assert {m: list(m.objects.values_list("pk", "name_en")) for m in models} == before


def test_dashboard_rows_name_the_stage_in_the_reader_s_language():
    from django.utils import translation

    from pic.i18n_fields import localized_value

    with translation.override("en"):
        assert localized_value("Déploiement", "Deployment") == "Deployment"
        assert localized_value("Déploiement", "") == "Déploiement"
    with translation.override("fr"):
        assert localized_value("Déploiement", "Deployment") == "Déploiement"
