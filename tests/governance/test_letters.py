"""Ratification, the eight-week limit, and decision letters (PDF, email, idempotence)."""

import datetime
import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from governance import selectors, services, tasks
from governance.models import Committee, DecisionLetter, ProgramGovernance, Ratification
from proposals.models import Proposal
from tests import factories
from tests.governance.conftest import make_proposal

pytestmark = pytest.mark.django_db


def _pdf_text(letter) -> str:
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.fixture
def recommended(proposal, advisor_est, tq_saint_michel):
    services.analysis_save(
        proposal=proposal, actor=advisor_est, needs_and_context="",
        conditions="Bilan à mi-parcours",
        capacity_building_amount=Decimal("12000"), prerequisites={},
        yearly_amounts={1: Decimal("80000"), 2: Decimal("95000"), 3: Decimal("100000")})
    factories.committee_decide(proposal)
    return proposal


def _ratify(proposal, coordination, capture):
    with capture(execute=True):
        return services.ratification_record(proposal=proposal, actor=coordination,
                                            ratified_on=timezone.localdate())


def _send(letter, coordination, capture):
    with capture(execute=True):
        return services.letter_send(letter=letter, actor=coordination)


def test_ratification_queues_the_letter_and_coordination_sends_it(
        recommended, coordination, partenaires, tq_saint_michel, mailoutbox,
        django_capture_on_commit_callbacks):
    ratification = _ratify(recommended, coordination, django_capture_on_commit_callbacks)
    assert ratification.committee == partenaires
    letter = DecisionLetter.objects.get()
    assert letter.kind == DecisionLetter.Kind.ALLOCATION
    assert letter.version == 1
    with letter.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == letter.sha256
    # « À envoyer »: nothing leaves, the table does not see it yet.
    assert letter.sent_at is None
    assert mailoutbox == []
    assert not DecisionLetter.objects.visible_to(tq_saint_michel).exists()
    recommended.refresh_from_db()
    assert recommended.status == Proposal.Status.RATIFIED
    with pytest.raises(PermissionDenied):
        services.letter_send(letter=letter, actor=tq_saint_michel)

    _send(letter, coordination, django_capture_on_commit_callbacks)
    recommended.refresh_from_db()
    assert recommended.status == Proposal.Status.LETTER_SENT
    assert DecisionLetter.objects.visible_to(tq_saint_michel).get() == letter
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["tq.saint-michel@example.org"]
    assert message.cc == ["conseillere.est@example.org"]
    assert message.attachments[0][2] == "application/pdf"


def test_letter_pdf_holds_neighbourhood_stage_and_amounts(
        recommended, coordination, partenaires, django_capture_on_commit_callbacks):
    _ratify(recommended, coordination, django_capture_on_commit_callbacks)
    text = _pdf_text(DecisionLetter.objects.get())
    assert "Saint-Michel" in text
    assert "Déploiement" in text
    for amount in ("80 000", "95 000", "100 000", "12 000", "275 000"):
        assert amount in text.replace("\u202f", " ").replace("\xa0", " ")
    assert "Bilan à mi-parcours" in text


def test_letter_in_the_neighbourhoods_language(
        recommended, coordination, partenaires, django_capture_on_commit_callbacks):
    recommended.neighbourhood.language = "en"
    recommended.neighbourhood.save()
    _ratify(recommended, coordination, django_capture_on_commit_callbacks)
    assert DecisionLetter.objects.get().language == "en"


def test_running_the_letter_task_twice_leaves_one_letter_and_one_email(
        recommended, coordination, partenaires, mailoutbox, django_capture_on_commit_callbacks):
    _ratify(recommended, coordination, django_capture_on_commit_callbacks)
    tasks.send_decision_letter.delay(recommended.pk, DecisionLetter.Kind.ALLOCATION)
    tasks.send_decision_letter(recommended.pk, DecisionLetter.Kind.ALLOCATION)
    assert DecisionLetter.objects.count() == 1
    assert mailoutbox == []
    letter = DecisionLetter.objects.get()
    _send(letter, coordination, django_capture_on_commit_callbacks)
    _send(letter, coordination, django_capture_on_commit_callbacks)
    tasks.email_decision_letter(letter.pk)
    assert len(mailoutbox) == 1


