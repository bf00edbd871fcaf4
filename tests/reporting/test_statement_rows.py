"""The financial statement as a formset: one row per category, a cleared row removes its line,
and a row's error stays on its row with everything typed kept."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import FinancialLine
from reporting.services import reports

from .test_views import statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(allocation):
    return allocation.years.first().report


def edit(report):
    return reverse("reporting:report-edit", args=[report.pk])


def lines(report):
    return {line.category: (line.budget, line.actual) for line in report.lines.all()}


def test_the_page_shows_one_row_per_category_with_the_saved_amounts(client, report,
                                                                    tq_saint_michel):
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={},
                              lines={"evaluation": (Decimal("700"), Decimal("650.25"))})
    client.force_login(tq_saint_michel)
    page = client.get(edit(report)).content.decode()
    assert len(re.findall(r'name="lines-\d+-budget"', page)) == len(FinancialLine.Category.choices)
    assert 'name="lines-TOTAL_FORMS" value="7"' in page
    assert re.search(r'name="lines-3-budget" value="700(\.00)?"', page)
    assert "Évaluation — budget" in page


def test_typed_lines_are_saved_and_a_cleared_row_removes_its_line(client, report,
                                                                 tq_saint_michel):
    client.force_login(tq_saint_michel)
    response = client.post(edit(report), statement({"salaries": ("1000", "1200.50"),
                                                    "other": ("20", "0")}))
    assert response.status_code == 302
    assert lines(report) == {"salaries": (Decimal("1000"), Decimal("1200.50")),
                             "other": (Decimal("20"), Decimal("0"))}
    client.post(edit(report), statement({"salaries": ("1000", "1200.50")}))
    assert lines(report) == {"salaries": (Decimal("1000"), Decimal("1200.50"))}


def test_a_row_in_error_keeps_every_typed_value_and_is_summarised(client, report,
                                                                 tq_saint_michel):
    client.force_login(tq_saint_michel)
    response = client.post(edit(report), statement({"salaries": ("1000", "1200"),
                                                    "capacity": ("-5", "abc")}))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'name="lines-0-budget" value="1000"' in page
    assert 'name="lines-2-budget" value="-5"' in page
    assert 'name="lines-2-actual" value="abc"' in page
    row = page[page.index('id="lines-2"'):page.index('id="lines-3"')]
    assert row.count('class="error"') == 2
    summary = page[page.index('id="error-summary"'):]
    summary = summary[:summary.index("</div>")]
    assert 'href="#id_lines-2-budget"' in summary
    assert "Renforcement des compétences — budget" in summary
    assert lines(report) == {}


def test_a_category_posted_twice_is_refused(client, report, tq_saint_michel):
    client.force_login(tq_saint_michel)
    data = statement({"salaries": ("1", "1")})
    data["lines-1-category"] = "salaries"
    response = client.post(edit(report), data)
    assert response.status_code == 400
    assert "Une catégorie figure deux fois" in response.content.decode()
    assert lines(report) == {}


def test_a_post_without_the_statement_leaves_the_lines_as_they_are(client, report,
                                                                  tq_saint_michel):
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={},
                              lines={"salaries": (Decimal("5"), Decimal("6"))})
    client.force_login(tq_saint_michel)
    response = client.post(edit(report), {"activities": "Ateliers"})
    assert response.status_code == 302
    assert lines(report) == {"salaries": (Decimal("5"), Decimal("6"))}
