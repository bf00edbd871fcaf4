"""Law 25 retention: `retention_apply` anonymises people inactive for the configured years,
keeps decision and financial records pointing to them, deletes what has expired; a dry run
changes nothing."""

import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from governance.models import AgendaItem, CommitteeMember, Meeting, Vote
from neighbourhoods.models import Invitation, Membership
from pic.access import SYSTEM
from pic.models import AuditEvent, ConfidentialityIncident, Consent, User
from pic.privacy import services
from pic.privacy.retention import ANONYMOUS_NAME
from pic.tasks import apply_retention_policy
from reporting.models import ReminderPreference
from tests import factories
from tests.governance.conftest import make_proposal
from tests.pic.test_privacy import factories_stage

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=365 * 8)
RECENTLY = timezone.now() - datetime.timedelta(days=30)


def session_for(user, *, expires=None) -> str:
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    if expires is not None:
        Session.objects.filter(session_key=store.session_key).update(expire_date=expires)
    return store.session_key


@pytest.fixture
def world(saint_michel, coordination):
    """An old member (last login eight years ago) who voted and holds everything a person can
    hold; a recent one; an expired invitation and an incident."""
    old = factories.make_member(saint_michel, email="ancienne@example.org",
                                full_name="Odette Ancienne")
    User.objects.filter(pk=old.pk).update(last_login=LONG_AGO, date_joined=LONG_AGO)
    recent = factories.make_member(saint_michel, email="recente@example.org")
    User.objects.filter(pk=recent.pk).update(last_login=RECENTLY, date_joined=LONG_AGO)
    never = factories.UserFactory(email="jamais@example.org")  # joined long ago, never came
    User.objects.filter(pk=never.pk).update(last_login=None, date_joined=LONG_AGO)

    committee = factories.CommitteeFactory()
    from governance import services as governance_services

    seat = governance_services.committee_member_seat(
        committee=committee, user=old, organisation=factories.OrganisationFactory(), actor=SYSTEM)
    proposal = make_proposal(saint_michel, factories_stage(), title="Décision ancienne")
    meeting = Meeting.objects.create(committee=committee, title="Rencontre",
                                     held_on=datetime.date(2018, 5, 1))
    item = AgendaItem.objects.create(meeting=meeting, proposal=proposal)
    vote = Vote.objects.create(item=item, member=seat, choice=Vote.Choice.FOR)
    Authenticator.objects.create(user=old, type=Authenticator.Type.TOTP, data={"secret": "S"})
    services.consent_give(user=old, purpose=Consent.Purpose.NEWS, actor=old)
    ReminderPreference.objects.create(user=old)
    sessions = {"old": session_for(old), "recent": session_for(recent),
                "expired": session_for(recent, expires=timezone.now()
                                       - datetime.timedelta(days=1))}
    stale = Invitation.objects.create(email="jamais.venue@example.org",
                                      kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER,
                                      neighbourhood=saint_michel, invited_by=coordination)
    Invitation.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60))
    fresh = Invitation.objects.create(email="bientot@example.org",
                                      kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER,
                                      neighbourhood=saint_michel, invited_by=coordination)
    incident = ConfidentialityIncident.objects.create(
        summary="Courriel mal adressé", information_involved="Noms", circumstances="Erreur",
        occurred_on=datetime.date(2019, 1, 2), discovered_on=datetime.date(2019, 1, 3),
        people_affected=3, risk_assessment="Faible", measures_taken="Rappel",
        recorded_by=coordination)
    return {"old": old, "recent": recent, "never": never, "vote": vote, "seat": seat,
            "sessions": sessions, "stale": stale, "fresh": fresh, "incident": incident,
            "proposal": proposal}


def snapshot():
    return {
        "users": list(User.objects.order_by("pk").values_list(
            "pk", "email", "full_name", "password", "is_active", "anonymised_at")),
        "sessions": sorted(Session.objects.values_list("session_key", flat=True)),
        "emails": EmailAddress.objects.count(), "mfa": Authenticator.objects.count(),
        "consents": Consent.objects.count(), "invitations": Invitation.objects.count(),
        "memberships": list(Membership.objects.values_list("pk", "ended_at")),
        "audit": AuditEvent.objects.count(),
    }


