"""seed_scale: a large data set by bulk inserts, refused on a database with real data."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.utils import timezone

from governance.models import AgendaItem, DecisionLetter, Vote
from neighbourhoods.models import (
    AdvisorAssignment,
    Membership,
    Neighbourhood,
)
from pic.models import AuditEvent, User
from proposals.models import Proposal, ProposalDocument
from reporting import scale
from reporting.models import Allocation, CheckIn, FinancialLine, Report

pytestmark = pytest.mark.django_db

TINY = {"neighbourhoods": 31, "people": 8, "advisors": 3, "proposals": 62, "meetings": 3,
        "reports": 40, "audit_events": 50}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def seed(**options):
    out = StringIO()
    call_command("seed_scale", no_demo=True, stdout=out, **options)
    return out.getvalue()


def test_small_preset_has_rows_in_every_state(settings):
    text = seed(small=True)
    assert "Scale data ready in" in text
    sizes = scale.SMALL
    assert Neighbourhood.objects.count() == sizes.neighbourhoods
    assert User.objects.filter(email__endswith="@scale.example.org").count() == (
        sizes.people + sizes.advisors - 3)  # the demo's three advisors are reused
    assert Proposal.objects.count() == sizes.proposals
    assert set(Proposal.objects.values_list("status", flat=True)) == set(Proposal.Status.values)
    assert set(Report.objects.values_list("status", flat=True)) == set(Report.Status.values)
    assert set(Report.objects.values_list("kind", flat=True)) == set(Report.Kind.values)
    assert set(Allocation.objects.values_list("status", flat=True)) == set(
        Allocation.Status.values)
    assert set(AgendaItem.objects.values_list("status", flat=True)) == set(
        AgendaItem.Status.values)
    today = timezone.localdate()
    overdue = Report.objects.filter(due_on__lt=today,
                                    status__in=[Report.Status.DRAFT,
                                                Report.Status.CHANGES_REQUESTED])
    assert 0 < overdue.count() < Report.objects.filter(due_on__lt=today).count() / 10
    assert CheckIn.objects.filter(due_on__lt=today, held_on__isnull=True).exists()
    # the facts kept for the indexes, as the services keep them (bulk inserts skip save)
    assert not Report.objects.exclude(neighbourhood=F("allocation__neighbourhood")).exists()
    assert not CheckIn.objects.exclude(
        neighbourhood=F("allocation_year__allocation__neighbourhood")).exists()
    refused = Proposal.objects.filter(decision_letters__kind=DecisionLetter.Kind.REFUSAL)
    assert refused.exists()
    assert set(Proposal.objects.filter(refusal_letter_written=True)) == set(refused)
    # Most old files are closed: decided long ago.
    old = Proposal.objects.filter(window__deadline__lt=today.replace(year=today.year - 2))
    assert old.filter(status__in=[Proposal.Status.LETTER_SENT, Proposal.Status.NOT_RECOMMENDED,
                                  Proposal.Status.WITHDRAWN]).count() == old.count()
    assert Vote.objects.exists()
    assert FinancialLine.objects.exists()
    assert AuditEvent.objects.filter(actor__email="coordination@example.org").count() > 0
    assert AuditEvent.objects.count() >= sizes.audit_events
    from pic.audit_chain import verify_chain

    assert verify_chain(AuditEvent).ok  # the generated events extend the hash chain


def test_access_follows_memberships_and_assignments():
    seed(**TINY)
    membership = Membership.objects.active().select_related("user").last()
    assert set(Neighbourhood.objects.visible_to(membership.user).values_list(
        "pk", flat=True)) == set(Membership.objects.active().filter(
            user=membership.user).values_list("neighbourhood_id", flat=True))
    # A generated advisor sees exactly the neighbourhoods assigned to them.
    advisor = User.objects.filter(email__startswith="conseil").first() or User.objects.get(
        email="conseillere.est@example.org")
    assert set(Neighbourhood.objects.visible_to(advisor).values_list("pk", flat=True)) == set(
        AdvisorAssignment.objects.active().filter(advisor=advisor)
        .values_list("neighbourhood_id", flat=True))


def test_documents_and_letters_are_small_private_files(settings):
    seed(**TINY)
    document = ProposalDocument.objects.order_by("pk").last()
    assert Path(settings.PRIVATE_MEDIA_ROOT, document.file.name).read_bytes().startswith(b"%PDF")
    letter = DecisionLetter.objects.order_by("pk").last()
    assert Path(settings.PRIVATE_MEDIA_ROOT, letter.file.name).is_file()


def test_refused_on_a_database_with_real_data_unless_forced():
    User.objects.create_user(email="directrice@tablequartier.org", password="x")
    with pytest.raises(CommandError, match="refuses to run"):
        seed(**TINY)
    assert not Proposal.objects.exists()
    seed(force=True, **TINY)
    assert Proposal.objects.count() == TINY["proposals"]


def test_refused_when_a_proposal_is_not_from_the_demo(stage):
    from tests import factories

    from .conftest import make_ratified

    make_ratified(factories.NeighbourhoodFactory(), stage)
    assert "1 proposal(s) not created by seed_demo or seed_scale" in scale.real_data_reason()
    with pytest.raises(CommandError, match="refuses to run"):
        seed(**TINY)


def test_refused_a_second_time():
    seed(**TINY)
    with pytest.raises(CommandError, match="already loaded"):
        seed(**TINY)
