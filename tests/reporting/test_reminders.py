import datetime

import pytest
from django.core import mail
from django.urls import reverse

from pic.access import SYSTEM
from pic.models import User
from proposals.models import LetterOfIntent, Window
from reporting.models import ReminderSent
from reporting.services import reminders
from reporting.tasks import send_daily_reminders

D = datetime.date
TODAY = D(2025, 5, 23)  # year 1's report (due 2025-05-30) is 7 days away


@pytest.fixture
def closing_window(stage, saint_michel, tq_saint_michel):
    """A window closing in 7 days, and Saint-Michel holding a draft for a stage it accepts."""
    from proposals.models import Initiative, Proposal

    window = Window.objects.create(program=stage.program, name="Dépôt du printemps",
                                   deadline=TODAY + datetime.timedelta(days=7))
    window.stages.add(stage)
    initiative = Initiative.objects.create(neighbourhood=saint_michel, program=stage.program,
                                           title="Nouvelle", desired_change="Changement")
    Proposal.objects.create(neighbourhood=saint_michel, initiative=initiative, stage=stage,
                            title="Brouillon")
    return window


def run(capture, today=TODAY):
    with capture(execute=True):
        return reminders.reminders_run(today=today)


def emails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_a_digest_with_several_due_items_is_one_email(
        allocation, closing_window, tq_saint_michel, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    [email] = emails_to(tq_saint_michel.email)
    assert "(2)" in email.subject
    assert "Dépôt du printemps" in email.body
    assert "Rapport annuel 1" in email.body
    assert ReminderSent.objects.filter(user=tq_saint_michel).count() == 2


def test_the_reminder_run_twice_the_same_day_sends_nothing_the_second_time(
        allocation, closing_window, tq_saint_michel, advisor_est, coordination,
        django_capture_on_commit_callbacks):
    first = run(django_capture_on_commit_callbacks)
    sent, recorded = len(mail.outbox), ReminderSent.objects.count()
    assert first >= 3
    assert sent == first
    assert run(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == sent
    assert ReminderSent.objects.count() == recorded


def test_the_next_day_sends_only_what_is_new(
        allocation, closing_window, tq_saint_michel, django_capture_on_commit_callbacks):
    run(django_capture_on_commit_callbacks)
    run(django_capture_on_commit_callbacks, today=TODAY + datetime.timedelta(days=1))
    assert len(emails_to(tq_saint_michel.email)) == 1  # still the 7-day reminders: nothing new
    run(django_capture_on_commit_callbacks, today=TODAY + datetime.timedelta(days=6))
    emails = emails_to(tq_saint_michel.email)
    assert len(emails) == 2  # the window's 1-day reminder
    assert "(1)" in emails[1].subject
    assert "Dépôt du printemps" in emails[1].body


def test_a_persons_language_is_used(allocation, tq_saint_michel, advisor_est,
                                    django_capture_on_commit_callbacks):
    User.objects.filter(pk=tq_saint_michel.pk).update(language="en")
    run(django_capture_on_commit_callbacks)
    [english] = emails_to(tq_saint_michel.email)
    assert english.subject.startswith("PIC: ")  # English, not « PIC : ce qu.il y a à faire »
    assert english.subject.endswith("(1)")
    assert english.body.startswith("Hello ")
    assert "Annual report 1" in english.body
    assert "May 30, 2025" in english.body
    assert "30 mai 2025" not in english.body
    [french] = emails_to(advisor_est.email)
    assert "1er octobre 2024" in french.body  # the overdue check-in, in French (one format)
    assert french.subject.startswith("PIC : ce qu'il y a à faire")


def test_optional_reminders_follow_preferences(allocation, closing_window, tq_saint_michel,
                                               django_capture_on_commit_callbacks):
    reminders.reminder_preference_save(user=tq_saint_michel, actor=tq_saint_michel,
                                       window_closing=False)
    run(django_capture_on_commit_callbacks)
    [email] = emails_to(tq_saint_michel.email)
    assert "Dépôt du printemps" not in email.body
    assert "Rapport annuel 1" in email.body


def test_overdue_check_in_goes_to_advisor_and_staff_not_to_other_advisors(
        allocation, advisor_est, coordination, verdun, django_capture_on_commit_callbacks):
    from tests import factories

    other = factories.make_advisor(verdun, email="conseiller.ouest@example.org")
    items = reminders.due_items(today=TODAY)
    assert [d.kind for d in items[advisor_est.pk]] == ["checkin_overdue"]
    assert "checkin_overdue" in [d.kind for d in items[coordination.pk]]
    assert other.pk not in items


def test_reports_due_in_30_days_and_overdue(allocation, tq_saint_michel, advisor_est):
    items = reminders.due_items(today=D(2025, 5, 1))
    assert [d.kind for d in items[tq_saint_michel.pk]] == ["report_due_30"]
    items = reminders.due_items(today=D(2025, 6, 2))
    assert [d.kind for d in items[tq_saint_michel.pk]] == ["report_overdue"]
    assert "report_overdue" in [d.kind for d in items[advisor_est.pk]]


def test_decisions_nearing_the_eight_week_limit_go_to_staff(saint_michel, stage, coordination):
    from proposals.models import Initiative, Proposal

    window = Window.objects.create(program=stage.program, name="Automne",
                                   deadline=TODAY - datetime.timedelta(weeks=7))
    initiative = Initiative.objects.create(neighbourhood=saint_michel, program=stage.program,
                                           title="I", desired_change="C")
    Proposal.objects.create(neighbourhood=saint_michel, initiative=initiative, stage=stage,
                            window=window, status=Proposal.Status.IN_ANALYSIS, title="En analyse")
    [due] = reminders.due_items(today=TODAY)[coordination.pk]
    assert due.kind == "decision_deadline_7"
    assert due.due_on == window.deadline + datetime.timedelta(weeks=8)


def test_the_daily_task_sends_the_digests(allocation, tq_saint_michel,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_daily_reminders.delay(TODAY.isoformat())
    assert len(emails_to(tq_saint_michel.email)) == 1


def test_what_to_do_next_page_lists_the_same_items(client, allocation, closing_window,
                                                   tq_saint_michel, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    client.force_login(tq_saint_michel)
    response = client.get(reverse("reporting:todo"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Dépôt du printemps" in text
    assert "Rapport annuel 1" in text
    items = reminders.todo_for(user=tq_saint_michel, today=TODAY)
    assert [d.kind for d in items] == ["report_due_7", "window_closing_7"]


def test_preferences_page_saves(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    response = client.post(reverse("reporting:preferences"), {"report_due_early": "on"})
    assert response.status_code == 302
    preference = tq_saint_michel.reminder_preference
    assert preference.report_due_early
    assert not preference.window_closing


def test_a_letter_of_intent_counts_until_a_proposal_exists(saint_michel, stage,
                                                           tq_saint_michel):
    from proposals.models import Initiative, Proposal

    LetterOfIntent.objects.create(neighbourhood=saint_michel, program=stage.program,
                                  desired_change="Un quartier nourri", target_stage=stage)
    Window.objects.create(program=stage.program, name="Été",
                          deadline=TODAY + datetime.timedelta(days=1))
    [due] = reminders.due_items(today=TODAY)[tq_saint_michel.pk]
    assert due.kind == "window_closing_1"
    initiative = Initiative.objects.create(neighbourhood=saint_michel, program=stage.program,
                                           title="I", desired_change="C")
    Proposal.objects.create(neighbourhood=saint_michel, initiative=initiative, stage=stage,
                            title="Déposée", status=Proposal.Status.SUBMITTED)
    assert tq_saint_michel.pk not in reminders.due_items(today=TODAY)


def test_a_draft_for_a_stage_the_window_accepts_gets_the_window_reminder(
        saint_michel, stage, tq_saint_michel):
    from proposals.models import Initiative, Proposal

    window = Window.objects.create(program=stage.program, name="Hiver",
                                   deadline=TODAY + datetime.timedelta(days=14))
    window.stages.add(stage)
    initiative = Initiative.objects.create(neighbourhood=saint_michel, program=stage.program,
                                           title="I", desired_change="C")
    Proposal.objects.create(neighbourhood=saint_michel, initiative=initiative, stage=stage,
                            title="Brouillon")
    [due] = reminders.due_items(today=TODAY)[tq_saint_michel.pk]
    assert (due.kind, due.obj) == ("window_closing_14", window)


def test_at_most_one_email_a_day_what_comes_later_waits_for_tomorrow(
        allocation, saint_michel, stage, tq_saint_michel, django_capture_on_commit_callbacks):
    from reporting.services import allocations

    from .conftest import make_ratified

    run(django_capture_on_commit_callbacks)
    assert len(emails_to(tq_saint_michel.email)) == 1
    allocations.allocation_create_for_ratification(
        ratification=make_ratified(saint_michel, stage, amounts=("80000",), title="Autre"),
        actor=SYSTEM)
    run(django_capture_on_commit_callbacks)  # same day: recorded, not emailed
    assert len(emails_to(tq_saint_michel.email)) == 1
    assert ReminderSent.objects.filter(user=tq_saint_michel, emailed_on__isnull=True).count() == 1
    run(django_capture_on_commit_callbacks, today=TODAY + datetime.timedelta(days=1))
    emails = emails_to(tq_saint_michel.email)
    assert len(emails) == 2
    assert "Autre" in emails[1].body
