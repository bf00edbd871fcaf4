import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from proposals.models import Initiative
from reporting.models import Allocation, FinancialLine, Report
from reporting.services import checkins, reports

D = datetime.date
TEXTS = {"activities": "Ateliers de cuisine", "learnings": "La mobilisation prend du temps",
         "edi": "Interprétation offerte", "evaluation_progress": "Sondage fait"}
LINES = {"salaries": (Decimal("50000"), Decimal("52500.50")),
         "activities": (Decimal("30000"), Decimal("24000"), "Deux ateliers reportés"),
         "capacity": (Decimal("5000"), Decimal("0"), "Formation remise à l'an prochain")}


@pytest.fixture
def report(allocation):
    return allocation.years.get(year_number=1).report


def test_financial_statement_totals_and_variances_are_computed(report, tq_saint_michel):
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines=LINES)
    statement = reports.statement(report.lines.all())
    assert statement.budget == Decimal("85000")
    assert statement.actual == Decimal("76500.50")
    assert statement.variance == Decimal("-8499.50")
    assert statement.variance_percent == Decimal("-10.0")
    variances = {line.category: line.variance for line in statement.lines}
    assert variances == {"salaries": Decimal("2500.50"), "activities": Decimal("-6000"),
                         "capacity": Decimal("-5000")}


def test_negative_amounts_are_refused(report, tq_saint_michel):
    with pytest.raises(ValidationError) as error:
        reports.report_save_draft(report=report, actor=tq_saint_michel, texts={},
                                  lines={"salaries": (Decimal("-1"), Decimal("10"))})
    assert "lines" in error.value.error_dict
    assert not report.lines.exists()


def test_negative_amounts_are_refused_by_the_database_too(report):
    with pytest.raises(IntegrityError):
        FinancialLine.objects.create(report=report, category="other", budget=Decimal("-1"))


def test_saving_again_updates_lines_and_blank_lines_are_removed(report, tq_saint_michel):
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines=LINES)
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={}, lines={
        "salaries": (Decimal("1"), Decimal("2")), "capacity": (None, None)})
    assert {(x.category, x.budget) for x in report.lines.all()} == {
        ("salaries", Decimal("1")), ("activities", Decimal("30000"))}


def test_submission_needs_the_texts_and_a_statement(report, tq_saint_michel):
    with pytest.raises(ValidationError) as error:
        reports.report_submit(report=report, actor=tq_saint_michel)
    assert {"activities", "learnings", "edi", "lines"} <= set(error.value.error_dict)
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_report_workflow_changes_requested_then_accepted(report, tq_saint_michel, advisor_est):
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines=LINES)
    reports.report_submit(report=report, actor=tq_saint_michel)
    reports.report_request_changes(report=report, actor=advisor_est, message="Détaillez l'ÉDI")
    report.refresh_from_db()
    assert report.status == Report.Status.CHANGES_REQUESTED
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={"edi": "Détaillé"})
    reports.report_resubmit(report=report, actor=tq_saint_michel)
    reports.report_accept(report=report, actor=advisor_est)
    report.refresh_from_db()
    assert report.status == Report.Status.ACCEPTED
    assert report.accepted_at


def test_illegal_transitions_are_refused_with_a_clear_error(report, advisor_est, tq_saint_michel):
    with pytest.raises(reports.IllegalTransition, match="Brouillon"):
        reports.report_accept(report=report, actor=advisor_est)
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines=LINES)
    reports.report_submit(report=report, actor=tq_saint_michel)
    assert reports.report_submit(report=report, actor=tq_saint_michel).status == "submitted"
    with pytest.raises(ValidationError, match="plus modifiable"):
        reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS)


def test_only_the_table_writes_and_only_followers_accept(report, tq_saint_michel, tq_verdun,
                                                          advisor_est):
    with pytest.raises(PermissionDenied):
        reports.report_save_draft(report=report, actor=tq_verdun, texts=TEXTS)
    with pytest.raises(PermissionDenied):
        reports.report_save_draft(report=report, actor=advisor_est, texts=TEXTS)
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts=TEXTS, lines=LINES)
    reports.report_submit(report=report, actor=tq_saint_michel)
    with pytest.raises(PermissionDenied):
        reports.report_accept(report=report, actor=tq_saint_michel)


