"""Quebec Law 25: a person's own data (JSON and CSV), consents, the privacy page."""

import csv
import io
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from governance.models import AgendaItem, Meeting, Vote
from neighbourhoods.models import Invitation
from pic.access import SYSTEM
from pic.models import AuditEvent, Consent
from pic.privacy import services
from proposals.models import Contact
from reporting.models import ReminderPreference
from tests import factories
from tests.governance.conftest import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_people(saint_michel, verdun, coordination):
    """Saint-Michel's coordinator and Verdun's, who both sit on a committee and voted."""
    mine = factories.make_member(saint_michel, email="moi@example.org", full_name="Aline Moi")
    other = factories.make_member(verdun, email="autre@example.org", full_name="Bruno Autre")
    committee = factories.CommitteeFactory()
    stage_program = factories_stage()
    proposal = make_proposal(saint_michel, stage_program, title="Proposition votée")
    meeting = Meeting.objects.create(committee=committee, title="Rencontre de juin",
                                     held_on=timezone.localdate())
    item = AgendaItem.objects.create(meeting=meeting, proposal=proposal)
    for person, choice, place in ((mine, Vote.Choice.FOR, saint_michel),
                                  (other, Vote.Choice.AGAINST, verdun)):
        from governance import services as governance_services

        seat = governance_services.committee_member_seat(
            committee=committee, user=person, organisation=factories.OrganisationFactory(),
            actor=SYSTEM)
        Vote.objects.create(item=item, member=seat, choice=choice)
        Contact.objects.create(neighbourhood=place, date=timezone.localdate(),
                               kind=Contact.Kind.OTHER, summary=f"Échange noté par {person}",
                               recorded_by=person)
        ReminderPreference.objects.create(user=person, window_closing=False)
    services.consent_give(user=mine, purpose=Consent.Purpose.NEWS, actor=mine)
    services.consent_give(user=other, purpose=Consent.Purpose.SURVEYS, actor=other)
    Invitation.objects.create(email=mine.email, kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER,
                              neighbourhood=saint_michel, invited_by=coordination)
    return mine, other


def factories_stage():
    import datetime
    from decimal import Decimal

    from proposals.models import Program, Stage

    program = Program.objects.create(name="PIC", slug="pic", starts_on=datetime.date(2021, 1, 1),
                                     ends_on=datetime.date(2026, 12, 31))
    return Stage.objects.create(program=program, number=1, name="Planification",
                                normal_duration_years=1, max_duration_years=2,
                                min_yearly_amount=Decimal("25000"),
                                max_yearly_amount=Decimal("50000"))


def sections_of(document: dict) -> dict:
    return {s["key"]: s["rows"] for s in document["sections"]}


