"""Pages: tenancy (404), drafts never lost, submission, documents, versions, program."""

import datetime
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pic.access import SYSTEM
from proposals import services, workflow
from proposals.models import Proposal, ProposalDocument, WindowExtension

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


def years(proposal, *amounts) -> dict:
    """POST data of the yearly amounts' formset: one row per year the stage allows, as the
    page renders it, the first ones with these amounts."""
    count = proposal.stage.max_duration_years
    data = {"years-TOTAL_FORMS": str(count), "years-INITIAL_FORMS": str(count),
            "years-MIN_NUM_FORMS": "0", "years-MAX_NUM_FORMS": str(count)}
    for i in range(count):
        data[f"years-{i}-amount"] = amounts[i] if i < len(amounts) else ""
    return data


def upload(proposal, name="plan.pdf", content=PDF, actor=SYSTEM):
    return services.document_upload(proposal=proposal, actor=actor,
                                    upload=SimpleUploadedFile(name, content))


# --- Tenancy ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["proposal-detail", "proposal-edit", "proposal-submit",
                                  "proposal-withdraw", "proposal-versions",
                                  "proposal-request-changes"])
def test_another_neighbourhoods_proposal_is_a_404(client, tq_saint_michel, verdun_draft, name):
    client.force_login(tq_saint_michel)
    assert client.get(url(name, verdun_draft.pk)).status_code == 404


def test_posting_a_transition_on_another_neighbourhoods_proposal_is_a_404(
        client, tq_saint_michel, verdun_draft):
    client.force_login(tq_saint_michel)
    assert client.post(url("proposal-submit", verdun_draft.pk)).status_code == 404
    assert client.post(url("proposal-withdraw", verdun_draft.pk)).status_code == 404
    verdun_draft.refresh_from_db()
    assert verdun_draft.status == Proposal.Status.DRAFT


def test_another_neighbourhoods_document_is_a_404(client, tq_saint_michel, verdun_draft):
    document = upload(verdun_draft)
    client.force_login(tq_saint_michel)
    assert client.get(url("document-download", document.pk)).status_code == 404
    assert client.post(url("document-delete", document.pk)).status_code == 404
    assert ProposalDocument.objects.filter(pk=document.pk).exists()


def test_missing_and_forbidden_proposals_look_the_same(client, tq_saint_michel, verdun_draft):
    client.force_login(tq_saint_michel)
    assert client.get(url("proposal-detail", verdun_draft.pk)).status_code == \
        client.get(url("proposal-detail", 999999)).status_code == 404


def test_the_list_shows_only_the_neighbourhoods_own(client, tq_saint_michel, draft,
                                                    verdun_draft):
    client.force_login(tq_saint_michel)
    proposals = list(client.get(url("proposal-list")).context["proposals"])
    assert proposals == [draft]


def test_advisor_sees_followed_neighbourhoods_only(client, advisor_est, draft, verdun_draft):
    client.force_login(advisor_est)
    assert list(client.get(url("proposal-list")).context["proposals"]) == [draft]
    assert client.get(url("proposal-detail", verdun_draft.pk)).status_code == 404


def test_staff_see_all_and_filter(client, coordination, draft, verdun_draft, verdun, stages):
    client.force_login(coordination)
    assert len(client.get(url("proposal-list")).context["proposals"]) == 2
    by_n = client.get(url("proposal-list"), {"neighbourhood": verdun.slug})
    assert list(by_n.context["proposals"]) == [verdun_draft]
    assert len(client.get(url("proposal-list"), {"stage": "2"}).context["proposals"]) == 0
    assert len(client.get(url("proposal-list"), {"status": "draft"}).context["proposals"]) == 2
    assert len(client.get(url("proposal-list"), {"window": "abc"}).context["proposals"]) == 2


