"""The proposal pages run a constant number of queries, whatever the number of proposals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pic.access import SYSTEM
from proposals import services, workflow

from .conftest import make_contact, make_proposal


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def add_proposals(neighbourhood, stage, n, *, start=0):
    make_contact(neighbourhood)
    for i in range(start, start + n):
        proposal = make_proposal(neighbourhood, stage, title=f"P{i}")
        if i % 2:
            workflow.proposal_submit(proposal=proposal, actor=SYSTEM)


def richer(proposal, n):
    """More years, evidence, questions, documents and versions on one proposal."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.proposal_save_draft(proposal=proposal, actor=SYSTEM, data={
        "questions": [{"question": f"Q{i}", "data_to_collect": "d", "target": "t"}
                      for i in range(n)]})
    for i in range(n):
        services.document_upload(proposal=proposal, actor=SYSTEM,
                                 upload=SimpleUploadedFile(f"d{i}.pdf", b"%PDF-1.4\n"))


@pytest.mark.parametrize("who", ["coordination", "tq_saint_michel", "advisor_est"])
def test_the_list_runs_constant_queries(client, request, saint_michel, stages, open_window,
                                        django_assert_max_num_queries, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    add_proposals(saint_michel, stages[1], 2)
    small = count_queries(client, reverse("proposals:proposal-list"))
    add_proposals(saint_michel, stages[1], 30, start=2)
    with django_assert_max_num_queries(small):
        client.get(reverse("proposals:proposal-list"))


def test_the_detail_runs_constant_queries(client, tq_saint_michel, saint_michel, stages,
                                          open_window, django_assert_max_num_queries):
    client.force_login(tq_saint_michel)
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[2])
    richer(proposal, 1)
    path = reverse("proposals:proposal-detail", args=[proposal.pk])
    small = count_queries(client, path)
    richer(proposal, 12)
    with django_assert_max_num_queries(small):
        client.get(path)


def test_the_edit_page_runs_constant_queries(client, tq_saint_michel, saint_michel, stages,
                                             open_window, django_assert_max_num_queries):
    client.force_login(tq_saint_michel)
    proposal = make_proposal(saint_michel, stages[3])
    richer(proposal, 1)
    path = reverse("proposals:proposal-edit", args=[proposal.pk])
    small = count_queries(client, path + "?verifier=1")
    richer(proposal, 10)
    with django_assert_max_num_queries(small):
        client.get(path + "?verifier=1")


def test_the_neighbourhood_file_and_home_run_constant_queries(
        client, tq_saint_michel, saint_michel, stages, open_window,
        django_assert_max_num_queries):
    client.force_login(tq_saint_michel)
    add_proposals(saint_michel, stages[1], 2)
    file_path = reverse("proposals:neighbourhood-file", args=[saint_michel.slug])
    small_file = count_queries(client, file_path)
    small_home = count_queries(client, reverse("home"))
    add_proposals(saint_michel, stages[1], 20, start=2)
    with django_assert_max_num_queries(small_file):
        client.get(file_path)
    with django_assert_max_num_queries(small_home):
        client.get(reverse("home"))


def test_the_version_comparison_runs_constant_queries(client, tq_saint_michel, saint_michel,
                                                      stages, open_window, advisor_est,
                                                      django_assert_max_num_queries):
    client.force_login(advisor_est)
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[1])
    workflow.proposal_submit(proposal=proposal, actor=SYSTEM)
    path = reverse("proposals:proposal-versions", args=[proposal.pk])
    small = count_queries(client, path)
    for _round in range(5):
        workflow.proposal_start_analysis(proposal=proposal, actor=SYSTEM)
        workflow.proposal_request_changes(proposal=proposal, actor=SYSTEM, message="m")
        workflow.proposal_resubmit(proposal=proposal, actor=SYSTEM)
    with django_assert_max_num_queries(small):
        client.get(path)
