"""Who is this person in the program? One place that knows every kind of role."""

from dataclasses import dataclass, field

from governance.models import CommitteeMember
from neighbourhoods.models import Membership, StaffRole
from pic.models import User


@dataclass(frozen=True)
class Roles:
    coordination: bool = False
    advisor: bool = False
    partner: bool = False
    neighbourhood_ids: tuple[int, ...] = ()
    committee_ids: tuple[int, ...] = field(default=())

    @property
    def neighbourhood_member(self) -> bool:
        return bool(self.neighbourhood_ids)

    @property
    def committee_member(self) -> bool:
        return bool(self.committee_ids)

    @property
    def follows_files(self) -> bool:
        """Who gets the follow-up dashboard (/suivi/): coordination, advisors and
        neighbourhood members; not committee-only members nor partners."""
        return self.coordination or self.advisor or self.neighbourhood_member


def roles_of(user: User) -> Roles:
    """Three small queries, cached on the user object for the request."""
    if not user.is_authenticated:
        return Roles()
    cached = user.__dict__.get("_pic_roles")
    if cached is not None:
        return cached
    staff = set(StaffRole.objects.active().filter(user=user).values_list("role", flat=True))
    user.__dict__["_pic_staff_roles"] = staff
    roles = Roles(
        coordination=StaffRole.Role.COORDINATION in staff,
        advisor=StaffRole.Role.ADVISOR in staff,
        partner=StaffRole.Role.PARTNER in staff,
        neighbourhood_ids=tuple(
            Membership.objects.active().filter(user=user)
            .values_list("neighbourhood_id", flat=True)
        ),
        committee_ids=tuple(
            CommitteeMember.objects.current().filter(user=user)
            .values_list("committee_id", flat=True)
        ),
    )
    user.__dict__["_pic_roles"] = roles
    return roles
