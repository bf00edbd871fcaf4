"""The analysis in the guide's words: the advisor's assessment of each condition of collective
impact and the reach of the people directly concerned, on the analysis and the agenda item."""

from decimal import Decimal

import pytest
from django.urls import reverse

from governance import services
from governance.models.analyses import ASSESSMENT_FIELDS

pytestmark = pytest.mark.django_db


def _save(proposal, actor, **guide_texts):
    items = list(proposal.stage.prerequisites.all())
    return services.analysis_save(
        proposal=proposal, actor=actor, needs_and_context="Contexte", conditions="",
        capacity_building_amount=Decimal("0"),
        prerequisites={item.pk: (True, "") for item in items},
        yearly_amounts={1: Decimal("80000")}, guide_texts=guide_texts)


def test_the_advisor_assesses_each_condition_and_the_reach_of_the_people_concerned(
        client, proposal, advisor_est):
    analysis = _save(proposal, advisor_est, assess_engagement="Les locataires siègent au comité",
                     assess_support="La table anime bien", people_concerned_reach="120 familles",
                     unknown_field="ignored")
    analysis.refresh_from_db()
    assert analysis.assess_engagement == "Les locataires siègent au comité"
    assert analysis.people_concerned_reach == "120 familles"
    # a key left out keeps its text
    _save(proposal, advisor_est, assess_learning="Bon plan de captation")
    analysis.refresh_from_db()
    assert analysis.assess_engagement == "Les locataires siègent au comité"
    client.force_login(advisor_est)
    page = client.get(reverse("governance:analysis-detail", args=[proposal.pk])).content.decode()
    assert "Portée auprès des premiers concernés" in page
    assert "120 familles" in page
    assert "Bon plan de captation" in page


def test_the_analysis_page_asks_for_each_condition_with_the_guides_summary(client, proposal,
                                                                           advisor_est):
    client.force_login(advisor_est)
    page = client.get(reverse("governance:analysis-edit", args=[proposal.pk])).content.decode()
    for name in (*ASSESSMENT_FIELDS, "people_concerned_reach"):
        assert f'name="{name}"' in page
    assert "Forger une vision collective du changement" in page
