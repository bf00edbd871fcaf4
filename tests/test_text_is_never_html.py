"""Text a person typed is never HTML: markup saved in any staff-editable text field (program,
stages, prerequisites, windows, committees, neighbourhoods, organisations) comes out escaped on
every page that shows it, and no template or module marks text safe."""

import re
from pathlib import Path

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from governance.models import Committee
from neighbourhoods.models import Neighbourhood, Organisation
from proposals.demo import seed_program
from proposals.models import PrerequisiteItem, Program, Stage, Window
from tests import factories
from tests.proposals.conftest import make_contact, make_proposal

ROOT = Path(__file__).resolve().parent.parent
STAFF_EDITED = [Program, Stage, PrerequisiteItem, Window, Committee, Neighbourhood, Organisation]
RAW = "<img src=x"


def payload(marker: str) -> str:
    return f"<img src=x onerror=alert(1) id={marker}>"


def escaped(marker: str) -> str:
    return f"&lt;img src=x onerror=alert(1) id={marker}&gt;"


def free_text_fields(model) -> list[models.Field]:
    """Every text a person types on the model: char and text fields without choices (slugs,
    e-mail and web addresses are validated into shapes that hold no markup)."""
    return [field for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, (models.SlugField, models.EmailField, models.URLField))
            and not field.choices]


@pytest.fixture
def world(db, saint_michel, tq_saint_michel, coordination):
    program, stages, _windows = seed_program()
    stage = stages[1]
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stage, complete=False, title="Nourrir")
    member = factories.make_committee_member(factories.CommitteeFactory(mandate="Décider"))
    # A second seat whose organisation has no short name: its full name is what pages show.
    unnamed = factories.make_committee_member(member.committee).organisation
    return {"proposal": proposal, "program": program, "stage": stage, "member": member.user,
            "organisation_without_short_name": unnamed}


def fill_every_field_with_markup() -> dict[str, list[str]]:
    """What staff could have saved (in the app or the admin): markup in every free-text field
    of every row. Returns, for each field, the markers of its rows."""
    markers: dict[str, list[str]] = {}
    for model in STAFF_EDITED:
        fields = free_text_fields(model)
        assert fields, model
        for pk in model.objects.values_list("pk", flat=True):
            values = {}
            for field in fields:
                marker = f"{model._meta.model_name[:6]}.{field.name}.{pk}"
                values[field.name] = payload(marker)
                assert len(values[field.name]) <= (field.max_length or 10_000), marker
                markers.setdefault(f"{model.__name__}.{field.name}", []).append(marker)
            model.objects.filter(pk=pk).update(**values)
    return markers


def pages_seen_by(client: Client, user, paths: list[str]) -> dict[str, str]:
    client.force_login(user)
    pages = {}
    for language in ("fr", "en"):
        client.cookies["django_language"] = language
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            pages[f"{language} {path}"] = response.content.decode()
    return pages


def test_markup_in_every_staff_edited_field_comes_out_escaped(client, world, tq_saint_michel,
                                                              coordination, saint_michel):
    markers = fill_every_field_with_markup()
    Organisation.objects.filter(pk=world["organisation_without_short_name"].pk).update(
        short_name="")
    proposal, program = world["proposal"], world["program"]
    pages = pages_seen_by(client, tq_saint_michel, [
        reverse("home"), reverse("proposals:proposal-edit", args=[proposal.pk]),
        reverse("proposals:proposal-detail", args=[proposal.pk]),
        reverse("proposals:proposal-list"), reverse("proposals:proposal-create"),
        reverse("proposals:neighbourhood-file", args=[saint_michel.slug]),
    ])
    config_pages = [reverse("proposals:program-update", args=[program.pk])]
    config_pages += [reverse("proposals:stage-update", args=[s.pk]) for s in Stage.objects.all()]
    config_pages += [reverse("proposals:prerequisite-update", args=[p.pk])
                     for p in PrerequisiteItem.objects.all()]
    config_pages += [reverse("proposals:window-update", args=[w.pk]) for w in Window.objects.all()]
    pages |= pages_seen_by(client, coordination, [
        reverse("home"), reverse("proposals:program"), reverse("governance:committee-list"),
        reverse("neighbourhoods:neighbourhood-list"),
        reverse("neighbourhoods:neighbourhood-detail", args=[saint_michel.slug]),
        reverse("reporting:dashboard"), *config_pages,
    ])
    pages |= pages_seen_by(client, world["member"], [reverse("home")])

    for name, html in pages.items():
        assert RAW not in html, f"{name} shows markup a person typed as HTML"
    everything = "\n".join(pages.values())
    never_shown = [field for field, rows in markers.items()
                   if not any(escaped(marker) in everything for marker in rows)]
    assert never_shown == [], "no page shows these fields (add the page that does)"
    assert {"PrerequisiteItem.guidance", "PrerequisiteItem.guidance_en", "Stage.description",
            "Committee.mandate", "Committee.name_en", "Window.name_en"} <= set(markers)


def test_prerequisite_guidance_saved_on_the_program_page_is_plain_text_for_the_tq(
        client, world, coordination, tq_saint_michel):
    """The reported case: `<img src=x onerror=…>` saved as guidance on the Programme page."""
    item = world["stage"].prerequisites.first()
    client.force_login(coordination)
    response = client.post(reverse("proposals:prerequisite-update", args=[item.pk]), {
        "position": item.position, "label": item.label, "label_en": "",
        "guidance": payload("guidance"), "guidance_en": ""})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.guidance == payload("guidance")  # kept as typed
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-edit-section",
                              args=[world["proposal"].pk, "prealables"]))
    html = page.content.decode()
    assert escaped("guidance") in html
    assert RAW not in html


SAFE = re.compile(r"\|\s*safe\b|\bsafeseq\b|\{%\s*autoescape\s+off")
HTML_EMAILS = re.compile(r"/email/.*\.txt$")  # plain-text emails: never read as HTML


def test_no_template_marks_text_safe():
    offenders = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(
            (ROOT / "templates").rglob("*")):
        if path.is_file() and ".venv" not in path.parts and not HTML_EMAILS.search(
                path.as_posix()) and SAFE.search(path.read_text()):
            offenders.append(path.relative_to(ROOT).as_posix())
    assert offenders == []


def test_python_marks_only_constants_safe():
    """mark_safe only on a literal; format_html (which escapes its arguments) for the rest."""
    offenders = []
    for folder in ("pic", "neighbourhoods", "proposals", "governance", "reporting"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            for match in re.finditer(r"mark_safe\(\s*(?:#[^\n]*\n\s*)?(.)", text):
                if match.group(1) not in {"'", '"'}:
                    offenders.append(f"{path.relative_to(ROOT)}: mark_safe of a non-literal")
            if "SafeString(" in text or "|safe" in text:
                offenders.append(f"{path.relative_to(ROOT)}: SafeString or |safe")
    assert offenders == []