def test_the_neighbourhood_file_is_scoped(client, tq_saint_michel, saint_michel, verdun, draft):
    client.force_login(tq_saint_michel)
    assert client.get(url("neighbourhood-file", saint_michel.slug)).status_code == 200
    assert client.get(url("neighbourhood-file", verdun.slug)).status_code == 404


# --- Drafts: nothing typed is lost ------------------------------------------------------------


def test_the_draft_saves_even_when_incomplete(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    response = client.post(url("proposal-edit", draft.pk),
                           {"title": "Titre", "summary": "", "vision": "Ma vision",
                            **years(draft, "10")})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.vision == "Ma vision"
    assert draft.years.get(year_number=1).amount == 10


def test_a_malformed_field_rerenders_the_typed_values_and_saves_the_rest(
        client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    response = client.post(url("proposal-edit", draft.pk),
                           {"title": "Titre", "vision": "Texte long à ne pas perdre",
                            **years(draft, "beaucoup", "30000")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Texte long à ne pas perdre" in page
    assert 'value="beaucoup"' in page
    assert 'href="#id_year_1"' in page[page.index('id="error-summary"'):]
    draft.refresh_from_db()
    assert draft.vision == "Texte long à ne pas perdre"
    assert draft.years.get(year_number=2).amount == 30000  # the well-formed year is saved


def test_an_expired_session_sends_to_login_with_next(client, draft):
    response = client.post(url("proposal-edit", draft.pk), {"vision": "x"})
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert url("proposal-edit", draft.pk) in response["Location"].replace("%2F", "/")


def test_submitted_proposal_cannot_be_edited(client, tq_saint_michel, draft):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    client.force_login(tq_saint_michel)
    response = client.post(url("proposal-edit", draft.pk), {"vision": "changée"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.vision == ""


# --- Submission through the pages -------------------------------------------------------------


def test_the_confirmation_page_warns_before_submitting(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    page = client.get(url("proposal-submit", draft.pk)).content.decode()
    assert "Attention" in page
    assert "Oui, déposer la proposition" in page  # one primary button, no JavaScript needed
    assert url("proposal-detail", draft.pk) in page  # « Annuler » goes back
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_a_refused_submission_lists_the_rules_next_to_the_fields(client, tq_saint_michel,
                                                                 draft):
    services.proposal_save_draft(proposal=draft, actor=SYSTEM, data={"years": {1: 60000}})
    client.force_login(tq_saint_michel)
    response = client.post(url("proposal-submit", draft.pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "doit être entre" in page
    assert "rule-error" in page
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_submitting_through_the_page_sends_the_receipt(client, tq_saint_michel, advisor_est,
                                                       draft, django_capture_on_commit_callbacks):
    client.force_login(tq_saint_michel)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("proposal-submit", draft.pk), follow=True)
    assert "Proposition déposée" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.SUBMITTED
    assert {r for m in mail.outbox for r in m.to} == {tq_saint_michel.email, advisor_est.email}


def test_withdrawal_through_the_confirmation_page(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    page = client.get(url("proposal-withdraw", draft.pk)).content.decode()
    assert "définitif" in page
    client.post(url("proposal-withdraw", draft.pk))
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.WITHDRAWN


def test_the_advisor_starts_the_analysis_and_requests_changes(client, advisor_est, draft,
                                                              tq_saint_michel):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    client.force_login(advisor_est)
    client.post(url("proposal-start-analysis", draft.pk))
    client.post(url("proposal-request-changes", draft.pk), {"message": "Précisez l'ÉDI."})
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.CHANGES_REQUESTED
    assert draft.changes_requested_note == "Précisez l'ÉDI."


def test_a_member_posting_an_advisor_transition_is_refused(client, tq_saint_michel, draft):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    client.force_login(tq_saint_michel)
    assert client.post(url("proposal-start-analysis", draft.pk)).status_code == 403


# --- Documents --------------------------------------------------------------------------------


def test_upload_download_and_delete_a_document(client, tq_saint_michel, draft, settings):
    client.force_login(tq_saint_michel)
    response = client.post(url("proposal-edit", draft.pk),
                           {"title": draft.title, "file": SimpleUploadedFile("plan.pdf", PDF)})
    assert response.status_code == 302
    document = draft.documents.get()
    assert document.original_name == "plan.pdf"
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path
    download = client.get(url("document-download", document.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    client.post(url("document-delete", document.pk))
    assert not draft.documents.exists()


def test_a_document_lands_in_the_private_storage_with_no_url(client, tq_saint_michel, draft,
                                                             settings):
    document = upload(draft, actor=tq_saint_michel)
    assert Path(document.file.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    with pytest.raises(ValueError, match="no URL"):
        document.file.url  # noqa: B018
    client.force_login(tq_saint_michel)
    assert client.get(url("proposal-detail", draft.pk)).status_code == 200


def test_another_private_storage_backend_is_a_change_of_settings_only(client, settings, draft,
                                                                      tq_saint_michel):
    settings.STORAGES = {**settings.STORAGES,
                         "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    document = upload(draft, actor=tq_saint_michel)
    assert isinstance(document.file.storage, InMemoryStorage)
    assert not list(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf"))
    client.force_login(tq_saint_michel)
    download = client.get(url("document-download", document.pk))
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(("name", "content"), [
    ("rapport.pdf", PDF), ("photo.png", PNG), ("logo.jpeg", b"\xff\xd8\xff\xe0" + b"\0" * 32),
])
def test_accepted_documents(draft, tq_saint_michel, name, content):
    assert upload(draft, name, content, tq_saint_michel).original_name == name


def test_a_renamed_executable_is_refused_by_its_content(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    response = client.post(url("proposal-edit", draft.pk),
                           {"title": draft.title, "vision": "gardé",
                            "file": SimpleUploadedFile("report.pdf", EXE)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "report.pdf" in page
    assert "exécutable" in page
    assert not draft.documents.exists()
    draft.refresh_from_db()
    assert draft.vision == "gardé"


def test_a_file_whose_name_lies_about_its_kind_is_refused(draft, tq_saint_michel):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="ne correspond pas"):
        upload(draft, "photo.pdf", PNG, tq_saint_michel)


def test_unknown_content_is_refused(draft, tq_saint_michel):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="n'est pas un type de document accepté"):
        upload(draft, "notes.pdf", b"just some text", tq_saint_michel)


def test_a_file_over_10_mb_is_refused(draft, tq_saint_michel):
    from django.core.exceptions import ValidationError

    big = PDF + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="10 Mo"):
        upload(draft, "gros.pdf", big, tq_saint_michel)
    assert upload(draft, "juste.pdf", PDF + b"\0" * (10 * 1024 * 1024 - len(PDF)),
                  tq_saint_michel).size == 10 * 1024 * 1024


def test_documents_cannot_change_after_submission(draft, tq_saint_michel):
    from django.core.exceptions import ValidationError

    document = upload(draft, actor=tq_saint_michel)
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    with pytest.raises(ValidationError):
        upload(draft, actor=tq_saint_michel)
    with pytest.raises(ValidationError):
        services.document_delete(document=document, actor=tq_saint_michel)


# --- Versions ---------------------------------------------------------------------------------


def test_versions_compare_side_by_side(client, tq_saint_michel, advisor_est, draft):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    workflow.proposal_start_analysis(proposal=draft, actor=advisor_est)
    workflow.proposal_request_changes(proposal=draft, actor=advisor_est, message="Budget")
    services.proposal_save_draft(proposal=draft, actor=tq_saint_michel,
                                 data={"years": {1: 30000}, "summary": "Nouveau résumé"})
    workflow.proposal_resubmit(proposal=draft, actor=tq_saint_michel)
    client.force_login(advisor_est)
    response = client.get(url("proposal-versions", draft.pk), {"a": 1, "b": 2})
    rows = {r["label"]: r for r in response.context["rows"]}
    assert rows["Montant demandé, année 1"]["old"] == "25000.00"
    assert rows["Montant demandé, année 1"]["new"] == "30000.00"
    assert rows["Montant demandé, année 1"]["changed"]
    changed = [r["label"] for r in response.context["rows"] if r["changed"]]
    assert len(changed) == 2
    assert "Nouveau résumé" in response.content.decode()


# --- The program (coordination staff) ---------------------------------------------------------


def test_program_pages_are_for_coordination_staff(client, tq_saint_michel, advisor_est,
                                                  program):
    for user in (tq_saint_michel, advisor_est):
        client.force_login(user)
        assert client.get(url("program")).status_code == 403
        assert client.get(url("stage-update", program.stage_by_number[1].pk)).status_code == 403


def test_staff_edit_a_stages_amounts_in_the_app(client, coordination, program):
    stage = program.stage_by_number[1]
    client.force_login(coordination)
    assert client.get(url("program")).status_code == 200
    response = client.post(url("stage-update", stage.pk), {
        "number": 1, "name": "Planification", "description": "", "normal_duration_years": 1,
        "max_duration_years": 2, "min_yearly_amount": "30000", "max_yearly_amount": "55000",
        "capacity_building_amount": "12000"})
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.max_yearly_amount == 55000


def test_staff_add_a_window_and_a_prerequisite(client, coordination, program):
    client.force_login(coordination)
    stage = program.stage_by_number[2]
    client.post(url("window-create", program.pk), {
        "name": "1er février 2026", "deadline": "2026-02-01", "stages": [stage.pk]})
    assert program.windows.filter(name="1er février 2026", stages=stage).exists()
    client.post(url("prerequisite-create", stage.pk), {"position": 9, "label": "Nouveau"})
    assert stage.prerequisites.filter(label="Nouveau").exists()


def test_staff_grant_an_extension(client, coordination, program, saint_michel):
    window = program.windows.get(deadline=datetime.date(2022, 2, 1))
    client.force_login(coordination)
    response = client.post(url("window-extension-create", window.pk), {
        "neighbourhood": saint_michel.pk, "new_deadline": "2022-02-08",
        "reason": "Décès à la coordination"})
    assert response.status_code == 302
    extension = WindowExtension.objects.get()
    assert (extension.new_deadline, extension.granted_by) == (datetime.date(2022, 2, 8),
                                                             coordination)


def test_an_extension_must_move_the_deadline_later(coordination, program, saint_michel):
    from django.core.exceptions import ValidationError

    window = program.windows.get(deadline=datetime.date(2022, 2, 1))
    with pytest.raises(ValidationError):
        services.window_extension_grant(window=window, neighbourhood=saint_michel,
                                        new_deadline=datetime.date(2022, 2, 1), reason="x",
                                        actor=coordination)


def test_only_coordination_grants_extensions(tq_saint_michel, program, saint_michel):
    from django.core.exceptions import PermissionDenied

    window = program.windows.first()
    with pytest.raises(PermissionDenied):
        services.window_extension_grant(window=window, neighbourhood=saint_michel,
                                        new_deadline=window.deadline + datetime.timedelta(1),
                                        reason="x", actor=tq_saint_michel)


# --- Letters of intent, contacts, initiatives -------------------------------------------------


def test_a_letter_of_intent_and_its_acknowledgement(client, tq_saint_michel, advisor_est,
                                                    saint_michel, program):
    program.letter_of_intent_deadline = None
    program.save()
    client.force_login(tq_saint_michel)
    client.post(url("letter-create"), {"neighbourhood": saint_michel.pk,
                                       "desired_change": "Sécurité alimentaire",
                                       "target_stage": program.stage_by_number[1].pk})
    letter = saint_michel.letters_of_intent.get()
    assert client.post(url("letter-acknowledge", letter.pk)).status_code == 403
    client.force_login(advisor_est)
    client.post(url("letter-acknowledge", letter.pk))
    letter.refresh_from_db()
    assert letter.acknowledged_by == advisor_est


def test_the_advisor_records_the_pre_submission_contact(client, advisor_est, saint_michel,
                                                        program):
    client.force_login(advisor_est)
    response = client.post(url("contact-create", saint_michel.slug), {
        "date": "2025-01-10", "kind": "pre_submission", "summary": "Échange sur l'étape 1"})
    assert response.status_code == 302
    contact = saint_michel.contacts.get()
    assert contact.advisor == advisor_est


def test_a_member_creates_an_initiative_and_a_draft(client, tq_saint_michel, saint_michel,
                                                    program):
    client.force_login(tq_saint_michel)
    client.post(url("initiative-create"), {"neighbourhood": saint_michel.pk,
                                           "title": "Logement", "desired_change": "Se loger"})
    initiative = saint_michel.initiatives.get()
    response = client.post(url("proposal-create"), {
        "initiative": initiative.pk, "stage": program.stage_by_number[1].pk,
        "title": "Logement — étape 1"})
    proposal = Proposal.objects.get()
    assert response["Location"] == url("proposal-edit", proposal.pk)
    assert proposal.duration_years == 1


def test_a_member_cannot_draft_for_another_neighbourhoods_initiative(client, tq_saint_michel,
                                                                     verdun_draft, program):
    client.force_login(tq_saint_michel)
    response = client.post(url("proposal-create"), {
        "initiative": verdun_draft.initiative_id, "stage": program.stage_by_number[1].pk,
        "title": "x"})
    assert response.status_code == 200  # the choice is not offered
    assert Proposal.objects.count() == 1


def test_home_pages_show_the_files(client, tq_saint_michel, advisor_est, coordination, draft):
    client.force_login(tq_saint_michel)
    page = client.get(reverse("home")).content.decode()
    assert draft.title in page
    assert "Prochaines étapes" in page
    client.force_login(coordination)
    counts = client.get(reverse("home")).context["status_counts"]
    assert {row["status"]: row["count"] for row in counts}["draft"] == 1


def test_a_letter_of_intent_after_the_deadline_is_refused(client, tq_saint_michel, saint_michel,
                                                          program):
    client.force_login(tq_saint_michel)
    response = client.post(url("letter-create"), {
        "neighbourhood": saint_michel.pk, "desired_change": "Logement",
        "target_stage": program.stage_by_number[1].pk})
    assert response.status_code == 200
    assert "15 octobre 2021" in response.content.decode()
    assert not saint_michel.letters_of_intent.exists()


def test_a_year_s_rule_error_sits_beside_its_row_and_links_to_it(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    client.post(url("proposal-edit", draft.pk), {"title": "Titre", **years(draft, "10")})
    tasks = client.get(url("proposal-edit", draft.pk) + "?verifier=1").content.decode()
    budget = reverse("proposals:proposal-edit-section", args=[draft.pk, "budget"])
    assert f'href="{budget}?verifier=1#id_year_1"' in tasks  # the field, on its own page
    page = client.get(budget + "?verifier=1").content.decode()
    assert 'href="#id_year_1"' in page
    row = page[page.index('id="id_year_1"'):]
    row = row[:row.index("</div>\n", row.index("</div>") + 1)]
    assert "doit être entre" in row
    assert 'name="years-0-amount"' in page


def test_no_more_yearly_rows_than_the_stage_allows(client, tq_saint_michel, draft):
    client.force_login(tq_saint_michel)
    data = {"title": "Titre", **years(draft, "30000")}
    data["years-TOTAL_FORMS"] = "50"
    data["years-49-amount"] = "30000"
    response = client.post(url("proposal-edit", draft.pk), data)
    assert response.status_code == 400
    assert not draft.years.filter(year_number__gt=draft.stage.max_duration_years).exists()
