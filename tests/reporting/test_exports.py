import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from neighbourhoods.models import Neighbourhood, Organisation
from pic.access import SYSTEM
from pic.models import User
from reporting import exports
from reporting.models import ExportJob, ImportJob
from reporting.services import allocations, reports

from .conftest import make_ratified


@pytest.fixture
def two_allocations(saint_michel, verdun, stage, coordination, tq_saint_michel):
    mine = allocations.allocation_create_for_ratification(
        ratification=make_ratified(saint_michel, stage, title="Saint-Michel nourri"), actor=SYSTEM)
    theirs = allocations.allocation_create_for_ratification(
        ratification=make_ratified(verdun, stage, title="Verdun bouge"), actor=SYSTEM)
    for allocation in (mine, theirs):
        allocations.disbursement_record(allocation_year=allocation.years.first(),
                                        amount=Decimal("1000"),
                                        paid_on=allocation.starts_on, actor=coordination)
    report = mine.years.first().report
    reports.report_save_draft(report=report, actor=tq_saint_michel, texts={}, lines={
        "salaries": (Decimal("100"), Decimal("80")), "other": (Decimal("50"), Decimal("60"))})
    return mine, theirs


def read_csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("kind", ["proposals", "allocations", "disbursements",
                                  "financial-summaries"])
def test_an_advisors_export_holds_only_their_neighbourhoods_rows(two_allocations, advisor_est,
                                                                   kind):
    rows = read_csv(exports.export_data(kind=kind, user=advisor_est, file_format="csv"))
    assert rows
    assert {row["quartier"] for row in rows} == {"Saint-Michel"}


def test_staff_export_everything(two_allocations, coordination):
    rows = read_csv(exports.export_data(kind="allocations", user=coordination, file_format="csv"))
    assert {row["quartier"] for row in rows} == {"Saint-Michel", "Verdun"}
    assert {Decimal(row["montant annuel total"]) for row in rows} == {Decimal("320000")}


def test_financial_summary_export_computes_totals(two_allocations, coordination):
    rows = read_csv(exports.export_data(kind="financial-summaries", user=coordination,
                                        file_format="csv"))
    [year1] = [r for r in rows if Decimal(r["budget total"])]
    assert [Decimal(year1[k]) for k in ("budget total", "réel total", "écart (réel − budget)")
            ] == [Decimal("150"), Decimal("140"), Decimal("-10")]


def test_xlsx_export_over_http(client, two_allocations, advisor_est,
                               django_capture_on_commit_callbacks):
    client.force_login(advisor_est)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:export-job-create"),
                               {"kind": "allocations", "file_format": "xlsx"})
    job = ExportJob.objects.get(requested_by=advisor_est)
    assert response["Location"] == reverse("reporting:export-job", args=[job.pk])
    download = client.get(reverse("reporting:export-job-download", args=[job.pk]))
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    header = list(values[0])
    neighbourhoods = {row[header.index("quartier")] for row in values[1:]}
    assert neighbourhoods == {"Saint-Michel"}


def test_member_export_is_their_own_neighbourhood(client, two_allocations, tq_verdun):
    client.force_login(tq_verdun)
    response = client.get(reverse("reporting:export", args=["disbursements", "csv"]))
    content = b"".join(response.streaming_content)
    assert {row["quartier"] for row in read_csv(content)} == {"Verdun"}


# --- 360Giving ------------------------------------------------------------------------------


def test_360giving_csv_has_the_required_fields(two_allocations, advisor_est):
    rows = read_csv(exports.export_data(kind="360giving", file_format="csv", user=advisor_est))
    [row] = rows
    for field in ("Identifier", "Title", "Description", "Currency", "Amount Awarded",
                  "Award Date", "Recipient Org:Identifier", "Recipient Org:Name",
                  "Funding Org:Identifier", "Funding Org:Name"):
        assert row[field], field
    assert row["Currency"] == "CAD"
    assert Decimal(row["Amount Awarded"]) == Decimal("332000")  # years + capacity building
    assert row["Award Date"] == "2024-03-14"
    assert row["Title"] == "Saint-Michel nourri"


def test_360giving_json(two_allocations, coordination):
    grants = json.loads(exports.export_data(kind="360giving", file_format="json",
                                            user=coordination))["grants"]
    assert len(grants) == 2
    grant = grants[0]
    assert set(grant) >= {"id", "title", "description", "currency", "amountAwarded",
                          "awardDate", "recipientOrganization", "fundingOrganization"}
    assert grant["recipientOrganization"][0]["name"].startswith("Table de quartier")


# --- Imports --------------------------------------------------------------------------------

PEOPLE_OK = ("email,full_name,language\n"
             "A.Nouvelle@example.org,Anne Nouvelle,fr\nben@example.org,Ben,en\n")
