import pytest
from django.urls import reverse

from neighbourhoods import services
from neighbourhoods.models import Membership, Neighbourhood
from tests import factories


def detail_url(neighbourhood):
    return reverse("neighbourhoods:neighbourhood-detail", args=[neighbourhood.slug])


def test_coordinator_sees_own_neighbourhood(client, tq_saint_michel, saint_michel):
    client.force_login(tq_saint_michel)
    response = client.get(detail_url(saint_michel))
    assert response.status_code == 200
    assert "Table de quartier Saint-Michel" in response.content.decode()


def test_coordinator_gets_404_on_another_neighbourhood(client, tq_saint_michel, verdun):
    client.force_login(tq_saint_michel)
    assert client.get(detail_url(verdun)).status_code == 404


def test_missing_and_forbidden_neighbourhoods_look_the_same(client, tq_saint_michel, verdun):
    client.force_login(tq_saint_michel)
    forbidden = client.get(detail_url(verdun))
    missing = client.get(reverse("neighbourhoods:neighbourhood-detail", args=["nulle-part"]))
    assert forbidden.status_code == missing.status_code == 404


def test_revoking_a_membership_removes_access_at_once(client, tq_saint_michel, saint_michel,
                                                       coordination):
    client.force_login(tq_saint_michel)
    assert client.get(detail_url(saint_michel)).status_code == 200
    membership = Membership.objects.get(user=tq_saint_michel)

    services.membership_end(membership=membership, actor=coordination)

    assert client.get(detail_url(saint_michel)).status_code == 404
    assert not Neighbourhood.objects.visible_to(tq_saint_michel).exists()


def test_staff_revokes_membership_through_the_page(client, coordination, tq_saint_michel,
                                                   saint_michel):
    membership = Membership.objects.get(user=tq_saint_michel)
    client.force_login(coordination)
    response = client.post(reverse("neighbourhoods:membership-end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert not Neighbourhood.objects.visible_to(tq_saint_michel).exists()


def test_a_coordinator_cannot_revoke_someone(client, tq_saint_michel, saint_michel):
    colleague = factories.make_member(saint_michel)
    membership = Membership.objects.get(user=colleague)
    client.force_login(tq_saint_michel)
    response = client.post(reverse("neighbourhoods:membership-end", args=[membership.pk]))
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.ended_at is None


def test_advisor_sees_only_assigned_neighbourhoods(advisor_est, saint_michel, verdun):
    assert list(Neighbourhood.objects.visible_to(advisor_est)) == [saint_michel]


def test_unassigned_advisor_loses_access(advisor_est, saint_michel, coordination):
    assignment = advisor_est.advisor_assignments.get()
    services.advisor_unassign(assignment=assignment, actor=coordination)
    assert not Neighbourhood.objects.visible_to(advisor_est).exists()


def test_access_survives_while_another_link_remains(saint_michel, coordination):
    """An advisor who is also a member keeps access when one of the two ends."""
    user = factories.make_advisor(saint_michel)
    services.membership_create(user=user, neighbourhood=saint_michel, actor=coordination)
    services.advisor_unassign(assignment=user.advisor_assignments.get(), actor=coordination)
    assert list(Neighbourhood.objects.visible_to(user)) == [saint_michel]


def test_coordination_staff_see_every_neighbourhood(coordination, saint_michel, verdun):
    assert set(Neighbourhood.objects.visible_to(coordination)) == {saint_michel, verdun}


def test_person_without_role_sees_nothing(db, saint_michel):
    assert not Neighbourhood.objects.visible_to(factories.UserFactory()).exists()


def test_only_coordination_staff_change_memberships(tq_saint_michel, saint_michel):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.membership_create(user=factories.UserFactory(), neighbourhood=saint_michel,
                                   actor=tq_saint_michel)


def test_neighbourhood_list_query_count_is_constant(client, coordination,
                                                    django_assert_max_num_queries):
    for _ in range(3):
        factories.make_advisor(factories.NeighbourhoodFactory())
    client.force_login(coordination)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("neighbourhoods:neighbourhood-list"))
    for _ in range(15):
        factories.make_advisor(factories.NeighbourhoodFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("neighbourhoods:neighbourhood-list"))
