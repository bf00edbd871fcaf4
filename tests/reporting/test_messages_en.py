"""Every success message of a report action, in English for a person who chose English (they
are translated at request time, not when the module is imported)."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reporting.models import Report
from reporting.services import reports
from tests.factories import english


def _said(client, url, data=None) -> list[str]:
    response = client.post(url, data or {})
    assert response.status_code == 302, response.content[:500]
    # The messages not shown yet pile up in the session: this action's is the last.
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def _filled(report, member):
    reports.report_save_draft(report=report, actor=member, texts={
        "activities": "a", "learnings": "b", "edi": "c"}, lines={
        "salaries": (Decimal("1"), Decimal("1"))})


@pytest.fixture
def report(allocation, tq_saint_michel):
    report = allocation.years.first().report
    _filled(report, tq_saint_michel)
    return report


def test_submit_and_resubmit_say_so_inenglish(client, report, tq_saint_michel, advisor_est):
    client.force_login(english(tq_saint_michel))
    assert _said(client, reverse("reporting:report-submit", args=[report.pk])) == [
        "The report has been submitted to your advisor."]
    reports.report_request_changes(report=report, actor=advisor_est, message="Précisez")
    assert _said(client, reverse("reporting:report-resubmit", args=[report.pk])) == [
        "The report has been resubmitted."]
    report.refresh_from_db()
    assert report.status == Report.Status.RESUBMITTED


def test_accept_and_request_changes_say_so_inenglish(client, report, tq_saint_michel,
                                                      advisor_est):
    reports.report_submit(report=report, actor=tq_saint_michel)
    client.force_login(english(advisor_est))
    assert _said(client, reverse("reporting:report-request-changes", args=[report.pk]),
                 {"message": "Précisez"}) == ["Changes have been requested from the "
                                              "neighbourhood."]
    reports.report_resubmit(report=report, actor=tq_saint_michel)
    assert _said(client, reverse("reporting:report-accept", args=[report.pk])) == [
        "The report has been accepted."]


def test_the_confirmation_page_speaksenglish(client, report, tq_saint_michel):
    client.force_login(english(tq_saint_michel))
    page = client.get(reverse("reporting:report-submit", args=[report.pk])).content.decode()
    assert "Yes, submit the report" in page
    assert "What will happen:" in page
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_the_confirmation_page_says_what_is_missing(client, allocation, tq_saint_michel):
    report = allocation.years.first().report
    client.force_login(tq_saint_michel)
    page = client.get(reverse("reporting:report-submit", args=[report.pk])).content.decode()
    assert "Le rapport ne peut pas encore être remis" in page
    assert "requis pour remettre le rapport" in page
    assert "au moins une ligne" in page
