"""What the letter of acceptance of an amendment says (governance renders it: this source is
registered by reporting's AppConfig, governance imports nothing of reporting)."""

from decimal import Decimal

from proposals.models import Proposal

from ..models import Amendment


def amendment_letter_facts(proposal: Proposal, number: int) -> dict | None:
    """What the letter of acceptance says of amendment `number` (0: the latest accepted): its
    number, what changes, and each year's ratified and amended amounts as it was accepted."""
    accepted = Amendment.objects.filter(allocation__proposal=proposal,
                                        status=Amendment.Status.ACCEPTED)
    amendment = (accepted.filter(number=number) if number else accepted).order_by(
        "-number").first()
    if amendment is None:
        return None
    before = {int(n): Decimal(a) for n, a in amendment.allocated.items()}
    after = {**before, **{int(n): Decimal(a)
                          for n, a in (amendment.changes.get("years") or {}).items()}}
    return {"number": amendment.number, "reason": amendment.reason,
            "years": [(n, before.get(n, Decimal("0")), after[n]) for n in sorted(after)],
            "total_before": sum(before.values(), Decimal("0")),
            "total_after": sum(after.values(), Decimal("0"))}

