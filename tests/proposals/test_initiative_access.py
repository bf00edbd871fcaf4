"""Read access to one initiative, given to one person (an external evaluator) by coordination
staff: they read that initiative, its proposals and their documents, nothing else, never write."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pic.access import SYSTEM
from pic.models import AuditEvent
from proposals import selectors, services, workflow
from proposals.models import (
    Initiative,
    InitiativeUserObjectPermission,
    Proposal,
    ProposalDocument,
    ProposalVersion,
)
from tests import factories

from .conftest import make_contact, make_proposal

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


def upload(proposal, name="plan.pdf"):
    return services.document_upload(proposal=proposal, actor=SYSTEM,
                                    upload=SimpleUploadedFile(name, PDF))


@pytest.fixture
def evaluator(db):
    """An existing active account with no role (e.g. an evaluator from Dynamo)."""
    return factories.UserFactory(email="evaluatrice@dynamo.example.org")


@pytest.fixture
def granted(saint_michel, stages, open_window, tq_saint_michel, advisor_est):
    """A Saint-Michel initiative with a submitted proposal (one version) and a document."""
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, stages[1], title="Accordée")
    document = upload(proposal)
    workflow.proposal_submit(proposal=proposal, actor=SYSTEM)
    proposal.refresh_from_db()
    return {"initiative": proposal.initiative, "proposal": proposal, "document": document}


@pytest.fixture
def sibling(saint_michel, stages, granted):
    """Another initiative of the same neighbourhood, with a draft and a document."""
    proposal = make_proposal(saint_michel, stages[1], title="Voisine")
    return {"initiative": proposal.initiative, "proposal": proposal,
            "document": upload(proposal, "autre.pdf")}


@pytest.fixture
def with_access(granted, evaluator, coordination):
    services.initiative_access_grant(initiative=granted["initiative"], user=evaluator,
                                     actor=coordination)
    return granted


def read_urls(objects) -> list[str]:
    return [url("initiative-detail", objects["initiative"].pk),
            url("proposal-detail", objects["proposal"].pk),
            url("proposal-versions", objects["proposal"].pk),
            url("document-download", objects["document"].pk)]


# --- What the evaluator reads -----------------------------------------------------------------


def test_grant_lets_the_evaluator_read_the_initiative_its_proposals_and_documents(
        client, evaluator, with_access):
    client.force_login(evaluator)
    for path in read_urls(with_access):
        assert client.get(path).status_code == 200, path


def test_the_evaluator_sees_no_button_that_writes(client, evaluator, with_access):
    client.force_login(evaluator)
    page = client.get(url("proposal-detail", with_access["proposal"].pk)).content.decode()
    assert url("proposal-withdraw", with_access["proposal"].pk) not in page
    assert url("proposal-edit", with_access["proposal"].pk) not in page
    assert reverse("proposals:neighbourhood-file", args=["saint-michel"]) not in page


def test_without_a_grant_the_evaluator_reads_nothing(client, evaluator, granted):
    client.force_login(evaluator)
    for path in read_urls(granted):
        assert client.get(path).status_code == 404, path


def test_another_initiative_of_the_same_neighbourhood_is_a_404(client, evaluator, with_access,
                                                              sibling, saint_michel):
    client.force_login(evaluator)
    for path in [*read_urls(sibling),
                 url("neighbourhood-file", saint_michel.slug)]:
        assert client.get(path).status_code == 404, path


def test_the_list_shows_only_the_granted_initiatives_proposals(client, evaluator, with_access,
                                                              sibling, verdun_draft):
    client.force_login(evaluator)
    response = client.get(url("proposal-list"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["proposals"]] == [with_access["proposal"].pk]
    assert not response.context["can_create"]


@pytest.mark.parametrize(("name", "kind"), [
    ("proposal-edit", "proposal"), ("proposal-submit", "proposal"),
    ("proposal-resubmit", "proposal"), ("proposal-withdraw", "proposal"),
    ("proposal-start-analysis", "proposal"), ("proposal-request-changes", "proposal"),
    ("document-delete", "document")])
def test_the_evaluator_cannot_write(client, evaluator, with_access, name, kind):
    client.force_login(evaluator)
    proposal = with_access["proposal"]
    before = (proposal.status, ProposalDocument.objects.count(), ProposalVersion.objects.count())
    response = client.post(url(name, with_access[kind].pk), {"title": "Changé", "message": "…"})
    assert response.status_code in (403, 404), name
    proposal.refresh_from_db()
    assert (proposal.status, ProposalDocument.objects.count(),
            ProposalVersion.objects.count()) == before
    assert proposal.title == "Accordée"


def test_the_evaluator_cannot_upload_to_a_draft(client, evaluator, granted, coordination,
                                                stages, saint_michel):
    draft = make_proposal(saint_michel, stages[2], initiative=granted["initiative"],
                          title="Brouillon")
    services.initiative_access_grant(initiative=granted["initiative"], user=evaluator,
                                     actor=coordination)
    client.force_login(evaluator)
    assert client.get(url("proposal-edit", draft.pk)).status_code == 403
    response = client.post(url("proposal-edit", draft.pk), {
        "title": "Changé", "file": SimpleUploadedFile("x.pdf", PDF)})
    assert response.status_code == 403
    assert not draft.documents.exists()
    with pytest.raises(PermissionDenied):
        services.document_upload(proposal=draft, actor=evaluator,
                                 upload=SimpleUploadedFile("x.pdf", PDF))
    with pytest.raises(PermissionDenied):
        workflow.proposal_submit(proposal=draft, actor=evaluator)


def test_revoke_is_a_404_at_once(client, evaluator, with_access, coordination):
    client.force_login(evaluator)
    assert client.get(url("proposal-detail", with_access["proposal"].pk)).status_code == 200
    services.initiative_access_revoke(initiative=with_access["initiative"], user=evaluator,
                                      actor=coordination)
    for path in read_urls(with_access):
        assert client.get(path).status_code == 404, path
    assert not client.get(url("proposal-list")).context["proposals"]


# --- Everyone else sees what they saw ---------------------------------------------------------


def test_a_grant_changes_no_one_elses_visibility(evaluator, with_access, sibling, verdun_draft,
                                                 tq_saint_michel, tq_verdun, advisor_est,
                                                 coordination):
    def seen(user):
        return (set(Proposal.objects.visible_to(user).values_list("pk", flat=True)),
                set(Initiative.objects.visible_to(user).values_list("pk", flat=True)),
                set(ProposalDocument.objects.visible_to(user).values_list("pk", flat=True)))

    saint_michel_proposals = {with_access["proposal"].pk, sibling["proposal"].pk}
    assert seen(tq_saint_michel)[0] == saint_michel_proposals
    assert seen(advisor_est)[0] == saint_michel_proposals
    assert seen(tq_verdun)[0] == {verdun_draft.pk}
    assert seen(coordination)[0] == {*saint_michel_proposals, verdun_draft.pk}
    assert seen(evaluator) == ({with_access["proposal"].pk},
                               {with_access["initiative"].pk},
                               {with_access["document"].pk})


def test_a_grant_on_another_initiative_shows_nothing_of_this_one(evaluator, with_access,
                                                                 verdun_draft):
    """Selector scoping: the granted Saint-Michel initiative only, never Verdun's."""
    assert not selectors.proposal_list(user=evaluator).filter(pk=verdun_draft.pk).exists()
    assert not Initiative.objects.visible_to(evaluator).filter(
        pk=verdun_draft.initiative_id).exists()


