"""The report as a task list (reporting/sections.py): sections with their status, the
attachment that keeps the text typed beside it, the version check, « Vérifier et remettre »
with its disabled button."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pic.drafts import version_of
from reporting.models import FinancialLine

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def page_data(report, **texts):
    """The whole edit page's POST, as the browser sends it."""
    data = {"version": version_of(report), "activities": "", "evaluation_progress": "",
            "learnings": "", "reinvestment": "", "edi": ""}
    categories = [value for value, _label in FinancialLine.Category.choices]
    data.update({"lines-TOTAL_FORMS": str(len(categories)), "lines-INITIAL_FORMS": "0",
                 "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": str(len(categories))})
    for i, category in enumerate(categories):
        data[f"lines-{i}-category"] = category
    data.update(texts)
    return data


def edit(report):
    return reverse("reporting:report-edit", args=[report.pk])


def test_the_report_text_survives_an_attachment(client, allocation, tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    data = page_data(report, edi="Des aînés et des familles nouvellement arrivées",
                     attach="", file=SimpleUploadedFile("bilan.pdf", PDF))
    response = client.post(edit(report), data)
    assert response.status_code == 302
    assert response["Location"].endswith("#section-documents")
    report.refresh_from_db()
    assert report.edi == "Des aînés et des familles nouvellement arrivées"  # not emptied
    assert report.documents.get().original_name == "bilan.pdf"


def test_a_refused_attachment_keeps_the_text_and_says_why_beside_the_field(
        client, allocation, tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    data = page_data(report, edi="Texte à garder", attach="",
                     file=SimpleUploadedFile("script.exe", b"MZ\x90\x00binary"))
    response = client.post(edit(report), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Texte à garder" in page
    assert 'href="#id_file"' in page[page.index('id="error-summary"'):]
    report.refresh_from_db()
    assert report.edi == "Texte à garder"  # saved before the file was refused
    assert not report.documents.exists()


def test_a_stale_report_page_does_not_overwrite_a_newer_save(client, allocation,
                                                             tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    stale = page_data(report, activities="Premier onglet")
    client.post(edit(report), page_data(report, activities="Second onglet"))
    response = client.post(edit(report), stale)
    assert response.status_code == 409
    assert "Premier onglet" in response.content.decode()
    report.refresh_from_db()
    assert report.activities == "Second onglet"
    autosave = client.post(edit(report), stale, headers={"X-PIC-Autosave": "1"})
    assert autosave.status_code == 409
    assert "enregistré ailleurs" in autosave.json()["message"]


def test_the_report_page_lists_its_sections_with_their_status(client, allocation,
                                                              tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    client.post(edit(report), page_data(report, activities="Des ateliers"))
    page = client.get(edit(report)).content.decode()
    assert 'href="#section-activites"' in page
    assert 'id="status-activites">Terminée<' in page
    assert 'id="status-edi">Pas commencée<' in page
    assert "section-apprentissages-strategiques" not in page  # an annual report


def test_the_check_page_shows_the_answers_and_disables_the_button_while_incomplete(
        client, allocation, tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    client.post(edit(report), page_data(report, activities="Des ateliers de cuisine"))
    page = client.get(reverse("reporting:report-submit", args=[report.pk])).content.decode()
    assert "Des ateliers de cuisine" in page
    assert f'href="{edit(report)}#id_activities">Modifier' in page
    button = re.search(r"<button[^>]*>Oui, remettre le rapport", page).group(0)
    assert "disabled" in button
    assert 'id="confirm-blocked"' in page


def test_the_statement_takes_amounts_as_people_write_them(client, allocation, tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    response = client.post(edit(report), page_data(
        report, **{"lines-0-budget": "25 000", "lines-0-actual": "25000,50"}))
    assert response.status_code == 302
    line = report.lines.get()
    assert (line.budget, line.actual) == (25000, Decimal("25000.50"))
