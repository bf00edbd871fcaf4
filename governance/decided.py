"""What a decision on a proposal grants: the analysis's recommended amounts, else the
requested ones. One rule for the allocation made at ratification (reporting) and the decision
letter (governance.letters)."""

from decimal import Decimal

from proposals.models import Proposal, ProposalYear

from .models import Analysis


def decided_amounts(proposal: Proposal) -> tuple[list[Decimal], Decimal]:
    """(yearly amounts, capacity-building amount) as decided: the governance analysis's
    recommended amounts, or the requested ones when there is no analysis with amounts."""
    return decided_amounts_of([proposal])[proposal.pk]


def decided_amounts_of(proposals: list[Proposal]) -> dict[int, tuple[list[Decimal], Decimal]]:
    """decided_amounts of many proposals at once: two or three queries whatever their number."""
    analyses = {a.proposal_id: a for a in Analysis.objects.filter(proposal__in=proposals)
                .prefetch_related("years")}
    decided: dict[int, tuple[list[Decimal], Decimal]] = {}
    for proposal in proposals:
        analysis = analyses.get(proposal.pk)
        years = sorted(analysis.years.all(), key=lambda y: y.year_number) if analysis else []
        if years:
            decided[proposal.pk] = [y.amount for y in years], analysis.capacity_building_amount
    requested: dict[int, list[Decimal]] = {p.pk: [] for p in proposals if p.pk not in decided}
    if requested:
        for proposal_id, amount in (ProposalYear.objects.filter(proposal_id__in=requested)
                                    .order_by("year_number").values_list("proposal_id",
                                                                         "amount")):
            requested[proposal_id].append(amount)
    for proposal in proposals:
        if proposal.pk not in decided:
            analysis = analyses.get(proposal.pk)
            decided[proposal.pk] = requested[proposal.pk], (
                analysis.capacity_building_amount if analysis is not None
                else proposal.capacity_building_amount)
    return decided
