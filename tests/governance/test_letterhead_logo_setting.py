"""PIC_LETTERHEAD_LOGO, the settings' logo for letters when none is uploaded in the app: shown
when it names a static file; when it names none, `manage.py check` warns and letters still
render, without a logo (in production `{% static %}` raised on a file missing from the
manifest, and every letter failed)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from pypdf import PdfReader

from governance.letters import letter_render
from governance.models import DecisionLetter, LetterSignatory
from pic.checks import letterhead_logo_exists
from tests.governance.test_letter_content import PNG, four_years  # noqa: F401

pytestmark = pytest.mark.django_db


def _images(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages[0].images)


@pytest.fixture
def static_logo(tmp_path, settings):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "logo.png").write_bytes(PNG)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    return "img/logo.png"


def test_a_logo_the_settings_name_is_on_the_letter(four_years, static_logo):  # noqa: F811
    proposal, _coordinator = four_years
    LetterSignatory.objects.all().delete()
    with override_settings(PIC_LETTERHEAD_LOGO=static_logo):
        assert letterhead_logo_exists() == []
        pdf = letter_render(proposal, DecisionLetter.Kind.ALLOCATION)[0]
    assert _images(pdf) == 1


@pytest.mark.parametrize("storage", [
    "django.contrib.staticfiles.storage.StaticFilesStorage",
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",  # production's kind
])
def test_a_missing_logo_is_warned_of_and_the_letter_renders_without_it(
        four_years, settings, storage, tmp_path):  # noqa: F811
    proposal, _coordinator = four_years
    LetterSignatory.objects.all().delete()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": storage}}
    settings.STATIC_ROOT = tmp_path / "collected"
    with override_settings(PIC_LETTERHEAD_LOGO="img/nowhere.png"):
        warnings = letterhead_logo_exists()
        assert [w.id for w in warnings] == ["pic.W001"]
        assert "img/nowhere.png" in warnings[0].msg
        pdf = letter_render(proposal, DecisionLetter.Kind.ALLOCATION)[0]
        with pytest.raises(SystemCheckError, match="pic.W001"):
            call_command("check", fail_level="WARNING")
    assert _images(pdf) == 0
    assert "Projet impact collectif" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
