"""The demo looks alive on whatever day it is seeded: its dates move with that day
(proposals.demo_dates), so a window closes in a few weeks, no file is late, one or two are at
risk, reports fall due around today and money is half paid."""

import datetime
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from governance.ratification_selectors import ratification_rows, ratification_watchlist
from pic.models import User
from proposals.demo import CURRENT_WINDOW, window_names
from proposals.demo_dates import ANCHOR, date_en, date_fr
from proposals.models import Program, Window
from reporting.models import (
    Allocation,
    Amendment,
    CheckIn,
    Instalment,
    Report,
    ReportingConfig,
)
from reporting.services.allocations import payment_blockers
from tests.test_seed_demo import snapshot

# A day in the second half of a month and one in the first, a few months apart.
DAYS = [datetime.date(2027, 3, 18), datetime.date(2026, 9, 3)]
HOMES = ["coordination@example.org", "conseillere.est@example.org",
         "tq.saint-michel@example.org", "partenaire.mcconnell@example.org"]


def seed_on(day: datetime.date, monkeypatch) -> None:
    """seed_demo with the clock on that day (noon in Montreal, ticking)."""
    start = datetime.datetime.combine(day, datetime.time(17), tzinfo=datetime.UTC)
    ticks = itertools.count()
    monkeypatch.setattr(timezone, "now",
                        lambda: start + datetime.timedelta(milliseconds=next(ticks)))
    call_command("seed_demo", force=True, verbosity=0, stdout=StringIO())


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(params=DAYS, ids=str)
def seeded_on(request, db, monkeypatch):
    seed_on(request.param, monkeypatch)
    return request.param


def test_the_demo_is_set_on_the_day_it_is_seeded(seeded_on):
    """One seeding per day (it takes seconds), so the facts of that day in one test."""
    # A window closes in a few weeks; the past ones, named after their deadline, are past.
    window = Window.objects.get(name=CURRENT_WINDOW)
    assert 14 <= (window.deadline - seeded_on).days <= 56
    program = Program.objects.get()
    assert program.starts_on < seeded_on < program.ends_on
    assert str(program.starts_on.year) in program.name
    past = Window.objects.exclude(name=CURRENT_WINDOW).order_by("deadline")
    assert all(w.deadline < seeded_on for w in past)
    assert past.first().name.endswith("— étape 1")
    assert str(past.first().deadline.year) in past.first().name_en

    # No file past its eight-week ratification limit; one or two close to it.
    coordination = User.objects.get(email="coordination@example.org")
    rows = ratification_rows(ratification_watchlist(user=coordination), today=seeded_on)
    assert len(rows) >= 3
    assert [r.proposal for r in rows if r.late] == []
    assert 1 <= len([r for r in rows if r.at_risk]) <= 2

    # A report due within weeks, one a few days late, none later; one waiting for review.
    drafts = Report.objects.filter(status=Report.Status.DRAFT)
    assert [r for r in drafts if 0 <= (r.due_on - seeded_on).days <= 45]
    assert [r for r in drafts if 1 <= (seeded_on - r.due_on).days <= 14]
    assert [r for r in drafts if (seeded_on - r.due_on).days > 14] == []
    assert Report.objects.filter(status=Report.Status.SUBMITTED).exists()
    assert CheckIn.objects.filter(held_on__isnull=True, due_on__gt=seeded_on,
                                  due_on__lte=seeded_on + datetime.timedelta(days=183)).exists()

    # An amendment under review; a schedule half paid, what is held waiting for a reason.
    assert Amendment.objects.filter(
        status__in=[Amendment.Status.SUBMITTED, Amendment.Status.REVIEWED]).exists()
    assert [a for a in Allocation.objects.all() if {"paid", "planned"} <= set(
        Instalment.objects.filter(allocation_year__allocation=a).values_list("status",
                                                                             flat=True))]
    for instalment in Instalment.objects.filter(status="planned", planned_on__lte=seeded_on):
        assert payment_blockers(instalment.allocation_year), instalment
    # The program's report delays: the usual ones, shortened by a month at most (README).
    config = ReportingConfig.objects.get(program=program)
    assert 25 <= config.annual_report_delay_days <= 65
    assert config.final_report_delay_days == config.annual_report_delay_days + 30
    # Every allocation within the program, so are those the files at risk would make.
    assert all(a.ends_on <= program.ends_on for a in Allocation.objects.all())
    assert seeded_on + datetime.timedelta(days=3 * 365 + 120) <= program.ends_on


def test_the_demo_pages_show_that_day(client, seeded_on):
    for email in HOMES:
        client.force_login(User.objects.get(email=email))
        page = client.get(reverse("home"))
        assert page.status_code == 200, email
        assert "Saint-Michel" in page.content.decode() or "McConnell" in page.content.decode()
    client.force_login(User.objects.get(email="coordination@example.org"))
    ratification = client.get(reverse("governance:ratification-list"))
    assert ratification.status_code == 200
    html = ratification.content.decode()
    assert "Rosemont" in html
    assert "il reste 8 jours" in html
    assert "en retard de" not in html
    letters = client.get(reverse("governance:letter-list"))
    assert letters.status_code == 200
    assert "Saint-Michel" in letters.content.decode()


def test_windows_are_named_after_their_deadline_in_french_and_english():
    assert date_fr(datetime.date(2022, 2, 1)) == "1er février 2022"
    assert date_en(datetime.date(2022, 2, 1)) == "February 1, 2022"
    assert window_names(datetime.date(2021, 10, 15), (1,)) == (
        "15 octobre 2021 — étape 1", "October 15, 2021 — stage 1")


def test_seeded_on_its_anchor_day_the_demo_keeps_the_guides_first_windows(db, monkeypatch):
    from proposals.demo import seed_program

    noon = datetime.datetime.combine(ANCHOR, datetime.time(17), tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: noon)
    _program, _stages, windows = seed_program()
    assert {"15 octobre 2021 — étape 1", "1er février 2022", "29 mars 2022",
            "14 octobre 2022"} <= set(windows)
    assert windows["1er février 2022"].name_en == "February 1, 2022"


def test_seeding_again_weeks_later_changes_nothing(db, monkeypatch):
    """The demo's day is the day it was first seeded (its program keeps it): run again later,
    it finds its story written and adds nothing, not even a window named after a new day."""
    seed_on(DAYS[1], monkeypatch)
    before = snapshot()
    windows = set(Window.objects.values_list("name", "deadline"))
    seed_on(DAYS[1] + datetime.timedelta(days=40), monkeypatch)
    assert snapshot() == before
    assert set(Window.objects.values_list("name", "deadline")) == windows
