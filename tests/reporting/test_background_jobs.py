"""Exports and imports in the background: the streamed CSV, a job's states, who downloads its
file, its progress page, and the bulk import with a number of queries that does not grow with
the rows."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pic.access import SYSTEM
from pic.audit_chain import verify_chain
from pic.models import AuditEvent, User
from pic.notifications.models import Notification
from pic.spreadsheets import streaming_csv_response
from reporting import exports
from reporting.models import ExportJob, ImportJob
from reporting.services import allocations
from reporting.services import jobs as job_services
from tests import factories

from .conftest import make_ratified

# --- The one streaming CSV helper --------------------------------------------------------------


def test_streaming_csv_response_yields_rows_and_neutralises_formulas():
    read = []

    def rows():
        for row in (["=HYPERLINK(\"http://x\")", Decimal("-10"), None],
                    ["Saint-Michel", "-2+3", "@SUM(1)"]):
            read.append(row)
            yield row

    response = streaming_csv_response("pic-été.csv", ["titre", "montant", "note"], rows())
    assert response.streaming
    assert not read  # nothing read before the response is sent
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "pic-%C3%A9t%C3%A9.csv" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        ["titre", "montant", "note"],
        ["'=HYPERLINK(\"http://x\")", "-10", ""],
        ["Saint-Michel", "'-2+3", "'@SUM(1)"],
    ]
    assert len(read) == 2


def test_the_csv_export_page_streams(client, saint_michel, stage, coordination):
    make_ratified(saint_michel, stage, title="=1+1")
    client.force_login(coordination)
    response = client.get(reverse("reporting:export", args=["proposals", "csv"]))
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(
        b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == ["'=1+1"]


def test_an_xlsx_export_no_longer_streams_from_the_request(client, coordination):
    client.force_login(coordination)
    assert client.get(reverse("reporting:export", args=["proposals", "xlsx"])).status_code == 404


# --- Export jobs --------------------------------------------------------------------------------


@pytest.fixture
def allocation(saint_michel, stage):
    return allocations.allocation_create_for_ratification(
        ratification=make_ratified(saint_michel, stage, title="Saint-Michel nourri"),
        actor=SYSTEM)


def test_an_export_job_goes_queued_running_done_and_emails_its_owner(
        advisor_est, allocation, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks() as callbacks:
        job = job_services.export_job_request(kind="allocations", file_format="xlsx",
                                              actor=advisor_est)
    assert job.status == "queued"
    assert callbacks  # the build is scheduled after the commit, through the outbox
    assert AuditEvent.objects.filter(verb="export.requested", object_id=str(job.pk)).exists()
    seen = []
    write = exports.export_write

    def spying_write(*args, **kwargs):
        seen.append(ExportJob.objects.get(pk=job.pk).status)
        return write(*args, **kwargs)

    monkeypatch.setattr(exports, "export_write", spying_write)
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    job.refresh_from_db()
    assert seen == ["running"]
    assert (job.status, job.rows_done, job.rows_total) == ("done", 1, 1)
    assert job.started_at
    assert job.finished_at
    assert job.file.name.startswith("exports/")
    [email] = mail.outbox
    assert email.to == [advisor_est.email]
    assert reverse("reporting:export-job", args=[job.pk]) in email.body
    # the one signal of a finished export: an inbox entry too, linking to the download
    [entry] = Notification.objects.filter(recipient=advisor_est, kind="export.ready")
    assert entry.url == reverse("reporting:export-job", args=[job.pk])


def built(actor, kind="allocations", file_format="xlsx") -> ExportJob:
    job = job_services.export_job_request(kind=kind, file_format=file_format, actor=actor)
    return job_services.export_job_build(job_id=job.pk)


def test_only_the_owner_and_coordination_download_an_export(
        client, advisor_est, tq_saint_michel, coordination, saint_michel, allocation):
    job = built(advisor_est)
    url = reverse("reporting:export-job-download", args=[job.pk])
    other_advisor = factories.make_advisor(saint_michel, email="autre.conseiller@example.org")
    for outsider in (tq_saint_michel, other_advisor):
        client.force_login(outsider)
        for name in ("export-job", "export-job-progress", "export-job-download"):
            assert client.get(reverse(f"reporting:{name}", args=[job.pk])).status_code == 404
    for reader in (advisor_est, coordination):
        client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
            "Saint-Michel"]


def test_the_file_holds_what_the_person_who_asked_may_see(
        tq_verdun, allocation, client):
    job = built(tq_verdun)
    client.force_login(tq_verdun)
    response = client.get(reverse("reporting:export-job-download", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 1  # the header only: no Saint-Michel row for Verdun


def test_an_unfinished_job_has_no_download(client, advisor_est):
    job = job_services.export_job_request(kind="allocations", file_format="xlsx",
                                          actor=advisor_est)
    client.force_login(advisor_est)
    assert client.get(reverse("reporting:export-job-download", args=[job.pk])
                      ).status_code == 404


def test_an_unknown_export_is_refused_with_a_message(client, advisor_est):
    client.force_login(advisor_est)
    response = client.post(reverse("reporting:export-job-create"),
                           {"kind": "proposals", "file_format": "pdf"}, follow=True)
    assert "Export inconnu." in response.content.decode()
    assert not ExportJob.objects.exists()


def test_progress_as_json_and_as_html(client, advisor_est, allocation):
    job = job_services.export_job_request(kind="allocations", file_format="xlsx",
                                          actor=advisor_est)
    client.force_login(advisor_est)
    progress = reverse("reporting:export-job-progress", args=[job.pk])
    queued = client.get(progress, HTTP_ACCEPT="application/json").json()
    assert queued == {"status": "queued", "rows_done": 0, "rows_total": None, "percent": None,
                      "finished": False, "error": "", "download_url": None}
    fragment = client.get(progress).content.decode()
    assert f'hx-get="{progress}"' in fragment  # htmx polls while it is not finished
    assert reverse("reporting:export-job", args=[job.pk]) in fragment  # reload without JS
    page = client.get(reverse("reporting:export-job", args=[job.pk])).content.decode()
    assert f'id="job-progress-{job.pk}"' in page
    job_services.export_job_build(job_id=job.pk)
    done = client.get(progress + "?format=json").json()
    download = reverse("reporting:export-job-download", args=[job.pk])
    assert (done["status"], done["rows_done"], done["rows_total"], done["percent"],
            done["download_url"]) == ("done", 1, 1, 100, download)
    fragment = client.get(progress).content.decode()
    assert "hx-get" not in fragment
    assert download in fragment


def test_a_running_import_reads_its_progress_from_the_cache(coordination):
    job = ImportJob.objects.create(requested_by=coordination, kind="people", file_format="csv",
                                   status="running", rows_total=5000, file="imports/x.csv")
    job_services._progress(job, 1500)
    ImportJob.objects.filter(pk=job.pk).update(rows_done=0)  # as seen outside its transaction
    job.refresh_from_db()
    assert job_services.job_rows_done(job) == 1500


def test_a_failed_export_says_so(client, advisor_est, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "export_write", broken)
    job = built(advisor_est)
    assert (job.status, bool(job.file)) == ("failed", False)
    assert "disk full" in job.error
    client.force_login(advisor_est)
    page = client.get(reverse("reporting:export-job", args=[job.pk])).content.decode()
    assert "n'a pas pu être préparé" in page
    assert "disk full" not in page  # the error is for the logs, not the page
    assert not mail.outbox


class WorkerLost(BaseException):
    """The worker process killed in the middle of the job (no exception the job could catch:
    its row stays as the killed run left it)."""


def test_an_export_whose_worker_was_lost_once_is_built_by_the_retry(advisor_est, allocation,
                                                                    monkeypatch):
    write = exports.export_write
    lost = [WorkerLost()]

    def dying_write(*args, **kwargs):
        if lost:
            raise lost.pop()
        return write(*args, **kwargs)

    monkeypatch.setattr(exports, "export_write", dying_write)
    with pytest.raises(WorkerLost):
        built(advisor_est)
    job = ExportJob.objects.get()
    assert (job.status, job.runs) == ("running", 1)
    job = job_services.export_job_build(job_id=job.pk)  # its message redelivered
    assert (job.status, job.runs, job.rows_done) == ("done", 2, 1)


def test_an_export_whose_worker_keeps_dying_fails_and_can_be_asked_again(
        client, advisor_est, allocation, monkeypatch):
    """Not a progress bar that never ends: past MAX_RUNS lost workers, the job fails and says
    so; the person asks again."""
    write = exports.export_write

    def dying_write(*args, **kwargs):
        raise WorkerLost

    monkeypatch.setattr(exports, "export_write", dying_write)
    job = job_services.export_job_request(kind="allocations", file_format="xlsx",
                                          actor=advisor_est)
    for _run in range(job_services.MAX_RUNS):
        with pytest.raises(WorkerLost):
            job_services.export_job_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "running"
    job = job_services.export_job_build(job_id=job.pk)  # redelivered once more: it gives up
    assert job.status == "failed"
    assert job.finished_at
    client.force_login(advisor_est)
    page = client.get(reverse("reporting:export-job", args=[job.pk])).content.decode()
    assert "n'a pas pu être préparé" in page
    assert client.get(reverse("reporting:export-job-progress", args=[job.pk]),
                      HTTP_ACCEPT="application/json").json()["status"] == "failed"

    monkeypatch.setattr(exports, "export_write", write)
    again = built(advisor_est)
    assert (again.status, again.rows_done) == ("done", 1)


def test_the_exports_page_lists_the_persons_recent_files(client, advisor_est, coordination):
    mine = built(advisor_est, kind="360giving", file_format="json")
    theirs = built(coordination, kind="360giving", file_format="csv")
    client.force_login(advisor_est)
    page = client.get(reverse("reporting:exports")).content.decode()
    assert reverse("reporting:export-job", args=[mine.pk]) in page
    assert reverse("reporting:export-job", args=[theirs.pk]) not in page
    assert reverse("reporting:export-job-create") in page
    assert reverse("reporting:export-job-download", args=[mine.pk]) in page


def test_the_exports_page_shows_a_running_jobs_progress(client, advisor_est):
    job = ExportJob.objects.create(requested_by=advisor_est, kind="allocations",
                                   file_format="xlsx", status="running", rows_total=400,
                                   rows_done=100)
    client.force_login(advisor_est)
    page = client.get(reverse("reporting:exports")).content.decode()
    assert f'hx-get="{reverse("reporting:export-job-progress", args=[job.pk])}"' in page
    assert '<progress max="100" value="25"' in page
    assert "100 lignes sur 400" in page


# --- Imports --------------------------------------------------------------------------------


def people(n: int, start: int = 0) -> bytes:
    lines = ["email,full_name,language"] + [
        f"Personne{i}@Example.org,Personne {i},fr" for i in range(start, start + n)]
    return ("\n".join(lines) + "\n").encode()


def previewed(actor, content: bytes, kind: str = "people") -> ImportJob:
    """A file sent (the request's part), then its dry run (the worker's first part)."""
    job = job_services.import_job_upload(
        kind=kind, upload=SimpleUploadedFile(f"{kind}.csv", content), actor=actor)
    return job_services.import_job_preview(job_id=job.pk)


def import_in_background(actor, content: bytes) -> tuple[ImportJob, int]:
    """Preview, confirm, and the worker's run: (the job, the worker's number of queries)."""
    job = previewed(actor, content)
    assert job.status == "previewed", job.result
    job_services.import_job_confirm(job=job, actor=actor)
    with CaptureQueriesContext(connection) as queries:
        job = job_services.import_job_run(job_id=job.pk)
    return job, len(queries)


def test_an_import_writes_n_rows_in_bulk_with_a_bounded_number_of_queries(coordination):
    small, small_queries = import_in_background(coordination, people(20))
    large, large_queries = import_in_background(coordination, people(300, start=1000))
    assert (large.status, large.rows_done, large.rows_total) == ("done", 300, 300)
    assert large.result["totals"] == {"new": 300}
    assert User.objects.filter(email__startswith="personne").count() == 320
    assert User.objects.get(email="personne1000@example.org").full_name == "Personne 1000"
    assert AuditEvent.objects.filter(verb="import.row_created").count() == 320
    assert verify_chain(AuditEvent).ok  # the batch is chained like events written one by one
    # Not one query a row: the same statements for 300 rows as for 20, but for the INSERTs
    # SQLite splits in batches of ~90 rows (its limit on parameters; PostgreSQL: one per 1,000).
    assert small_queries < 40
    assert large_queries <= small_queries + 10


def test_an_import_updates_existing_people_without_a_query_per_row(coordination):
    import_in_background(coordination, people(30))
    content = people(30).replace(b"Personne 1,", b"Personne Une,")
    job, _queries = import_in_background(coordination, content)
    assert job.result["totals"] == {"update": 1, "skip": 29}
    assert User.objects.get(email="personne1@example.org").full_name == "Personne Une"


def test_the_same_address_twice_in_a_file_is_refused_on_its_second_row(coordination):
    content = b"email,full_name,language\na@example.org,A,fr\nA@example.org,B,fr\n"
    job = previewed(coordination, content)
    assert job.status == "failed"
    [error] = job.result["errors"]
    assert error["number"] == 2
    assert "ligne 1" in error["messages"][0]


def test_a_preview_with_errors_keeps_no_file_and_shows_each_row(client, coordination,
                                                              send_import):
    client.force_login(coordination)
    content = b"email,full_name,language\nok@example.org,Ok,fr\nnope,Non,fr\nz@example.org,Z,de\n"
    _upload, response = send_import("people", content)
    page = response.content.decode()
    assert "Ligne 2" in page
    assert "Ligne 3" in page
    assert "Confirmer" not in page
    job = ImportJob.objects.get()
    assert (job.status, job.result["error_rows"], bool(job.file)) == ("failed", 2, False)
    assert not User.objects.filter(email="ok@example.org").exists()


def test_the_upload_request_only_keeps_the_file_whatever_its_rows(client, coordination):
    """No dry run in the request: the same queries for 2,000 rows as for 20, the job waiting
    for the worker, and its page following it."""
    client.force_login(coordination)
    counts = []
    for rows, start in ((20, 0), (2000, 100)):
        upload = SimpleUploadedFile("people.csv", people(rows, start=start))
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("reporting:import"), {"kind": "people",
                                                                 "file": upload})
        assert response.status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1]
    job = ImportJob.objects.first()
    assert (job.status, job.rows_total) == ("uploaded", None)
    assert not User.objects.filter(email__startswith="personne").exists()
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="{reverse("reporting:import-job-progress", args=[job.pk])}"' in page
    assert "Fichier reçu, vérification en attente" in page


def test_a_running_preview_reads_its_progress_from_the_cache(coordination):
    job = ImportJob.objects.create(requested_by=coordination, kind="people", file_format="csv",
                                   status="checking", rows_total=5000, file="imports/x.csv")
    job_services._progress(job, 2500)
    ImportJob.objects.filter(pk=job.pk).update(rows_done=0)  # the dry run's transaction
    job.refresh_from_db()
    assert job_services.job_rows_done(job) == 2500


def test_a_preview_counts_every_row_and_keeps_the_file_for_the_confirmation(coordination):
    job = previewed(coordination, people(1200))
    assert (job.status, job.rows_done, job.rows_total) == ("previewed", 1200, 1200)
    assert job.result == {"totals": {"new": 1200}}
    assert job.file.storage.exists(job.file.name)
    assert job_services.import_job_preview(job_id=job.pk).status == "previewed"  # a repeat


def test_an_unreadable_file_fails_its_preview_with_the_reason(coordination):
    job = previewed(coordination, b"\xff\xfe\x00garbage")
    assert job.status == "failed"
    assert "Fichier illisible" in job.error


def test_a_preview_is_confirmed_only_by_the_person_who_made_it(client, coordination):
    job = previewed(coordination, people(2))
    other = factories.make_coordination(email="autre.coordination@example.org")
    client.force_login(other)
    response = client.post(reverse("reporting:import"), {"kind": "people", "job": job.pk})
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == "previewed"


def test_a_confirmed_import_whose_rows_became_invalid_writes_nothing(coordination):
    job = job_services.import_job_confirm(job=previewed(coordination, people(2)),
                                          actor=coordination)
    job.file.save("broken.csv", ContentFile(b"email,full_name,language\nnope,Non,fr\n"))
    job = job_services.import_job_run(job_id=job.pk)
    assert job.status == "failed"
    assert job.result["errors"][0]["number"] == 1
    assert not User.objects.filter(email__startswith="personne").exists()


def test_an_import_whose_worker_keeps_dying_fails_with_nothing_written(
        client, coordination, monkeypatch):
    job = job_services.import_job_confirm(job=previewed(coordination, people(2)),
                                          actor=coordination)

    def dying_run(*args, **kwargs):
        raise WorkerLost

    monkeypatch.setattr(exports, "import_run", dying_run)
    for _run in range(job_services.MAX_RUNS):
        with pytest.raises(WorkerLost):
            job_services.import_job_run(job_id=job.pk)
    job = job_services.import_job_run(job_id=job.pk)
    assert job.status == "failed"
    assert not User.objects.filter(email__startswith="personne").exists()
    client.force_login(coordination)
    page = client.get(reverse("reporting:import-job", args=[job.pk])).content.decode()
    assert "interrompu 3 fois" in page
    assert "rien n&#x27;a été enregistré" in page


def test_the_import_page_follows_the_job(client, coordination):
    job = previewed(coordination, people(3))
    job_services.import_job_confirm(job=job, actor=coordination)
    job_services.import_job_run(job_id=job.pk)
    client.force_login(coordination)
    page = client.get(reverse("reporting:import-job", args=[job.pk])).content.decode()
    assert "Import terminé." in page
    assert client.get(reverse("reporting:import-job-progress", args=[job.pk]),
                      HTTP_ACCEPT="application/json").json()["rows_done"] == 3


def test_old_jobs_are_deleted_with_their_files(settings, advisor_est, coordination):
    import datetime

    from django.utils import timezone

    settings.PIC_EXPORT_KEEP_DAYS = 7
    old = built(advisor_est, kind="360giving", file_format="csv")
    recent = built(advisor_est, kind="360giving", file_format="json")
    preview = previewed(coordination, people(1))
    stored = old.file.storage
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8))
    ImportJob.objects.filter(pk=preview.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8))
    assert job_services.jobs_purge() == 2
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not ImportJob.objects.exists()
    assert not stored.exists(old.file.name)
    assert not stored.exists(preview.file.name)
    assert stored.exists(recent.file.name)