def test_regenerate_keeps_the_old_version(
        recommended, coordination, partenaires, mailoutbox, django_capture_on_commit_callbacks):
    _ratify(recommended, coordination, django_capture_on_commit_callbacks)
    first = DecisionLetter.objects.get()
    new = services.letter_issue(proposal=recommended, kind=DecisionLetter.Kind.ALLOCATION,
                                actor=coordination, regenerate=True)
    assert new.version == 2
    assert set(DecisionLetter.objects.values_list("version", flat=True)) == {1, 2}
    assert first.file.storage.exists(first.file.name)
    with pytest.raises(PermissionDenied):
        services.letter_issue(proposal=recommended, kind=DecisionLetter.Kind.ALLOCATION,
                              actor=factories.UserFactory(), regenerate=True)


def test_no_letter_before_ratification(recommended):
    assert tasks.send_decision_letter(recommended.pk, DecisionLetter.Kind.ALLOCATION) is None
    assert not DecisionLetter.objects.exists()


def test_refusal_letter_holds_the_reasons(proposal, coordination, item, chair, member, member2,
                                          mailoutbox, django_capture_on_commit_callbacks):
    from governance.models import Vote

    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.AGAINST)
    services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.AGAINST)
    services.item_close(item=item, actor=chair.user, reasons="Le plan de quartier manque.")
    assert proposal in selectors.ratification_watchlist(user=coordination)  # to write
    with django_capture_on_commit_callbacks(execute=True):
        services.refusal_letter_request(proposal=proposal, actor=coordination)
    letter = DecisionLetter.objects.get()
    assert letter.kind == DecisionLetter.Kind.REFUSAL
    assert "Le plan de quartier manque." in _pdf_text(letter)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NOT_RECOMMENDED
    # nothing left to do on it: off the ratification page, behind its "closed" filter
    assert proposal.refusal_letter_written
    assert proposal not in selectors.ratification_watchlist(user=coordination)
    assert proposal in selectors.ratification_watchlist(user=coordination, closed=True)


def test_ratification_by_the_configured_body(recommended, coordination, gestion, program,
                                             django_capture_on_commit_callbacks):
    ProgramGovernance.objects.create(program=program, ratifying_committee=gestion)
    assert _ratify(recommended, coordination, django_capture_on_commit_callbacks).committee == \
        gestion


def test_only_coordination_ratifies(recommended, advisor_est):
    with pytest.raises(PermissionDenied):
        services.ratification_record(proposal=recommended, actor=advisor_est,
                                     ratified_on=timezone.localdate())


def test_ratification_date_not_in_the_future(recommended, coordination):
    with pytest.raises(ValidationError):
        services.ratification_record(
            proposal=recommended, actor=coordination,
            ratified_on=timezone.localdate() + datetime.timedelta(days=1))
    assert not Ratification.objects.exists()


def test_watchlist_flags_files_at_risk_and_late(coordination, saint_michel, verdun, stage,
                                                 tq_saint_michel):
    today = timezone.localdate()
    late = make_proposal(saint_michel, stage, deadline=today - datetime.timedelta(weeks=9))
    at_risk = make_proposal(verdun, stage, deadline=today - datetime.timedelta(weeks=7))
    fine = make_proposal(verdun, stage, deadline=today - datetime.timedelta(weeks=1))
    rows = {r.proposal: r for r in selectors.ratification_rows(
        selectors.ratification_watchlist(user=coordination))}
    assert rows[late].late
    assert rows[late].days_left == -7
    assert rows[at_risk].at_risk
    assert rows[at_risk].days_left == 7
    assert not rows[fine].late
    assert not rows[fine].at_risk
    assert not selectors.ratification_watchlist(user=tq_saint_michel).exists()


