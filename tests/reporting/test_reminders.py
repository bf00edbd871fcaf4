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

from .conftest import make_draft_window

D = datetime.date
TODAY = D(2025, 5, 23)  # year 1's report (due 2025-05-30) is 7 days away


@pytest.fixture
def closing_window(stage, saint_michel, tq_saint_michel):
    """A window closing in 7 days, and Saint-Michel holding a draft for a stage it accepts."""
    return make_draft_window(stage, saint_michel, TODAY + datetime.timedelta(days=7))


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


def test_a_batch_of_digests_runs_the_same_queries_for_3_and_10_people(
        allocation, closing_window, saint_michel, django_capture_on_commit_callbacks):
    """The people, their reminders and the objects named are read once for the batch, the
    marks and the audit events written in bulk: not a dozen queries a person."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reporting.services.digests import digests_send
    from tests import factories

    def send(people: int) -> tuple[int, int]:
        ReminderSent.objects.all().delete()
        mail.outbox = []
        for n in range(people - User.objects.filter(memberships__neighbourhood=saint_michel)
                       .count()):
            factories.make_member(saint_michel, email=f"membre{people}-{n}@example.org",
                                  language="en" if n % 2 else "fr")
        with django_capture_on_commit_callbacks(execute=False):
            reminders.reminders_run(today=TODAY)
        pending = sorted(set(ReminderSent.objects.values_list("user_id", flat=True)))
        with CaptureQueriesContext(connection) as queries:
            emailed = digests_send(user_ids=pending, today=TODAY)
        assert len(mail.outbox) == len(pending)
        assert emailed == ReminderSent.objects.filter(emailed_on=TODAY).count()
        return len(pending), len(queries)

    send(3)  # warms Django's content type cache
    few, few_queries = send(3)
    many, many_queries = send(10)
    assert many == few + 7
    assert many_queries == few_queries
    assert few_queries <= 15
    [english] = [m for m in mail.outbox if m.to == ["membre10-1@example.org"]]
    assert english.subject == "PIC: what needs doing (2)"  # each in the person's language
    assert ReminderSent.objects.filter(emailed_on__isnull=True).count() == 0


def test_an_smtp_failure_keeps_the_digests_sent_before_it_and_the_retry_sends_the_rest(
        allocation, closing_window, saint_michel, monkeypatch,
        django_capture_on_commit_callbacks):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    from reporting.services.digests import digests_send
    from tests import factories

    factories.make_member(saint_michel, email="deuxieme@example.org")
    with django_capture_on_commit_callbacks(execute=False):
        reminders.reminders_run(today=TODAY)
    people = sorted(set(ReminderSent.objects.values_list("user_id", flat=True)))
    assert len(people) >= 2
    real_send = EmailBackend.send_messages

    def second_fails(self, messages):
        if len(mail.outbox) >= 1:
            raise smtplib.SMTPServerDisconnected("mail server gone")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", second_fails)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        digests_send(user_ids=people, today=TODAY)
    [first] = mail.outbox
    emailed = set(ReminderSent.objects.filter(emailed_on=TODAY).values_list("user_id", flat=True))
    assert emailed == {User.objects.get(email=first.to[0]).pk}
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    digests_send(user_ids=people, today=TODAY)  # the outbox's retry
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        User.objects.filter(pk__in=people).values_list("email", flat=True))  # once each


def test_no_empty_digest_when_what_was_due_is_gone(allocation, closing_window,
                                                   django_capture_on_commit_callbacks):
    from reporting.services.digests import digests_send

    with django_capture_on_commit_callbacks(execute=False):
        reminders.reminders_run(today=TODAY)
    people = sorted(set(ReminderSent.objects.values_list("user_id", flat=True)))
    assert people
    ReminderSent.objects.update(object_id=987654)  # every object they named deleted since
    assert digests_send(user_ids=people, today=TODAY) == 0
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