def test_a_person_downloads_their_own_data_as_json(client, two_people):
    mine, other = two_people
    client.force_login(mine)
    response = client.get(reverse("privacy:my-data-json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    sections = sections_of(document)
    assert sections["account"][0]["email"] == "moi@example.org"
    assert [m["neighbourhood"] for m in sections["memberships"]] == ["Saint-Michel"]
    assert [v["vote"] for v in sections["votes"]] == ["Pour"]
    assert sections["votes"][0]["proposal"] == "Proposition votée"
    assert len(sections["committee_seats"]) == 1
    assert [c["summary"] for c in sections["contacts"]] == ["Échange noté par Aline Moi"]
    assert [c["purpose"] for c in sections["consents"]] == ["Nouvelles et événements du PIC"]
    assert sections["notification_preferences"][0] == {
        "window_closing": False, "report_due_early": True, "checkin_due": True}
    assert [i["email"] for i in sections["invitations"]] == ["moi@example.org"]
    assert {e["action"] for e in sections["audit_events"]} >= {"Consentement donné"}
    assert AuditEvent.objects.filter(actor=mine, verb="privacy.data_exported").exists()
    body = response.content.decode()
    for trace in ("Bruno Autre", "autre@example.org", "Verdun", "Contre", "Sondages"):
        assert trace not in body, trace


def test_a_person_downloads_their_own_data_as_csv(client, two_people):
    mine, other = two_people
    client.force_login(other)
    response = client.get(reverse("privacy:my-data-csv"))
    assert response.status_code == 200
    assert response.streaming  # sent row by row (pic.spreadsheets.streaming_csv_response)
    content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "record", "field", "value"]
    assert ["account", "1", "email", "autre@example.org"] in rows
    assert ["votes", "1", "vote", "Contre"] in rows
    assert ["memberships", "1", "neighbourhood", "Verdun"] in rows
    body = content.decode("utf-8-sig")
    for trace in ("Aline Moi", "moi@example.org", "Saint-Michel"):
        assert trace not in body, trace


def test_the_data_page_lists_what_the_download_holds(client, two_people):
    mine, _other = two_people
    client.force_login(mine)
    response = client.get(reverse("privacy:my-data"))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("privacy:my-data-json") in page
    assert reverse("privacy:my-data-csv") in page
    assert "Votes" in page
    assert "Sièges aux comités" in page
    assert client.get(reverse("account_change_password")).content.decode().count(
        reverse("privacy:my-data")) >= 1


def test_the_download_needs_a_login(client):
    response = client.get(reverse("privacy:my-data-json"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_second_factor_secret_never_leaves(client, tq_saint_michel):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=tq_saint_michel, type=Authenticator.Type.TOTP,
                                 data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(tq_saint_michel)
    body = client.get(reverse("privacy:my-data-json")).content.decode()
    assert "JBSWY3DPEHPK3PXP" not in body
    assert "TOTP" in body


# --- Consents ---------------------------------------------------------------------------------


def test_no_consent_until_the_person_gives_it(tq_saint_michel):
    assert not Consent.objects.filter(user=tq_saint_michel).exists()
    assert not services.has_consent(user=tq_saint_michel, purpose=Consent.Purpose.NEWS)
    assert all(p["consent"] is None for p in services.consent_list(user=tq_saint_michel))


def test_a_person_gives_then_withdraws_a_consent(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    page = client.get(reverse("privacy:consents")).content.decode()
    assert "pas de consentement" in page
    response = client.post(reverse("privacy:consents"), {"purpose": "news", "action": "give"})
    assert response.status_code == 302
    consent = Consent.objects.get(user=tq_saint_michel, purpose="news")
    assert consent.version == services.CONSENT_TEXTS[Consent.Purpose.NEWS][0]
    assert consent.withdrawn_at is None
    assert consent.given_at is not None
    assert services.has_consent(user=tq_saint_michel, purpose="news")
    assert not services.has_consent(user=tq_saint_michel, purpose="surveys")

    client.post(reverse("privacy:consents"), {"purpose": "news", "action": "withdraw"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert not services.has_consent(user=tq_saint_michel, purpose="news")
    verbs = list(AuditEvent.objects.for_object(consent).order_by("sequence")
                 .values_list("verb", flat=True))
    assert verbs == ["consent.given", "consent.withdrawn"]
    # giving twice is harmless; a second giving after a withdrawal is a new record
    services.consent_give(user=tq_saint_michel, purpose="news", actor=tq_saint_michel)
    services.consent_give(user=tq_saint_michel, purpose="news", actor=tq_saint_michel)
    assert Consent.objects.filter(user=tq_saint_michel, purpose="news").count() == 2


def test_nobody_gives_consent_for_someone_else(tq_saint_michel, coordination):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.consent_give(user=tq_saint_michel, purpose="news", actor=coordination)
    assert not Consent.objects.exists()


def test_an_unknown_choice_changes_nothing(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    client.post(reverse("privacy:consents"), {"purpose": "ads", "action": "give"})
    assert not Consent.objects.exists()


# --- The privacy page -------------------------------------------------------------------------


def test_the_privacy_page_is_public_and_names_the_person_in_charge(client, settings):
    settings.PIC_PRIVACY_OFFICER_NAME = "Camille Gardienne"
    settings.PIC_PRIVACY_OFFICER_EMAIL = "rprp@centraide.example"
    settings.PIC_RETENTION_INACTIVE_YEARS = 6
    response = client.get(reverse("privacy:policy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Camille Gardienne" in page
    assert "mailto:rprp@centraide.example" in page
    assert "depuis 6 ans est anonymisé" in page
    assert "au moins 5 ans" in page
    assert "Commission d'accès à l'information" in page or "Commission d&#x27;accès" in page
    for right in ("Accès et portabilité", "Rectification", "Retrait du consentement", "Plainte"):
        assert right in page


def test_the_privacy_page_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("privacy:policy")).content.decode()
    assert "Protection of personal information" in page
    assert "person in charge of the protection of personal information" in page
    assert "Access and portability" in page


def test_every_page_and_the_login_page_link_to_the_privacy_page(client, tq_saint_michel):
    url = reverse("privacy:policy")
    assert f'href="{url}"' in client.get(reverse("account_login")).content.decode()
    client.force_login(tq_saint_michel)
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()


def test_settings_have_demo_defaults():
    assert settings.PIC_PRIVACY_OFFICER_EMAIL
    assert settings.PIC_PRIVACY_OFFICER_NAME
    assert settings.PIC_RETENTION_INACTIVE_YEARS == 7


def test_the_logout_form_clears_the_browser_drafts(client, tq_saint_michel):
    """The hook pic.js uses (tests/browser/test_privacy_drafts.py drives it in Chromium)."""
    client.force_login(tq_saint_michel)
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("account_logout")}" method="post" class="inline" ' \
           f'data-pic-clear-drafts' in page
    assert f'data-pic-user="{tq_saint_michel.pk}"' in page
