"""One private storage, STORAGES["private"]: every uploaded or generated file lands under
PRIVATE_MEDIA_ROOT with no URL, and another backend is a change of settings only."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models

from pic.storage import PrivateFileSystemStorage, private_storage

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PROJECT_APPS = {"pic", "neighbourhoods", "proposals", "governance", "reporting"}


def _file_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield f"{model._meta.label}.{field.name}", field


def test_every_file_field_of_the_project_uses_the_private_storage():
    fields = dict(_file_fields())
    assert set(fields) >= {"proposals.ProposalDocument.file", "reporting.ReportDocument.file",
                           "governance.DecisionLetter.file", "governance.MeetingMinutes.file"}
    assert {name: getattr(field, "_storage_callable", None) for name, field in fields.items()} == {
        name: private_storage for name in fields}


def test_the_private_storage_reads_private_media_root_at_each_use(settings, tmp_path):
    storage = storages["private"]
    assert isinstance(storage, PrivateFileSystemStorage)
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "elsewhere"
    name = storage.save("letters/lettre.pdf", ContentFile(PDF))
    assert Path(storage.path(name)).is_relative_to(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / name).read_bytes() == PDF


def test_a_private_file_has_no_url():
    with pytest.raises(ValueError, match="no URL"):
        storages["private"].url("letters/lettre.pdf")


def test_a_location_in_options_wins_over_the_setting(tmp_path):
    storage = PrivateFileSystemStorage(location=tmp_path / "options")
    assert storage.path("a.pdf") == str(tmp_path / "options" / "a.pdf")
    assert storage.base_url is None
