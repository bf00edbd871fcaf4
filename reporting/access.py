"""The rules of follow-up's actions (pic.access for the vocabulary): who the person is to the
allocation's neighbourhood. Whether a report's state allows the action is the services'."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from neighbourhoods.access import (
    COORDINATION_ONLY,
    FILE_ONLY,
    FOLLOWERS_ONLY,
    MEMBERS_ONLY,
    coordination,
    follower,
    member,
    member_or_follower,
)
from pic import access
from pic.access import ActionRequiredMixin, Roles

from .models import Allocation, AllocationYear, Amendment, CheckIn, Report


def allocation_neighbourhood_id(obj: Any) -> Any:
    """The neighbourhood of an allocation, one of its years, check-ins or reports; another
    object (an evaluation question, a proposal) answers for itself."""
    if isinstance(obj, Report):
        return obj.allocation.neighbourhood_id
    if isinstance(obj, CheckIn):
        return obj.allocation_year.allocation.neighbourhood_id
    if isinstance(obj, AllocationYear):
        return obj.allocation.neighbourhood_id
    if isinstance(obj, Allocation | Amendment):
        return obj.neighbourhood_id
    return getattr(obj, "proposal", obj)


def _of_allocation(test):
    return lambda roles, obj: test(roles, allocation_neighbourhood_id(obj))


access.register_all(["report.edit", "report.submit", "report.resubmit"],
                    _of_allocation(member), MEMBERS_ONLY)
access.register_all(["report.accept", "report.request_changes", "checkin.record"],
                    _of_allocation(follower), FOLLOWERS_ONLY)
access.register("indicator.add", _of_allocation(member_or_follower), FILE_ONLY)
# Amendments after ratification: the table writes them, its advisor reviews, coordination
# decides (accepts, or sends back to the committee).
access.register_all(["amendment.create", "amendment.edit", "amendment.submit",
                     "amendment.withdraw"], _of_allocation(member), MEMBERS_ONLY)
access.register_all(["amendment.review", "amendment.request_changes"],
                    _of_allocation(follower), FOLLOWERS_ONLY)
access.register_all(
    ["allocation.create", "allocation.disburse", "envelope.set", "reporting.configure",
     "data.import", "amendment.accept", "amendment.refer", "instalment.release",
     "instalment.pay", "instalment.change"],
    coordination, COORDINATION_ONLY)


@access.rule("portfolio.read", _("Le portefeuille est réservé aux partenaires, au comité de "
                                 "gouvernance et à l'équipe de coordination PIC."))
def _portfolio(roles: Roles, _obj: Any) -> bool:
    # The comité de gouvernance watches over the partnership: it reads the portfolio too.
    return roles.coordination or roles.partner or roles.governance_member


@access.rule("followup.view", _("Le suivi des allocations est réservé aux tables de quartier, "
                                "aux conseiller·ères et à la coordination."))
def _followup(roles: Roles, _obj: Any) -> bool:
    return roles.coordination or roles.advisor or roles.neighbourhood_member


class FollowupRequiredMixin(ActionRequiredMixin):
    """Follow-up pages: others (committee-only members, partners) get 403."""

    action = "followup.view"


# The navigation asks `roles.follows_files` (a fact derived from the rule above).
access.register_role_source(lambda user: {"follows_files": access.can(user, "followup.view")},
                            {"follows_files": False})

# A reminder sent by hand to a neighbourhood's members (the bulk action on the neighbourhood
# list): its advisor or coordination staff (with no object: either of them).
access.register("neighbourhood.remind", follower, FOLLOWERS_ONLY)