def test_an_inactive_evaluator_sees_nothing(evaluator, with_access):
    evaluator.is_active = False
    evaluator.save(update_fields=["is_active"])
    assert not Proposal.objects.visible_to(evaluator).exists()


# --- Who grants ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["tq_saint_michel", "advisor_est", "evaluator"])
def test_only_coordination_may_grant_or_revoke(request, granted, evaluator, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.initiative_access_grant(initiative=granted["initiative"], user=evaluator,
                                         actor=actor)
    with pytest.raises(PermissionDenied):
        services.initiative_access_revoke(initiative=granted["initiative"], user=evaluator,
                                          actor=actor)
    assert not InitiativeUserObjectPermission.objects.exists()


def test_grant_and_revoke_are_idempotent_and_audited(granted, evaluator, coordination):
    initiative = granted["initiative"]
    for _ in range(2):
        services.initiative_access_grant(initiative=initiative, user=evaluator,
                                         actor=coordination)
    assert InitiativeUserObjectPermission.objects.filter(user=evaluator).count() == 1
    assert selectors.initiative_reader_list(initiative=initiative) == [evaluator]
    for _ in range(2):
        services.initiative_access_revoke(initiative=initiative, user=evaluator,
                                          actor=coordination)
    assert not InitiativeUserObjectPermission.objects.exists()
    verbs = list(AuditEvent.objects.filter(verb__startswith="initiative.access_")
                 .order_by("pk").values_list("verb", flat=True))
    assert verbs == ["initiative.access_granted", "initiative.access_revoked"]


def test_staff_grant_from_the_initiative_page(client, coordination, granted, evaluator):
    client.force_login(coordination)
    page = client.get(url("initiative-detail", granted["initiative"].pk))
    assert "Donner accès en lecture à une personne" in page.content.decode()
    response = client.post(url("initiative-access-grant", granted["initiative"].pk),
                           {"email": "Evaluatrice@Dynamo.example.org"})
    assert response.status_code == 302
    page = client.get(url("initiative-detail", granted["initiative"].pk)).content.decode()
    assert evaluator.email in page
    assert Proposal.objects.visible_to(evaluator).filter(pk=granted["proposal"].pk).exists()


def test_granting_to_an_unknown_or_inactive_email_is_refused(client, coordination, granted,
                                                             evaluator):
    evaluator.is_active = False
    evaluator.save(update_fields=["is_active"])
    client.force_login(coordination)
    for email in ("personne@nulle-part.example.org", evaluator.email):
        response = client.post(url("initiative-access-grant", granted["initiative"].pk),
                               {"email": email}, follow=True)
        assert "Aucun compte actif" in response.content.decode()
    assert not InitiativeUserObjectPermission.objects.exists()


def test_staff_revoke_after_confirmation(client, coordination, with_access, evaluator):
    client.force_login(coordination)
    revoke = url("initiative-access-revoke", with_access["initiative"].pk)
    confirm = client.get(revoke, {"user": evaluator.pk})
    assert confirm.status_code == 200
    assert "Oui, retirer l'accès" in confirm.content.decode()
    assert InitiativeUserObjectPermission.objects.exists()  # a GET changes nothing
    assert client.post(revoke, {"user": evaluator.pk}).status_code == 302
    assert not InitiativeUserObjectPermission.objects.exists()


@pytest.mark.parametrize("who", ["tq_saint_michel", "advisor_est", "evaluator"])
def test_only_coordination_may_use_the_access_pages(client, request, with_access, evaluator,
                                                    who):
    client.force_login(request.getfixturevalue(who))
    initiative = with_access["initiative"]
    page = client.get(url("initiative-detail", initiative.pk)).content.decode()
    assert url("initiative-access-grant", initiative.pk) not in page
    assert client.post(url("initiative-access-grant", initiative.pk),
                       {"email": "tq.saint-michel@example.org"}).status_code == 403
    revoke = url("initiative-access-revoke", initiative.pk)
    assert client.get(revoke, {"user": evaluator.pk}).status_code == 403
    assert client.post(revoke, {"user": evaluator.pk}).status_code == 403
    assert InitiativeUserObjectPermission.objects.filter(user=evaluator).count() == 1


# --- Queries ---------------------------------------------------------------------------------


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_evaluators_list_runs_the_members_number_of_queries(
        client, evaluator, tq_saint_michel, with_access, saint_michel, stages,
        django_assert_max_num_queries):
    initiative = with_access["initiative"]
    client.force_login(tq_saint_michel)
    members = count_queries(client, url("proposal-list"))
    client.force_login(evaluator)
    small = count_queries(client, url("proposal-list"))
    assert small <= members
    for i in range(20):
        make_proposal(saint_michel, stages[1], initiative=initiative, title=f"P{i}")
    with django_assert_max_num_queries(small):
        response = client.get(url("proposal-list"))
    assert len(response.context["proposals"]) == 21


def test_an_evaluator_home_lists_the_initiatives_they_may_read(client, db):
    from django.urls import reverse

    from proposals import services as proposal_services
    from proposals.models import Initiative, Program
    from tests import factories

    coordination = factories.make_coordination()
    neighbourhood = factories.NeighbourhoodFactory(name="Anjou")
    program = Program.objects.create(name="PIC", slug="pic", starts_on="2021-01-01",
                                     ends_on="2026-12-31")
    initiative = Initiative.objects.create(neighbourhood=neighbourhood, program=program,
                                           title="Mobilité active", desired_change="…")
    evaluator = factories.UserFactory(email="evaluatrice@example.org")
    proposal_services.initiative_access_grant(initiative=initiative, user=evaluator,
                                              actor=coordination)
    client.force_login(evaluator)
    body = client.get(reverse("home")).content.decode()
    assert "Mobilité active" in body
    assert reverse("proposals:initiative-detail", args=[initiative.pk]) in body
