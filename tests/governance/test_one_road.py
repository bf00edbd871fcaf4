"""One road to each decision: a proposal becomes recommended (or not) only when the committee's
vote is closed (`item_close`), and ratified only through `ratification_record`. Every URL
pattern and every admin action is tried as coordination staff (and the admin as a superuser):
none reaches « Recommandée » or « Entérinée »."""

import datetime

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from governance import services
from governance.models import Ratification
from proposals.models import Proposal
from tests import factories
from tests.test_tenant_isolation import walk

S = Proposal.Status
DECIDED = {S.RECOMMENDED, S.NOT_RECOMMENDED, S.RATIFIED, S.LETTER_SENT}
# Everything a form of the app could ask for, so that no view refuses for a missing field.
EVERYTHING = {"ratified_on": "2026-01-15", "choice": "for", "reasons": "Motifs", "message": "Oui",
              "details": "Conflit", "status": S.RATIFIED, "result": "recommended", "then": "submit",
              "title": "Titre", "submit": "1"}


def _kwargs(pattern, proposal) -> dict:
    values = {"slug": proposal.neighbourhood.slug, "file_format": "csv", "kind": "proposals"}
    return {arg: values.get(arg, proposal.pk) for arg in pattern.args}


def _post_everywhere(client: Client, proposal: Proposal) -> list[str]:
    tried = []
    for pattern in walk():
        if pattern.key.startswith("admin:") or ":" not in pattern.key:
            continue
        try:
            url = reverse(pattern.key, kwargs=_kwargs(pattern, proposal))
        except NoReverseMatch:
            continue
        client.post(url, {**EVERYTHING, "proposal": proposal.pk})
        proposal.refresh_from_db()
        assert proposal.status not in DECIDED, f"POST {url} decided the proposal"
        tried.append(pattern.key)
    return tried


@pytest.fixture
def staff_client(coordination):
    client = Client(raise_request_exception=False)
    client.force_login(coordination)
    return client


def test_no_url_decides_a_proposal_in_analysis(staff_client, proposal, chair, partenaires):
    """Every named URL, every int argument the proposal's id: no page decides it (closing a
    vote needs an agenda item, and the committee's quorum)."""
    tried = _post_everywhere(staff_client, proposal)
    assert "governance:item-vote" in tried
    assert "governance:ratification-record" in tried
    assert "proposals:proposal-start-analysis" in tried
    assert not Ratification.objects.exists()


def test_the_proposal_page_offers_no_decision(staff_client, proposal):
    page = staff_client.get(reverse("proposals:proposal-detail", args=[proposal.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Recommander" not in text
    assert "Entériner" not in text
    for name in ("proposal-recommend", "proposal-not-recommend", "proposal-ratify"):
        with pytest.raises(NoReverseMatch):
            reverse(f"proposals:{name}", args=[proposal.pk])


def test_no_admin_action_or_form_changes_a_status(proposal, coordination):
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    proposal_admin = admin.site._registry[Proposal]
    request = type("R", (), {"user": superuser, "GET": {}, "POST": {}})()
    assert not proposal_admin.has_change_permission(request, proposal)
    assert not proposal_admin.has_add_permission(request)
    assert not proposal_admin.has_delete_permission(request, proposal)
    custom = {(model._meta.label, name) for model, model_admin in admin.site._registry.items()
              for name, _label in model_admin.get_action_choices(request, default_choices=[])
              if name != "delete_selected"}
    custom -= {("account.EmailAddress", "make_verified")}  # allauth's: an address, not a file
    assert not custom, "a new admin action: show here that it cannot decide a proposal"
    assert proposal_admin.get_action_choices(request, default_choices=[]) == [] or \
        not proposal_admin.has_delete_permission(request, proposal)
    change = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    client.post(change, {"status": S.RATIFIED, "title": proposal.title})
    client.post(reverse("admin:proposals_proposal_changelist"),
                {"action": "delete_selected", "_selected_action": [proposal.pk]})
    proposal.refresh_from_db()
    assert proposal.status == S.IN_ANALYSIS


def _everyone_votes_for(item, chair, *members) -> Client:
    """Everyone present votes for; returns the chair's browser."""
    services.attendance_set(meeting=item.meeting, actor=chair.user, present=[chair, *members])
    for seat in (chair, *members):
        services.vote_cast(item=item, actor=seat.user, choice="for")
    client = Client()
    client.force_login(chair.user)
    return client


def test_only_the_committee_and_the_ratification_decide(proposal, item, chair, member, member2,
                                                        coordination, partenaires,
                                                        django_capture_on_commit_callbacks):
    chair_client = _everyone_votes_for(item, chair, member, member2)
    chair_client.post(reverse("governance:item-close", args=[item.pk]), {"reasons": "Oui"})
    proposal.refresh_from_db()
    assert proposal.status == S.RECOMMENDED
    staff = Client()
    staff.force_login(coordination)
    with django_capture_on_commit_callbacks(execute=False):
        staff.post(reverse("governance:ratification-record", args=[proposal.pk]),
                   {"ratified_on": (timezone.localdate() - datetime.timedelta(1)).isoformat()})
    proposal.refresh_from_db()
    assert proposal.status == S.RATIFIED
    assert Ratification.objects.get(proposal=proposal).recorded_by == coordination


def test_a_double_click_on_the_confirmations_is_harmless(proposal, item, chair, member, member2,
                                                         coordination, partenaires,
                                                         django_capture_on_commit_callbacks):
    from pic.models import AuditEvent
    from reporting.models import Allocation

    chair_client = _everyone_votes_for(item, chair, member, member2)
    close = reverse("governance:item-close", args=[item.pk])
    for _click in range(2):
        assert chair_client.post(close, {"reasons": "Oui"}).status_code == 302
    assert AuditEvent.objects.filter(verb="agenda_item.closed").count() == 1
    assert AuditEvent.objects.filter(verb="proposal.recommend").count() == 1
    staff = Client()
    staff.force_login(coordination)
    ratify = reverse("governance:ratification-record", args=[proposal.pk])
    yesterday = (timezone.localdate() - datetime.timedelta(1)).isoformat()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for _click in range(2):
            assert staff.post(ratify, {"ratified_on": yesterday}).status_code == 302
    assert Ratification.objects.filter(proposal=proposal).count() == 1
    assert Allocation.objects.filter(proposal=proposal).count() == 1
    # one letter queued (the money cache's refresh, one per transaction, is not a side effect
    # of the double click)
    assert len([c for c in callbacks if not getattr(c, "pic_cache_forget", False)]) == 1
