"""Every selector leaves out another neighbourhood's objects."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from pic.access import SYSTEM
from proposals import selectors, services, workflow

from .conftest import make_contact


@pytest.fixture
def both(draft, verdun_draft, verdun, saint_michel, program):
    program.letter_of_intent_deadline = None
    program.save()
    for neighbourhood in (saint_michel, verdun):
        services.letter_of_intent_submit(neighbourhood=neighbourhood, program=program,
                                         desired_change="Changement",
                                         target_stage=program.stage_by_number[1], actor=SYSTEM)
        make_contact(neighbourhood)
    workflow.proposal_submit(proposal=verdun_draft, actor=SYSTEM)
    return {"draft": draft, "verdun_draft": verdun_draft}


def test_selectors_exclude_another_neighbourhood(both, tq_saint_michel, saint_michel, verdun):
    user = tq_saint_michel
    assert {p.neighbourhood_id for p in selectors.proposal_list(user=user)} == {saint_michel.pk}
    assert {i.neighbourhood_id for i in selectors.initiative_list(user=user)} == \
        {saint_michel.pk}
    assert {x.neighbourhood_id for x in selectors.letter_of_intent_list(user=user)} == \
        {saint_michel.pk}
    assert {c.neighbourhood_id for c in selectors.contact_list(user=user)} == {saint_michel.pk}
    assert not selectors.version_list(user=user, proposal=both["verdun_draft"]).exists()
    totals = selectors.status_totals(user=user)
    counts = {r["status"]: r["count"] for r in selectors.status_counts(totals)}
    assert counts["draft"] == 1
    assert counts["submitted"] == 0
    with pytest.raises(Http404):
        selectors.proposal_get(user=user, pk=both["verdun_draft"].pk)
    with pytest.raises(Http404):
        selectors.initiative_get(user=user, pk=both["verdun_draft"].initiative_id)


def test_document_get_excludes_another_neighbourhood(verdun_draft, tq_saint_michel, tq_verdun):
    document = services.document_upload(proposal=verdun_draft, actor=SYSTEM,
                                        upload=SimpleUploadedFile("v.pdf", b"%PDF-1.4\n"))
    assert selectors.document_get(user=tq_verdun, pk=document.pk) == document
    with pytest.raises(Http404):
        selectors.document_get(user=tq_saint_michel, pk=document.pk)
