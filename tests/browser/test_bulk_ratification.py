"""In a real browser: the comité des partenaires ratifies, in one deliberation, the three
recommendations of one comité de gestion meeting; each proposal gets its own allocation and its
own decision letter (waiting to be read and sent)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import services
from governance.models import Committee, DecisionLetter, RatificationAct
from reporting.models import Allocation
from tests import factories
from tests.governance.conftest import make_proposal

from .test_meeting import login

pytestmark = pytest.mark.browser


@pytest.fixture
def three_recommended(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PIC_REQUIRE_STAFF_MFA = False
    from proposals.models import Program, Stage

    program = Program.objects.create(name="PIC phase 2", slug="pic-2",
                                     starts_on=timezone.localdate().replace(year=2021),
                                     ends_on=timezone.localdate().replace(year=2030))
    stage = Stage.objects.create(program=program, number=2, name="Déploiement",
                                 normal_duration_years=3, max_duration_years=4,
                                 min_yearly_amount=Decimal("75000"),
                                 max_yearly_amount=Decimal("150000"),
                                 capacity_building_amount=Decimal("20000"))
    saint_michel = factories.NeighbourhoodFactory(name="Saint-Michel")
    verdun = factories.NeighbourhoodFactory(name="Verdun")
    coordination = factories.make_coordination(email="coordination@example.org")
    gestion = factories.CommitteeFactory(kind=Committee.Kind.GESTION, name="Comité de gestion")
    factories.CommitteeFactory(kind=Committee.Kind.PARTENAIRES, name="Comité des partenaires")
    chair = factories.make_committee_member(gestion, email="presidence@example.org")
    chair.is_chair = True
    chair.save(update_fields=["is_chair"])
    member = factories.make_committee_member(gestion, email="membre@example.org")
    meeting = services.meeting_create(committee=gestion, title="Rencontre de décembre",
                                      held_on=timezone.localdate(), actor=coordination)
    proposals = [make_proposal(saint_michel, stage, title="Cuisine collective"),
                 make_proposal(verdun, stage, title="Verdun mobilisée"),
                 make_proposal(saint_michel, stage, title="Jardins partagés")]
    items = [services.agenda_item_add(meeting=meeting, proposal=p, actor=coordination)
             for p in proposals]
    services.attendance_set(meeting=meeting, actor=chair.user, present=[chair, member])
    for item in items:
        for seat in (chair, member):
            services.vote_cast(item=item, actor=seat.user, choice="for")
        services.item_close(item=item, actor=chair.user)
    return meeting, proposals, coordination


def test_one_deliberation_ratifies_a_meeting_s_three_recommendations(page, three_recommended):
    meeting, proposals, coordination = three_recommended
    login(page, coordination.email)
    page.goto(reverse("governance:meeting-ratify", args=[meeting.pk]))
    for proposal in proposals:
        assert page.get_by_text(proposal.title).first.is_visible()
    page.get_by_label("Date de la délibération").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.get_by_label("Numéro de résolution").fill("CP-2026-12-04")
    page.get_by_role("button", name="Oui, entériner les recommandations cochées").click()
    page.get_by_text("CP-2026-12-04").first.wait_for()
    act = RatificationAct.objects.get()
    assert act.ratifications.count() == 3
    assert Allocation.objects.filter(proposal__in=proposals).count() == 3
    letters = DecisionLetter.objects.filter(proposal__in=proposals,
                                            kind=DecisionLetter.Kind.ALLOCATION)
    assert letters.count() == 3
    assert set(letters.values_list("proposal_id", flat=True)) == {p.pk for p in proposals}
