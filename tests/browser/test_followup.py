"""Follow-up in a browser: the table writes and submits its annual report with a financial
statement; the advisor records the mid-year check-in."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pic.access import SYSTEM
from proposals.models import Program, Stage
from reporting.models import CheckIn, Report
from reporting.services import allocations
from tests import factories
from tests.reporting.conftest import make_ratified

pytestmark = pytest.mark.browser

PASSWORD = factories.PASSWORD


@pytest.fixture
def followed(settings, tmp_path, transactional_db):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    program = Program.objects.create(name="PIC phase 2", slug="pic-2",
                                     starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2030, 12, 31))
    stage = Stage.objects.create(
        program=program, number=2, name="Déploiement", normal_duration_years=3,
        max_duration_years=4, min_yearly_amount=Decimal("75000"),
        max_yearly_amount=Decimal("150000"))
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    member = factories.make_member(saint_michel, email="tq.saint-michel@example.org")
    advisor = factories.make_advisor(saint_michel, email="conseillere.est@example.org")
    allocation = allocations.allocation_create_for_ratification(
        ratification=make_ratified(saint_michel, stage), actor=SYSTEM)
    return {"member": member, "advisor": advisor, "allocation": allocation}


def log_in(page, email):
    page.goto(reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator("button[type=submit]").first.click()
    page.wait_for_url(page.base_url + reverse("home"))


def test_the_table_submits_its_annual_report_with_a_financial_statement(page, followed):
    report = followed["allocation"].years.get(year_number=1).report
    log_in(page, followed["member"].email)
    page.goto(reverse("reporting:report-edit", args=[report.pk]))
    page.get_by_label("Activités réalisées").fill("Cuisines collectives et marché mobile")
    page.get_by_label("Apprentissages", exact=True).fill("Passer par les écoles")
    page.get_by_label("Équité, diversité et inclusion (ÉDI)").fill("Interprétation offerte")
    page.get_by_label("Salaires et honoraires — budget").fill("50000")
    page.get_by_label("Salaires et honoraires — réel").fill("52500.50")
    page.get_by_label("Activités et mobilisation — budget").fill("30000")
    page.get_by_label("Activités et mobilisation — réel").fill("24000")
    # 20 % under budget: more than the program's threshold (10 %), so it is explained.
    page.get_by_label("Activités et mobilisation — explication de l'écart").fill(
        "Deux ateliers reportés à l'automne")
    page.get_by_role("button", name="Enregistrer, vérifier et remettre…").click()
    # Saved; the confirmation page says what handing it in means.
    page.get_by_text("Le rapport ne se modifie plus").wait_for()
    page.get_by_role("button", name="Oui, remettre le rapport").click()

    page.wait_for_url(re.compile(reverse("reporting:report-detail", args=[report.pk]) + "$"))
    assert page.get_by_text("Le rapport est remis à votre conseiller·ère.").is_visible()
    totals = page.locator("table.statement tfoot")
    assert re.fullmatch(r"80\D?000\s?\$", totals.locator('[data-total="budget"]').inner_text())
    assert re.search(r"76\D?500,50", totals.locator('[data-total="actual"]').inner_text())
    assert re.search(r"-3\D?499,50", totals.locator('[data-total="variance"]').inner_text())
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.lines.count() == 2


def test_the_report_text_survives_an_attachment(page, followed, tmp_path):
    """« Enregistrer et joindre » posts the whole report: the ÉDI text just typed is saved
    with the document, not emptied."""
    report = followed["allocation"].years.get(year_number=1).report
    log_in(page, followed["member"].email)
    page.goto(reverse("reporting:report-edit", args=[report.pk]))
    page.get_by_label("Équité, diversité et inclusion (ÉDI)").fill("Texte ÉDI tapé à l'instant")
    pdf = tmp_path / "bilan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="Enregistrer et joindre").click()
    page.get_by_text("Le document est joint au rapport.").wait_for()
    assert page.get_by_label("Équité, diversité et inclusion (ÉDI)").input_value() == (
        "Texte ÉDI tapé à l'instant")
    assert "bilan.pdf" in page.locator("#section-documents").inner_text()
    report.refresh_from_db()
    assert report.edi == "Texte ÉDI tapé à l'instant"


def test_the_advisor_records_a_check_in(page, followed):
    checkin = CheckIn.objects.get(allocation_year__allocation=followed["allocation"],
                                  allocation_year__year_number=1)
    log_in(page, followed["advisor"].email)
    page.goto(reverse("reporting:checkin-record", args=[checkin.pk]))
    assert page.get_by_text("En retard").is_visible()
    page.get_by_label("Tenu le").fill("2024-10-07")
    page.get_by_label("Participant·e·s").fill("Coordination de la table, deux organismes")
    page.get_by_label("Résumé").fill("Bon départ; la mobilisation est forte.")
    page.get_by_label("Suites à donner").fill("Envoyer le gabarit du rapport")
    page.get_by_role("button", name="Enregistrer le bilan").click()

    page.wait_for_url(re.compile(
        reverse("reporting:allocation-detail", args=[followed["allocation"].pk]) + "$"))
    assert page.get_by_text("Le bilan de mi-année est enregistré.").is_visible()
    assert page.get_by_text("tenu le 7 octobre 2024").is_visible()
    checkin.refresh_from_db()
    assert checkin.held_on == datetime.date(2024, 10, 7)
