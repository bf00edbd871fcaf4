"""Every success message of a proposal transition, in English for a person who chose English
(translated at request time)."""

from django.contrib.messages import get_messages
from django.urls import reverse

from proposals import workflow
from proposals.models import Proposal
from tests.factories import english


def _said(client, name, proposal, data=None) -> list[str]:
    response = client.post(reverse(f"proposals:{name}", args=[proposal.pk]), data or {})
    assert response.status_code == 302, response.content[:500]
    # The messages not shown yet pile up in the session: this action's is the last.
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_the_neighbourhoods_transitions_say_so_inenglish(client, draft, tq_saint_michel,
                                                          advisor_est):
    client.force_login(english(tq_saint_michel))
    assert _said(client, "proposal-submit", draft) == [
        "Proposal submitted. An acknowledgement of receipt was emailed to your round table "
        "and your advisor."]
    workflow.proposal_start_analysis(proposal=draft, actor=advisor_est)
    workflow.proposal_request_changes(proposal=draft, actor=advisor_est, message="Précisez")
    assert _said(client, "proposal-resubmit", draft) == [
        "Proposal resubmitted. An acknowledgement of receipt was sent by email."]
    assert _said(client, "proposal-withdraw", draft) == ["Proposal withdrawn."]
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.WITHDRAWN


def test_the_advisors_transitions_say_so_inenglish(client, draft, tq_saint_michel, advisor_est):
    workflow.proposal_submit(proposal=draft, actor=tq_saint_michel)
    client.force_login(english(advisor_est))
    assert _said(client, "proposal-start-analysis", draft) == ["Analysis started."]
    assert _said(client, "proposal-request-changes", draft, {"message": "Précisez"}) == [
        "Changes requested from the neighbourhood."]


def test_the_confirmation_page_speaksenglish(client, draft, tq_saint_michel):
    client.force_login(english(tq_saint_michel))
    page = client.get(reverse("proposals:proposal-withdraw", args=[draft.pk])).content.decode()
    assert "Yes, withdraw the proposal" in page
    assert "Cancel" in page