def test_a_dry_run_lists_what_it_would_do_and_changes_nothing(world):
    before = snapshot()
    out = StringIO()
    call_command("retention_apply", "--dry-run", stdout=out)
    assert snapshot() == before
    text = out.getvalue()
    assert "Would anonymise 2 person(s)" in text
    assert f"user {world['old'].pk} " in text
    assert f"user {world['never'].pk} " in text
    assert f"user {world['recent'].pk} " not in text
    assert "Would delete 1 expired invitations" in text
    assert "Would delete 1 expired sessions" in text
    assert "Dry run: nothing was changed." in text


def test_a_real_run_anonymises_only_the_inactive(world):
    out = StringIO()
    call_command("retention_apply", stdout=out)
    old, recent = User.objects.get(pk=world["old"].pk), User.objects.get(pk=world["recent"].pk)
    assert old.full_name == ANONYMOUS_NAME == "Personne anonymisée"
    assert old.email == f"anonymised-{old.pk}@invalid"
    assert not old.has_usable_password()
    assert not old.is_active
    assert old.anonymised_at
    assert not EmailAddress.objects.filter(user=old).exists()
    assert not Authenticator.objects.filter(user=old).exists()
    assert not Consent.objects.filter(user=old).exists()
    assert not ReminderPreference.objects.filter(user=old).exists()
    assert not Session.objects.filter(session_key=world["sessions"]["old"]).exists()
    assert not Membership.objects.active().filter(user=old).exists()
    assert CommitteeMember.objects.get(pk=world["seat"].pk).ended_on is not None
    assert User.objects.get(pk=world["never"].pk).anonymised_at is not None
    # the recent person is untouched
    assert recent.email == "recente@example.org"
    assert recent.is_active
    assert recent.has_usable_password()
    assert Session.objects.filter(session_key=world["sessions"]["recent"]).exists()
    assert Membership.objects.active().filter(user=recent).exists()
    # expired things are gone, current ones stay
    assert not Session.objects.filter(session_key=world["sessions"]["expired"]).exists()
    assert not Invitation.objects.filter(pk=world["stale"].pk).exists()
    assert Invitation.objects.filter(pk=world["fresh"].pk).exists()
    # one summary event, one per person
    summary = AuditEvent.objects.get(verb="privacy.retention_applied")
    assert summary.details["anonymised"] == 2
    assert summary.details["expired_invitations"] == 1
    assert AuditEvent.objects.filter(verb="privacy.person_anonymised").count() == 2
    assert "Anonymised 2 person(s)" in out.getvalue()


def test_decision_and_financial_records_stay_pointing_to_the_anonymised_person(world):
    events_before = set(AuditEvent.objects.filter(actor=world["old"]).values_list("pk", "hash"))
    call_command("retention_apply", stdout=StringIO())
    vote = Vote.objects.select_related("member__user").get(pk=world["vote"].pk)
    assert vote.choice == Vote.Choice.FOR
    assert vote.member.user.full_name == "Personne anonymisée"
    assert ConfidentialityIncident.objects.filter(pk=world["incident"].pk).exists()
    # the audit log is not rewritten: same events, same hashes, chain intact
    assert set(AuditEvent.objects.filter(actor=world["old"]).values_list("pk", "hash")) \
        == events_before
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "Audit chain intact" in out.getvalue()


def test_a_second_run_has_nothing_left_to_do(world):
    call_command("retention_apply", stdout=StringIO())
    out = StringIO()
    call_command("retention_apply", "--dry-run", stdout=out)
    assert "Would anonymise 0 person(s)" in out.getvalue()


def test_the_period_comes_from_the_settings(world, settings):
    settings.PIC_RETENTION_INACTIVE_YEARS = 10
    call_command("retention_apply", stdout=StringIO())
    assert User.objects.get(pk=world["old"].pk).anonymised_at is None


def test_the_beat_task_applies_the_policy(world):
    from pic.schedule import BEAT_SCHEDULE

    assert any(entry["task"] == "pic.tasks.apply_retention_policy"
               for entry in BEAT_SCHEDULE.values())
    result = apply_retention_policy.delay().get()
    assert result["anonymised"] == 2
    assert User.objects.get(pk=world["old"].pk).anonymised_at is not None


def test_withdrawn_consents_older_than_the_period_are_deleted(world):
    consent = services.consent_give(user=world["recent"], purpose="surveys",
                                    actor=world["recent"])
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=LONG_AGO)
    kept = services.consent_give(user=world["recent"], purpose="news", actor=world["recent"])
    call_command("retention_apply", stdout=StringIO())
    assert not Consent.objects.filter(pk=consent.pk).exists()
    assert Consent.objects.filter(pk=kept.pk).exists()
