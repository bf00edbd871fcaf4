"""The advisor's analysis: who writes it, who reads it, and when the neighbourhood sees it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import services
from governance.models import Analysis
from pic.access import SYSTEM
from proposals import workflow
from tests import factories

pytestmark = pytest.mark.django_db


def _save(proposal, actor, **overrides):
    items = list(proposal.stage.prerequisites.all())
    arguments = {
        "needs_and_context": "Quartier en croissance", "conditions": "Rapport à six mois",
        "capacity_building_amount": Decimal("12000"),
        "prerequisites": {items[0].pk: (True, "Plan adopté en 2021"), items[1].pk: (False, "")},
        "yearly_amounts": {1: Decimal("80000"), 2: Decimal("100000"), 3: Decimal("100000")},
    }
    arguments.update(overrides)
    return services.analysis_save(proposal=proposal, actor=actor, **arguments)


def test_advisor_writes_the_analysis(proposal, advisor_est):
    analysis = _save(proposal, advisor_est)
    assert analysis.prerequisites.filter(met=True).count() == 1
    assert [y.amount for y in analysis.years.all()] == [Decimal("80000"), Decimal("100000"),
                                                        Decimal("100000")]
    _save(proposal, advisor_est, yearly_amounts={1: Decimal("90000")})
    assert analysis.years.count() == 1


def test_advisor_of_another_neighbourhood_cannot_write(proposal, verdun):
    other = factories.make_advisor(verdun)
    with pytest.raises(PermissionDenied):
        _save(proposal, other)


def test_amount_above_the_stage_maximum_is_refused(proposal, advisor_est):
    with pytest.raises(ValidationError) as error:
        _save(proposal, advisor_est, yearly_amounts={1: Decimal("500000")})
    assert "year_1" in error.value.error_dict


def test_analysis_visibility(proposal, advisor_est, coordination, tq_saint_michel, item, member,
                             partenaires, chair):
    _save(proposal, advisor_est)
    outsider = factories.make_committee_member(partenaires).user
    visible = {user: Analysis.objects.visible_to(user).exists()
               for user in (advisor_est, coordination, tq_saint_michel, member.user, outsider)}
    assert visible == {advisor_est: True, coordination: True, tq_saint_michel: False,
                       member.user: True, outsider: False}


def test_neighbourhood_sees_the_analysis_once_ratified(proposal, advisor_est, coordination,
                                                       tq_saint_michel):
    _save(proposal, advisor_est)
    workflow.proposal_recommend(proposal=proposal, actor=SYSTEM)
    assert not Analysis.objects.visible_to(tq_saint_michel).exists()
    workflow.proposal_ratify(proposal=proposal, actor=SYSTEM)
    assert Analysis.objects.visible_to(tq_saint_michel).exists()


def test_analysis_pages(client, proposal, advisor_est, tq_saint_michel):
    client.force_login(advisor_est)
    items = list(proposal.stage.prerequisites.all())
    data = {"needs_and_context": "Contexte", "capacity_building_amount": "10000",
            "conditions": "", "year_1": "80000", "year_2": "90000", "year_3": "95000",
            f"met_{items[0].pk}": "yes", f"comment_{items[0].pk}": "",
            f"met_{items[1].pk}": "no", f"comment_{items[1].pk}": "À compléter"}
    response = client.post(reverse("governance:analysis-edit", args=[proposal.pk]), data)
    assert response.status_code == 302
    assert Analysis.objects.get(proposal=proposal).years.count() == 3
    assert "À compléter" in client.get(
        reverse("governance:analysis-detail", args=[proposal.pk])).content.decode()
    client.force_login(tq_saint_michel)
    assert client.get(reverse("governance:analysis-detail",
                              args=[proposal.pk])).status_code == 404
    assert client.get(reverse("governance:analysis-edit", args=[proposal.pk])).status_code == 404
