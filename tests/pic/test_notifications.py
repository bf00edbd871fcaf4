"""Notifications (pic.notifications): one entry per person per event, each person's email
choice per kind (at once, daily digest, none), emails in their language, never twice."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from pic.access import SYSTEM
from pic.models import Notification, OutboxMessage
from pic.notifications import notify, services
from pic.notifications.kinds import KINDS, Mode
from pic.notifications.tasks import send_notification_digest, send_notification_email
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_immediate_kind_is_emailed_after_commit_with_a_link(
        saint_michel, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = notify("proposal.changes_requested", [tq_saint_michel], saint_michel,
                      actor=advisor_est)
    assert [n.recipient for n in made] == [tq_saint_michel]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [tq_saint_michel.email]
    assert "demande des modifications" in email.subject
    assert f"/dossiers/{saint_michel.slug}/" in email.body
    assert Notification.objects.get().emailed_at is not None


def test_the_same_event_twice_makes_one_entry_and_one_email(
        saint_michel, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify("proposal.changes_requested", [tq_saint_michel], saint_michel, actor=advisor_est,
               event="v1")
        notify("proposal.changes_requested", [tq_saint_michel], saint_michel, actor=advisor_est,
               event="v1")
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    # A second request for changes is another event.
    with django_capture_on_commit_callbacks(execute=True):
        notify("proposal.changes_requested", [tq_saint_michel], saint_michel, actor=advisor_est,
               event="v2")
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_retried_email_task_sends_nothing_more(
        saint_michel, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify("report.accepted", [tq_saint_michel], saint_michel,
                              actor=advisor_est)[0]
    assert len(mail.outbox) == 1
    assert send_notification_email(notification.pk) is False  # the worker retried it
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(key=f"notification:{notification.pk}").count() == 1


def test_the_actor_is_not_told_of_their_own_act(saint_michel, tq_saint_michel):
    assert notify("note.followed", [tq_saint_michel], saint_michel, actor=tq_saint_michel) == []


def test_digest_kinds_wait_for_the_daily_email(
        saint_michel, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    assert KINDS["checkin.recorded"].default == Mode.DIGEST
    with django_capture_on_commit_callbacks(execute=True):
        notify("checkin.recorded", [tq_saint_michel], saint_michel, actor=advisor_est)
        notify("payment.recorded", [tq_saint_michel], saint_michel, actor=SYSTEM)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.digest_schedule() == 1
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "bilan de mi-année" in body
    assert "versement" in body.lower()
    # The next day's run has nothing left; a retried digest sends nothing.
    assert services.digest_schedule() == 0
    assert send_notification_digest(tq_saint_michel.pk, "2026-01-01") == 0
    assert len(mail.outbox) == 1


def test_a_kind_turned_off_stays_in_the_inbox_without_email(
        saint_michel, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    services.notification_preferences_save(user=tq_saint_michel, actor=tq_saint_michel,
                                           modes={"proposal.changes_requested": Mode.OFF})
    with django_capture_on_commit_callbacks(execute=True):
        notify("proposal.changes_requested", [tq_saint_michel], saint_michel, actor=advisor_est)
        services.digest_schedule()
    assert mail.outbox == []
    assert Notification.objects.visible_to(tq_saint_michel).unread().count() == 1


def test_a_person_may_move_an_immediate_kind_to_the_digest(
        saint_michel, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    services.notification_preferences_save(user=tq_saint_michel, actor=tq_saint_michel,
                                           modes={"report.accepted": Mode.DIGEST})
    with django_capture_on_commit_callbacks(execute=True):
        notify("report.accepted", [tq_saint_michel], saint_michel, actor=advisor_est)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        services.digest_schedule()
    assert len(mail.outbox) == 1


def test_nobody_sets_someone_else_s_preferences(tq_saint_michel, advisor_est):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.notification_preferences_save(user=tq_saint_michel, actor=advisor_est,
                                               modes={"report.accepted": Mode.OFF})


def test_the_email_is_in_the_recipient_s_language(
        saint_michel, tq_saint_michel, advisor_est, django_capture_on_commit_callbacks):
    factories.english(tq_saint_michel)
    with django_capture_on_commit_callbacks(execute=True):
        notify("proposal.changes_requested", [tq_saint_michel], saint_michel, actor=advisor_est)
    with translation.override("en"):
        assert "requests changes" in mail.outbox[0].subject


def test_the_inbox_lists_one_s_own_marks_read_and_counts_in_the_header(
        client, saint_michel, tq_saint_michel, tq_verdun, advisor_est):
    notify("note.followed", [tq_saint_michel], saint_michel, actor=advisor_est)
    notify("note.followed", [tq_verdun], saint_michel, actor=advisor_est, event="other")
    client.force_login(tq_saint_michel)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count('class="notification unread"') == 1
    count = reverse("notifications:unread-count")  # fetched by the header once shown (htmx)
    assert '<span class="count">1</span>' in client.get(count).content.decode()
    assert f'hx-get="{count}"' in page
    mine = Notification.objects.get(recipient=tq_saint_michel)
    theirs = Notification.objects.get(recipient=tq_verdun)
    assert client.post(reverse("notifications:mark-read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:mark-read", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert '<span class="count">' not in client.get(count).content.decode()


def test_mark_all_read(client, saint_michel, tq_saint_michel, advisor_est):
    for n in range(3):
        notify("note.followed", [tq_saint_michel], saint_michel, actor=advisor_est, event=str(n))
    client.force_login(tq_saint_michel)
    response = client.post(reverse("notifications:mark-all-read"), follow=True)
    assert "3 notifications marquées comme lues." in response.content.decode()
    assert not Notification.objects.visible_to(tq_saint_michel).unread().exists()


def test_the_preferences_page_saves_each_kind(client, tq_saint_michel):
    from pic.notifications.forms import NotificationPreferenceForm

    client.force_login(tq_saint_michel)
    assert "Vote ouvert" in client.get(reverse("reporting:preferences")).content.decode()
    data = {NotificationPreferenceForm.field_name(code): kind.default
            for code, kind in KINDS.items()}
    data[NotificationPreferenceForm.field_name("note.followed")] = Mode.OFF
    data.update(window_closing="on", report_due_early="on", checkin_due="on")
    response = client.post(reverse("reporting:preferences"), data)
    assert response.status_code == 302
    assert services.preferences_of(tq_saint_michel)["note.followed"] == Mode.OFF


def test_the_inbox_makes_as_many_queries_with_100_notifications_as_with_10(
        client, saint_michel, tq_saint_michel, advisor_est, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(10):
        notify("note.followed", [tq_saint_michel], saint_michel, actor=advisor_est, event=str(n))
    client.force_login(tq_saint_michel)
    url = reverse("notifications:inbox")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    assert len(small) <= 15
    for n in range(10, 100):
        notify("note.followed", [tq_saint_michel], saint_michel, actor=advisor_est, event=str(n))
    with django_assert_max_num_queries(len(small)):
        page = client.get(url).content.decode()
    assert page.count('class="notification unread"') == 30  # a page