def test_accepting_the_final_report_closes_the_stage(allocation, tq_saint_michel, advisor_est):
    final = allocation.reports.get(kind=Report.Kind.FINAL)
    reports.report_save_draft(report=final, actor=tq_saint_michel, texts=TEXTS, lines=LINES)
    with pytest.raises(ValidationError) as error:
        reports.report_submit(report=final, actor=tq_saint_michel)
    assert "strategic_learnings" in error.value.error_dict
    reports.report_save_draft(report=final, actor=tq_saint_michel,
                              texts={**TEXTS, "strategic_learnings": "Agir ensemble"},
                              lines=LINES)
    reports.report_submit(report=final, actor=tq_saint_michel)
    reports.report_accept(report=final, actor=advisor_est)
    allocation.refresh_from_db()
    assert allocation.status == Allocation.Status.CLOSED
    # the initiative stays open: the next stage can be proposed for it
    assert Initiative.objects.get(pk=allocation.initiative_id).status == "active"


def test_indicators_carry_actual_values_in_reports(allocation, report, tq_saint_michel):
    question = allocation.proposal.evaluation_questions.get()
    indicator = reports.indicator_add(question=question, name="Personnes rejointes",
                                      unit="personnes", baseline=Decimal("40"),
                                      target=Decimal("200"), actor=tq_saint_michel)
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={},
                              indicator_values={indicator.pk: Decimal("120")})
    assert report.indicator_values.get().actual == Decimal("120")


def test_report_documents_are_checked_like_proposal_documents(report, tq_saint_michel):
    pdf = SimpleUploadedFile("etat.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                             content_type="application/pdf")
    document = reports.report_document_upload(report=report, upload=pdf, actor=tq_saint_michel)
    assert document.content_type == "application/pdf"
    exe = SimpleUploadedFile("etat.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with pytest.raises(ValidationError):
        reports.report_document_upload(report=report, upload=exe, actor=tq_saint_michel)


# --- Check-ins ------------------------------------------------------------------------------


def test_advisor_records_the_check_in(allocation, advisor_est):
    checkin = allocation.years.get(year_number=1).checkin
    assert checkin.is_overdue(today=D(2024, 10, 2))
    checkins.checkin_record(checkin=checkin, actor=advisor_est, held_on=D(2024, 10, 3),
                            participants="Coordination, deux partenaires",
                            summary="Bon départ", follow_ups="Envoyer le gabarit")
    checkin.refresh_from_db()
    assert checkin.is_done
    assert not checkin.is_overdue(today=D(2024, 10, 5))
    assert checkin.recorded_by == advisor_est


def test_check_in_needs_participants_and_summary_and_the_right_advisor(
        allocation, advisor_est, verdun):
    from tests import factories

    checkin = allocation.years.get(year_number=1).checkin
    with pytest.raises(ValidationError) as error:
        checkins.checkin_record(checkin=checkin, actor=advisor_est, held_on=D(2024, 10, 3),
                                participants=" ", summary="")
    assert {"participants", "summary"} <= set(error.value.error_dict)
    other = factories.make_advisor(verdun)
    with pytest.raises(PermissionDenied):
        checkins.checkin_record(checkin=checkin, actor=other, held_on=D(2024, 10, 3),
                                participants="x", summary="y")


def test_progress_is_reported_per_evaluation_question(allocation, report, tq_saint_michel):
    question = allocation.proposal.evaluation_questions.get()
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={},
                              question_progress={question.pk: {
                                  "data_collected": "Registre des présences",
                                  "progress": "150 personnes sur 200", "learned": "Les soirs",
                                  "reinvested": "Horaire changé"}})
    progress = report.question_progress.get()
    assert (progress.question, progress.progress) == (question, "150 personnes sur 200")
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={},
                              question_progress={question.pk: {}})
    assert not report.question_progress.exists()
