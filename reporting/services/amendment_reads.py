"""Reading amendments: the version in force, what the amendment's diff starts from, the
amended proposal and amounts, and the one rule on amounts (within the allocation's total)."""

from decimal import Decimal

from proposals.models import Proposal, ProposalVersion
from proposals.versions import amended_snapshot, versions_compare

from ..models import Amendment

S = Amendment.Status


def version_in_force(proposal: Proposal) -> ProposalVersion | None:
    """The ratified version, or the last accepted amendment's."""
    accepted = (Amendment.objects.filter(allocation__proposal=proposal, status=S.ACCEPTED,
                                         version__isnull=False)
                .order_by("-number").values_list("version_id", flat=True).first())
    if accepted:
        return ProposalVersion.objects.get(pk=accepted)
    return (ProposalVersion.objects.filter(proposal=proposal, amendment__isnull=True)
            .order_by("-number").first())


def base_snapshot(amendment: Amendment) -> dict:
    """The version in force, with the allocation's amounts when the amendment started (what
    the amendment's diff starts from)."""
    base = amendment.base_version.snapshot if amendment.base_version_id else {}
    return {**base, "years": {**amendment.allocated}}


def amendment_snapshot(amendment: Amendment) -> dict:
    """The amended proposal: the version in force with the amendment's changes, its action
    plan and what changes (what the version frozen at submission holds)."""
    return amended_snapshot(base_snapshot(amendment), {
        **amendment.changes, "action_plan": amendment.action_plan,
        "amendment_reason": amendment.reason})


def amendment_diff(amendment: Amendment) -> list[dict]:
    """The fields the amendment changes, each with the version in force's value and the new
    one (the amendment's page and the committee's agenda item show it)."""
    amended = (amendment.version.snapshot if amendment.version_id
               else amendment_snapshot(amendment))
    return [row for row in versions_compare(base_snapshot(amendment), amended)
            if row["changed"]]


def amounts_compared(amendment: Amendment) -> list[tuple[int, Decimal, Decimal]]:
    """(year, allocated, asked) for each year of the allocation, from the amendment's row
    alone (no query)."""
    asked = amendment.changes.get("years") or {}
    return [(int(number), Decimal(amount), Decimal(asked.get(number, amount)))
            for number, amount in sorted(amendment.allocated.items(), key=lambda i: int(i[0]))]


def amended_years(amendment: Amendment) -> dict[int, Decimal]:
    """Each allocation year's amount once the amendment applies."""
    years = {y.year_number: y.amount for y in amendment.allocation.years.all()}
    for number, amount in (amendment.changes.get("years") or {}).items():
        years[int(number)] = Decimal(amount)
    return years


def exceeds_allocation(amendment: Amendment) -> bool:
    """The one rule on amounts: the amended total stays within the allocation's total."""
    allocated = sum((y.amount for y in amendment.allocation.years.all()), Decimal("0"))
    return sum(amended_years(amendment).values(), Decimal("0")) > allocated


