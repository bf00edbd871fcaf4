"""Factories for every app's tests. Roles are given through the services, as in real life."""

import factory
from allauth.account.models import EmailAddress
from django.utils.text import slugify

from governance.models import Committee, CommitteeMember
from neighbourhoods import services as neighbourhood_services
from neighbourhoods.models import Membership, Neighbourhood, Organisation, StaffRole
from pic.access import SYSTEM
from pic.models import User

PASSWORD = "un-mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    full_name = factory.Faker("name", locale="fr_CA")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])
            EmailAddress.objects.create(user=self, email=self.email, verified=True,
                                        primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    category = Organisation.Category.PHILANTHROPIC


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    name = factory.Sequence(lambda n: f"Quartier {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    table_name = factory.LazyAttribute(lambda o: f"Table de quartier {o.name}")
    organisation = factory.SubFactory(
        OrganisationFactory, name=factory.LazyAttribute(lambda o: f"Table {o.factory_parent.name}"),
        category=Organisation.Category.COMMUNITY,
    )


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ("kind",)

    kind = Committee.Kind.GESTION
    name = "Comité de gestion"


def make_coordination(**kwargs) -> User:
    user = UserFactory(**kwargs)
    neighbourhood_services.staff_role_grant(user=user, role=StaffRole.Role.COORDINATION,
                                            actor=SYSTEM)
    return user


def make_advisor(*neighbourhoods: Neighbourhood, **kwargs) -> User:
    user = UserFactory(**kwargs)
    neighbourhood_services.staff_role_grant(user=user, role=StaffRole.Role.ADVISOR, actor=SYSTEM)
    for neighbourhood in neighbourhoods:
        neighbourhood_services.advisor_assign(advisor=user, neighbourhood=neighbourhood,
                                              actor=SYSTEM)
    return user


def make_member(neighbourhood: Neighbourhood, role: str = Membership.Role.COORDINATOR,
                **kwargs) -> User:
    user = UserFactory(**kwargs)
    neighbourhood_services.membership_create(user=user, neighbourhood=neighbourhood, role=role,
                                             actor=SYSTEM)
    return user


def make_committee_member(committee: Committee | None = None,
                          organisation: Organisation | None = None, **kwargs) -> CommitteeMember:
    from governance import services as governance_services

    return governance_services.committee_member_seat(
        committee=committee or CommitteeFactory(), user=UserFactory(**kwargs),
        organisation=organisation or OrganisationFactory(), actor=SYSTEM,
    )


def committee_decide(proposal, *, adopt: bool = True):
    """The one road to a recommendation: the comité de gestion meets, every eligible member is
    present and votes for (or against), the chair closes the vote. Returns the closed item."""
    from django.utils import timezone

    from governance import services as governance_services

    proposal.refresh_from_db()
    committee, _created = Committee.objects.get_or_create(
        kind=Committee.Kind.GESTION, defaults={"name": "Comité de gestion"})
    chair = (CommitteeMember.objects.current().filter(committee=committee, is_chair=True)
             .select_related("user").first())
    if chair is None or chair.organisation.recused_from_investment_decisions:
        chair = governance_services.committee_member_seat(
            committee=committee, user=UserFactory(), organisation=OrganisationFactory(),
            is_chair=True, actor=SYSTEM)
    meeting = governance_services.meeting_create(
        committee=committee, title="Rencontre d'allocation", held_on=timezone.localdate(),
        actor=SYSTEM)
    item = governance_services.agenda_item_add(meeting=meeting, proposal=proposal, actor=SYSTEM)
    from governance.selectors import eligible_members

    governance_services.attendance_set(
        meeting=meeting, actor=chair.user,
        present=list(CommitteeMember.objects.current().filter(committee=committee)))
    for seat in eligible_members(item).select_related("user"):
        governance_services.vote_cast(item=item, actor=seat.user,
                                      choice="for" if adopt else "against")
    item = governance_services.item_close(item=item, actor=chair.user)
    proposal.refresh_from_db()
    return item


def ratify(proposal, *, actor=SYSTEM, ratified_on=None):
    """The one road to a ratification: `governance.services.ratification_record` (which makes
    the allocation, through its listener, and queues the letter)."""
    from django.utils import timezone

    from governance import services as governance_services

    ratification = governance_services.ratification_record(
        proposal=proposal, ratified_on=ratified_on or timezone.localdate(), actor=actor)
    proposal.refresh_from_db()
    return ratification


def english(user: User) -> User:
    """The person chose English (their pages and messages are in English)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user
