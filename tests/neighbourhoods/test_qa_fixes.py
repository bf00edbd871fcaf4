"""QA findings: who may list the neighbourhoods, and the audit log in words."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from neighbourhoods import services
from neighbourhoods.models import Membership, StaffRole
from pic import audit_labels
from pic.access import SYSTEM
from pic.audit import audit
from pic.models import AuditEvent
from tests import factories

ROOT = Path(__file__).resolve().parent.parent.parent


# --- /quartiers/ ---------------------------------------------------------------------------


def test_a_committee_only_member_gets_403_on_the_neighbourhood_list(client, db):
    seat = factories.make_committee_member(email="gestion.chagnon@example.org")
    client.force_login(seat.user)
    assert client.get(reverse("neighbourhoods:neighbourhood-list")).status_code == 403


def test_a_partner_gets_403_on_the_neighbourhood_list(client, db):
    partner = factories.UserFactory()
    services.staff_role_grant(user=partner, role=StaffRole.Role.PARTNER, actor=SYSTEM)
    client.force_login(partner)
    assert client.get(reverse("neighbourhoods:neighbourhood-list")).status_code == 403


@pytest.mark.parametrize("who", ["coordination", "advisor_est"])
def test_coordination_and_advisors_list_the_neighbourhoods(client, request, who, saint_michel):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("neighbourhoods:neighbourhood-list"))
    assert response.status_code == 200
    assert saint_michel in response.context["neighbourhoods"]


# --- Audit log in words ---------------------------------------------------------------------


def _written_verbs() -> set[str]:
    """Every verb the apps pass to audit(): literal strings, both branches of a conditional,
    and the transitions' f-strings expanded from their tables."""
    from proposals.workflow import TRANSITIONS as PROPOSAL_TRANSITIONS
    from reporting.services.amendments import TRANSITIONS as AMENDMENT_TRANSITIONS
    from reporting.services.reports import TRANSITIONS as REPORT_TRANSITIONS

    verbs = {f"proposal.{t}" for t in PROPOSAL_TRANSITIONS}
    verbs |= {f"report.{t}" for t in REPORT_TRANSITIONS}
    verbs |= {f"amendment.{t}" for t in AMENDMENT_TRANSITIONS}
    verbs |= {f"{m}.{v}" for m in ("program", "stage", "prerequisiteitem", "window")
              for v in ("created", "changed")}
    for app in ("pic", "neighbourhoods", "proposals", "governance", "reporting"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and len(node.args) >= 2 and getattr(
                        node.func, "id", getattr(node.func, "attr", None)) == "audit"):
                    continue
                verb = node.args[1]
                options = [verb.body, verb.orelse] if isinstance(verb, ast.IfExp) else [verb]
                verbs |= {o.value for o in options if isinstance(o, ast.Constant)}
    return verbs


def test_every_verb_written_has_a_label():
    missing = _written_verbs() - set(audit_labels.VERB_LABELS)
    assert missing == set()


def test_an_unknown_verb_reads_as_its_code():
    assert audit_labels.verb_label("something.new") == "something.new"


def test_details_read_in_words_with_status_labels():
    with translation.override("fr"):
        pairs = audit_labels.details_display(  # "de" first, whatever the stored order
            "proposal.start_analysis", {"after": "in_analysis", "before": "submitted"})
        assert pairs == [("de", "Déposée"), ("à", "En analyse")]
        assert audit_labels.details_display("report.submit", {"after": "submitted"}) == [
            ("à", "Remis")]
        assert audit_labels.details_display("vote.cast", {"choice": "for", "x": 3}) == [
            ("choix", "Pour"), ("x", "3")]


def test_the_log_shows_labels_not_codes(client, coordination, tq_saint_michel):
    membership = Membership.objects.get(user=tq_saint_michel)
    services.membership_end(membership=membership, actor=coordination)
    audit(coordination, "proposal.start_analysis", None, before="submitted",
          after="in_analysis")
    client.force_login(coordination)
    html = client.get(reverse("neighbourhoods:audit-log")).content.decode()
    assert "Membre retiré·e d&#x27;une table" in html or "Membre retiré·e d'une table" in html
    assert "<code>membership.ended</code>" not in html
    assert "before" not in html
    assert "Déposée" in html
    assert "En analyse" in html


def test_the_log_filters_by_action(client, coordination, tq_saint_michel, saint_michel):
    membership = Membership.objects.get(user=tq_saint_michel)
    services.membership_end(membership=membership, actor=coordination)
    client.force_login(coordination)
    response = client.get(reverse("neighbourhoods:audit-log"), {"action": "membership.ended"})
    events = list(response.context["events"])
    assert events
    assert {e.verb for e in events} == {"membership.ended"}
    assert AuditEvent.objects.exclude(verb="membership.ended").exists()
