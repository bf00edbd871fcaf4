import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from neighbourhoods import services
from neighbourhoods.models import Invitation, Membership, Neighbourhood
from pic.models import AuditEvent


def invite(client, coordination, django_capture_on_commit_callbacks, **data):
    client.force_login(coordination)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("neighbourhoods:invitation-create"), data)
    client.logout()
    return response


def link_in_last_email() -> str:
    return re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)


def test_invitee_sets_password_and_lands_in_their_neighbourhood(
        client, coordination, saint_michel, django_capture_on_commit_callbacks):
    invite(client, coordination, django_capture_on_commit_callbacks,
           email="Nouvelle@Example.org", kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER,
           neighbourhood=saint_michel.pk)
    assert mail.outbox[-1].to == ["nouvelle@example.org"]
    link = link_in_last_email()

    response = client.post(link, {"full_name": "Nouvelle Personne",
                                  "password1": "Quartier-Solidaire-2026",
                                  "password2": "Quartier-Solidaire-2026"})

    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nouvelle@example.org")
    assert membership.neighbourhood == saint_michel
    assert list(Neighbourhood.objects.visible_to(membership.user)) == [saint_michel]
    assert client.login(email="nouvelle@example.org", password="Quartier-Solidaire-2026")
    assert AuditEvent.objects.filter(verb="invitation.accepted").exists()


def test_invitation_link_works_once(client, coordination, saint_michel,
                                    django_capture_on_commit_callbacks):
    invite(client, coordination, django_capture_on_commit_callbacks,
           email="a@example.org", kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER,
           neighbourhood=saint_michel.pk)
    link = link_in_last_email()
    data = {"full_name": "A", "password1": "Quartier-Solidaire-2026",
            "password2": "Quartier-Solidaire-2026"}
    client.post(link, data)
    client.logout()
    assert client.get(link).status_code == 410


def test_expired_invitation_is_refused(coordination, saint_michel, settings):
    invitation = services.invitation_create(
        email="b@example.org", kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER,
        neighbourhood=saint_michel, actor=coordination)
    token = services.invitation_token(invitation)
    settings.PIC_INVITATION_MAX_AGE_DAYS = -1
    with pytest.raises(ValidationError, match="expiré"):
        services.invitation_from_token(token)


def test_forged_token_is_refused(client, db):
    assert client.get(reverse("neighbourhoods:invitation-accept", args=["42:abc:def"])
                      ).status_code == 410


def test_mismatched_passwords_keep_the_name_typed(client, coordination, saint_michel):
    invitation = services.invitation_create(
        email="c@example.org", kind=Invitation.Kind.NEIGHBOURHOOD_MEMBER,
        neighbourhood=saint_michel, actor=coordination)
    url = reverse("neighbourhoods:invitation-accept",
                  args=[services.invitation_token(invitation)])
    response = client.post(url, {"full_name": "Camille Tremblay",
                                 "password1": "Quartier-Solidaire-2026",
                                 "password2": "autre-chose-2026"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Camille Tremblay" in body
    assert "identiques" in body
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_neighbourhood_role_needs_a_neighbourhood(client, coordination,
                                                  django_capture_on_commit_callbacks):
    response = invite(client, coordination, django_capture_on_commit_callbacks,
                      email="d@example.org", kind=Invitation.Kind.NEIGHBOURHOOD_COORDINATOR)
    assert response.status_code == 200
    assert "Choisissez le quartier" in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_coordination_staff_invite(client, tq_saint_michel, saint_michel):
    client.force_login(tq_saint_michel)
    response = client.post(reverse("neighbourhoods:invitation-create"),
                           {"email": "e@example.org", "kind": "advisor"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_advisor_invitation_grants_the_neighbourhood(coordination, saint_michel):
    invitation = services.invitation_create(
        email="f@example.org", kind=Invitation.Kind.ADVISOR, neighbourhood=saint_michel,
        actor=coordination)
    user = services.invitation_accept(invitation=invitation, password="Quartier-Solidaire-2026")
    assert list(Neighbourhood.objects.visible_to(user)) == [saint_michel]


def test_committee_seat_invitation_seats_the_person(coordination):
    from governance.models import Committee
    from tests.factories import CommitteeFactory, OrganisationFactory

    committee = CommitteeFactory(kind=Committee.Kind.GESTION)
    organisation = OrganisationFactory()
    invitation = services.invitation_create(
        email="g@example.org", kind=Invitation.Kind.COMMITTEE_SEAT, organisation=organisation,
        target={"committee": committee.pk}, actor=coordination)
    user = services.invitation_accept(invitation=invitation, password="Quartier-Solidaire-2026")
    seat = user.committee_seats.get()
    assert (seat.committee, seat.organisation) == (committee, organisation)
