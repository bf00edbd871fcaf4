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


# An invitation to an address that already has an account ----------------------------------


def existing_invitation(coordination, user, kind=Invitation.Kind.ADVISOR, **extra):
    invitation = services.invitation_create(email=user.email.upper(), kind=kind,
                                            actor=coordination, **extra)
    return invitation, reverse("neighbourhoods:invitation-accept",
                               args=[services.invitation_token(invitation)])


def test_an_existing_person_is_asked_to_log_in_and_nothing_else_happens(
        client, coordination, tq_saint_michel, saint_michel):
    from tests.factories import PASSWORD

    invitation, url = existing_invitation(coordination, tq_saint_michel,
                                          neighbourhood=saint_michel)
    page = client.get(url)
    assert page.status_code == 200
    assert f'{reverse("account_login")}?next=' in page.content.decode()

    response = client.post(url, {"full_name": "Pirate", "password1": "Quartier-Pirate-2026",
                                 "password2": "Quartier-Pirate-2026"})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session  # no session opened
    tq_saint_michel.refresh_from_db()
    assert tq_saint_michel.check_password(PASSWORD)  # no password set
    assert tq_saint_michel.full_name != "Pirate"
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert not tq_saint_michel.staff_roles.exists()


def test_the_role_is_added_once_the_person_logged_in_normally_with_mfa(
        client, coordination, tq_saint_michel, saint_michel):
    from tests.auth.conftest import current_code, password_step, totp_step, with_totp
    from tests.factories import PASSWORD

    secret = with_totp(tq_saint_michel)
    invitation, url = existing_invitation(coordination, tq_saint_michel,
                                          neighbourhood=saint_michel)
    response = password_step(client, tq_saint_michel.email, next=url)
    assert response.url.startswith(reverse("mfa_authenticate"))
    response = totp_step(client, current_code(secret))
    assert response.url == url  # back to the invitation

    page = client.get(url)
    assert "Accepter le rôle" in page.content.decode()
    response = client.post(url)

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.accepted_by == tq_saint_michel
    assert tq_saint_michel.staff_roles.get().role == "advisor"
    tq_saint_michel.refresh_from_db()
    assert tq_saint_michel.check_password(PASSWORD)


def test_someone_else_logged_in_cannot_take_the_invitation(
        client, coordination, tq_saint_michel, tq_verdun, saint_michel):
    invitation, url = existing_invitation(coordination, tq_saint_michel,
                                          neighbourhood=saint_michel)
    client.force_login(tq_verdun)
    assert "autre compte" in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert not tq_verdun.staff_roles.exists()


def test_the_new_person_service_refuses_an_existing_address(coordination, tq_saint_michel):
    from tests.factories import PASSWORD

    invitation, _url = existing_invitation(coordination, tq_saint_michel)
    with pytest.raises(ValidationError, match="connectez-vous"):
        services.invitation_accept(invitation=invitation, password="Quartier-Pirate-2026")
    tq_saint_michel.refresh_from_db()
    assert tq_saint_michel.check_password(PASSWORD)


def test_accepting_for_another_account_is_refused(coordination, tq_saint_michel, tq_verdun):
    from django.core.exceptions import PermissionDenied

    invitation, _url = existing_invitation(coordination, tq_saint_michel)
    with pytest.raises(PermissionDenied):
        services.invitation_accept_existing(invitation=invitation, actor=tq_verdun)


def test_the_email_to_an_existing_person_asks_them_to_log_in(
        client, coordination, tq_saint_michel, django_capture_on_commit_callbacks):
    invite(client, coordination, django_capture_on_commit_callbacks,
           email=tq_saint_michel.email, kind=Invitation.Kind.PARTNER)
    body = mail.outbox[-1].body
    assert "connectez-vous comme d'habitude" in body
    assert "choisir votre mot de passe" not in body