def test_watchlist_page_and_ratify_view(client, coordination, recommended, partenaires,
                                        django_capture_on_commit_callbacks):
    client.force_login(coordination)
    assert client.get(reverse("governance:ratification-list")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("governance:ratification-record", args=[recommended.pk]),
                    {"ratified_on": timezone.localdate().isoformat()})
    recommended.refresh_from_db()
    assert recommended.status == Proposal.Status.RATIFIED  # the letter waits « à envoyer »
    assert DecisionLetter.objects.get(proposal=recommended).sent_at is None


def test_letter_download_is_scoped(client, recommended, coordination, partenaires,
                                   tq_saint_michel, tq_verdun,
                                   django_capture_on_commit_callbacks):
    _ratify(recommended, coordination, django_capture_on_commit_callbacks)
    letter = DecisionLetter.objects.get()
    url = reverse("governance:letter-download", args=[letter.pk])
    client.force_login(tq_saint_michel)
    assert client.get(url).status_code == 404  # not sent yet
    _send(letter, coordination, django_capture_on_commit_callbacks)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert letter.proposal.title in client.get(reverse("governance:letter-list")).content.decode()
    client.force_login(tq_verdun)
    assert client.get(url).status_code == 404
    assert letter.proposal.title not in client.get(
        reverse("governance:letter-list")).content.decode()
    client.force_login(coordination)
    assert client.get(url).status_code == 200


def test_minutes_pdf_lists_recusals_and_results(item, chair, member, member2, coordination,
                                                client):
    from governance.models import Vote

    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.recusal_declare(item=item, actor=member2.user, details="Employée de la table")
    services.attendance_set(meeting=item.meeting, present=[chair, member], actor=chair.user)
    services.item_close(item=item, actor=chair.user)
    minutes = services.minutes_generate(meeting=item.meeting, actor=coordination)
    text = _pdf_text(minutes)
    assert "Employée de la table" in text
    assert "se retire des décisions" in text
    assert "Recommandée" in text
    client.force_login(member.user)
    assert client.get(reverse("governance:minutes-download",
                              args=[minutes.pk])).status_code == 200


def test_letters_and_minutes_land_in_the_private_storage_with_no_url(
        recommended, coordination, settings, django_capture_on_commit_callbacks):
    from pathlib import Path

    from governance.models import AgendaItem

    _ratify(recommended, coordination, django_capture_on_commit_callbacks)
    letter = DecisionLetter.objects.get()
    meeting = AgendaItem.objects.get(proposal=recommended).meeting
    minutes = services.minutes_generate(meeting=meeting, actor=coordination)
    for stored in (letter.file, minutes.file):
        assert Path(stored.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
        with pytest.raises(ValueError, match="no URL"):
            stored.url  # noqa: B018


def test_failed_minutes_leave_no_file_behind(item, coordination, settings, monkeypatch):
    from pathlib import Path

    from governance.services import letters as governance_services

    def broken_audit(*args, **kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(governance_services, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        services.minutes_generate(meeting=item.meeting, actor=coordination)
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not [p for p in root.rglob("*minutes*") if p.is_file()]


def test_committee_defaults_to_partners(program, db):
    assert services.ratifying_committee(program).kind == Committee.Kind.PARTENAIRES


def test_the_letter_email_leaves_after_the_letter_commits_and_once(
        recommended, coordination, mailoutbox, django_capture_on_commit_callbacks):
    from pic.models import OutboxMessage

    Proposal.objects.filter(pk=recommended.pk).update(status=Proposal.Status.RATIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_decision_letter(recommended.pk, DecisionLetter.Kind.ALLOCATION)
    letter = DecisionLetter.objects.get()
    assert not OutboxMessage.objects.filter(key=f"letter-email:{letter.pk}").exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.letter_send(letter=letter, actor=coordination)
    assert mailoutbox == []  # nothing is sent inside the sending's transaction
    assert OutboxMessage.objects.get(key=f"letter-email:{letter.pk}").task == \
        "governance.tasks.email_decision_letter"

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
        tasks.send_decision_letter(recommended.pk, DecisionLetter.Kind.ALLOCATION)  # retries
        tasks.email_decision_letter(letter.pk)
    assert len(mailoutbox) == 1
    recommended.refresh_from_db()
    assert recommended.status == Proposal.Status.LETTER_SENT
