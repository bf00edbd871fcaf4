"""Letters and minutes are rendered by Celery tasks with soft and hard time limits; a render cut
short leaves neither a file nor a row behind."""

from pathlib import Path

import pytest
from billiard.exceptions import SoftTimeLimitExceeded
from django.urls import reverse

from governance import letters, tasks
from governance.models import DecisionLetter, MeetingMinutes
from proposals.models import Proposal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("task", [tasks.send_decision_letter, tasks.generate_minutes])
def test_pdf_tasks_have_soft_and_hard_time_limits(task):
    assert task.soft_time_limit == tasks.PDF_SOFT_TIME_LIMIT == 120
    assert task.time_limit == tasks.PDF_TIME_LIMIT == 180
    assert task.soft_time_limit < task.time_limit


def test_minutes_are_asked_for_on_the_meeting_page_and_made_by_the_task(
        client, item, coordination, django_capture_on_commit_callbacks):
    client.force_login(coordination)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("governance:minutes-generate", args=[item.meeting.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    minutes = MeetingMinutes.objects.get(meeting=item.meeting)
    assert minutes.created_by == coordination
    with minutes.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"


def _slow_render(*args, **kwargs):
    raise SoftTimeLimitExceeded()


def test_minutes_cut_short_by_the_time_limit_leave_nothing(item, coordination, settings,
                                                         monkeypatch):
    monkeypatch.setattr(letters, "minutes_render", _slow_render)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks.generate_minutes.apply(args=[item.meeting.pk, coordination.pk], throw=True)
    assert not MeetingMinutes.objects.exists()
    assert not [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]


def test_a_letter_cut_short_by_the_time_limit_leaves_nothing(proposal, settings, monkeypatch):
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.NOT_RECOMMENDED)
    monkeypatch.setattr(letters, "letter_render", _slow_render)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks.send_decision_letter.apply(args=[proposal.pk, DecisionLetter.Kind.REFUSAL],
                                         throw=True)
    assert not DecisionLetter.objects.exists()
    assert not [p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()]