PEOPLE_BAD = ("email,full_name,language\n"
              "ok@example.org,Ok,fr\npas-un-courriel,Mauvais,fr\nz@example.org,Z,de\n")


def dataset(text: str) -> tablib.Dataset:
    return exports.load_dataset(text.encode(), "csv")


def test_an_import_with_a_bad_row_reports_that_row_and_writes_nothing(coordination):
    before = User.objects.count()
    result = exports.import_run(kind="people", dataset=dataset(PEOPLE_BAD), actor=coordination,
                                dry_run=False)
    assert result.has_validation_errors()
    assert sorted(row.number for row in result.invalid_rows) == [2, 3]
    assert User.objects.count() == before
    assert not User.objects.filter(email="ok@example.org").exists()


def test_a_dry_run_previews_and_writes_nothing(coordination):
    result = exports.import_run(kind="people", dataset=dataset(PEOPLE_OK), actor=coordination,
                                dry_run=True)
    assert result.totals["new"] == 2
    assert not User.objects.filter(email="a.nouvelle@example.org").exists()


def test_a_clean_import_writes_people_without_passwords(coordination):
    exports.import_run(kind="people", dataset=dataset(PEOPLE_OK), actor=coordination,
                       dry_run=False)
    anne = User.objects.get(email="a.nouvelle@example.org")
    assert not anne.has_usable_password()
    assert anne.language == "fr"
    assert not anne.is_staff


def test_imports_are_staff_only(advisor_est):
    with pytest.raises(PermissionDenied):
        exports.import_run(kind="people", dataset=dataset(PEOPLE_OK), actor=advisor_est,
                           dry_run=True)


def test_import_organisations_and_neighbourhoods(coordination):
    exports.import_run(kind="organisations", dataset=dataset(
        "name,short_name,category,website\n"
        "Dynamo,Dynamo,external,\n"), actor=coordination, dry_run=False)
    assert Organisation.objects.get(name="Dynamo").category == "external"
    result = exports.import_run(kind="organisations", dataset=dataset(
        "name,short_name,category\nX,X,nonsense\n"), actor=coordination, dry_run=False)
    assert result.has_validation_errors()
    assert not Organisation.objects.filter(name="X").exists()
    exports.import_run(kind="neighbourhoods", dataset=dataset(
        "slug,name,table_name,borough,language\nlachine,Lachine,Concertation Lachine,Lachine,fr\n"
    ), actor=coordination, dry_run=False)
    assert Neighbourhood.objects.get(slug="lachine").table_name == "Concertation Lachine"


def test_import_page_preview_then_confirm(client, coordination, send_import,
                                          django_capture_on_commit_callbacks):
    client.force_login(coordination)
    upload, page = send_import("people", PEOPLE_OK.encode(), "people.csv")
    job = ImportJob.objects.get()
    assert upload["Location"] == reverse("reporting:import-job", args=[job.pk])
    assert not User.objects.filter(email="ben@example.org").exists()
    assert (job.status, job.rows_done, job.rows_total) == (ImportJob.Status.PREVIEWED, 2, 2)
    text = page.content.decode()
    assert "Aperçu (rien n'est encore enregistré)" in text
    assert "new : 2" in text
    assert f'name="job" value="{job.pk}"' in text
    assert "/progression/" not in text  # a preview waits for the person: nothing to follow
    assert "payload" not in text  # the file is not sent back
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("reporting:import"), {"kind": "people", "job": job.pk})
    assert done["Location"] == reverse("reporting:import-job", args=[job.pk])
    assert User.objects.filter(email="ben@example.org").exists()
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 2, 2)


def test_import_page_shows_row_errors(client, coordination, send_import):
    client.force_login(coordination)
    _upload, page = send_import("people", PEOPLE_BAD.encode(), "people.csv")
    text = page.content.decode()
    assert "Ligne 2" in text
    assert "Ligne 3" in text
    assert "Confirmer" not in text
    assert ImportJob.objects.get().status == "failed"


def test_import_page_is_staff_only(client, advisor_est):
    client.force_login(advisor_est)
    assert client.get(reverse("reporting:import")).status_code == 403


def test_xlsx_import_with_a_bad_row_writes_nothing(client, coordination, send_import):
    book = tablib.Dataset(headers=["email", "full_name", "language"])
    book.append(["xl@example.org", "Excel", "fr"])
    book.append(["pas-un-courriel", "Mauvais", "fr"])
    content = book.export("xlsx")
    result = exports.import_run(kind="people", dataset=exports.load_dataset(content, "xlsx"),
                                actor=coordination, dry_run=False)
    assert [row.number for row in result.invalid_rows] == [2]
    assert not User.objects.filter(email="xl@example.org").exists()
    client.force_login(coordination)
    _upload, page = send_import("people", content, "people.xlsx")
    assert "Ligne 2" in page.content.decode()
    assert not User.objects.filter(email="xl@example.org").exists()
