"""The proposal's budget by line and by year: the program's categories (staff keep them) and
the lines the neighbourhood writes, totalling each year's requested amount (rules.budget_errors,
the one place of that rule)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pic.audit import audit
from pic.models import User

from . import rules
from .models import BudgetCategory, DefaultBudgetCategory, Program, Proposal, ProposalBudgetLine
from .services import _ensure_editable


def budget_categories(program: Program, *, with_retired: bool = False) -> list[BudgetCategory]:
    """The program's budget categories, in order; a program that has none yet starts with the
    default list (so a new program needs no set-up before its first budget)."""
    cached = program.__dict__.get("_pic_budget_categories")  # read once per program object
    if cached is not None:
        return [c for c in cached if with_retired or c.active]
    categories = list(BudgetCategory.objects.filter(program=program))
    if not categories:
        BudgetCategory.objects.bulk_create(
            [BudgetCategory(program=program, code=code, name=str(label), position=position)
             for position, (code, label) in enumerate(DefaultBudgetCategory.choices, start=1)],
            ignore_conflicts=True)
        categories = list(BudgetCategory.objects.filter(program=program))
    program.__dict__["_pic_budget_categories"] = categories
    return [c for c in categories if with_retired or c.active]


@dataclass(frozen=True)
class BudgetRow:
    category: BudgetCategory
    amounts: list[Decimal | None]  # one per year

    @property
    def total(self) -> Decimal:
        return sum((a or Decimal("0") for a in self.amounts), Decimal("0"))


@dataclass(frozen=True)
class BudgetGrid:
    years: list[int]
    requested: list[Decimal | None]
    rows: list[BudgetRow]

    @property
    def totals(self) -> list[Decimal]:
        return [sum((row.amounts[i] or Decimal("0") for row in self.rows), Decimal("0"))
                for i in range(len(self.years))]

    @property
    def balanced(self) -> list[bool]:
        return [(asked or Decimal("0")) == total
                for asked, total in zip(self.requested, self.totals, strict=True)]


def budget_grid(proposal: Proposal) -> BudgetGrid:
    """Categories × years, with the requested amount of each year (three queries)."""
    years = list(range(1, proposal.duration_years + 1))
    requested = {y.year_number: y.amount for y in proposal.years.all()}
    lines = {(line.category_id, line.year_number): line.amount
             for line in ProposalBudgetLine.objects.filter(proposal=proposal)}
    used = {category_id for category_id, _year in lines}
    categories = [c for c in budget_categories(proposal.stage.program, with_retired=True)
                  if c.active or c.pk in used]
    return BudgetGrid(years=years, requested=[requested.get(n) for n in years],
                      rows=[BudgetRow(category=c, amounts=[lines.get((c.pk, n)) for n in years])
                            for c in categories])


@transaction.atomic
def proposal_budget_save(*, proposal: Proposal, actor: User,
                         lines: dict[tuple[int, int], Decimal | None]) -> Proposal:
    """Replace the proposal's budget lines: `lines` maps (category id, year number) to an
    amount (None or 0: no line). Each year's lines must total its requested amount."""
    proposal = (Proposal.objects.select_for_update(of=("self",)).select_related("stage__program")
                .get(pk=proposal.pk))
    _ensure_editable(proposal, actor)
    known = {c.pk for c in budget_categories(proposal.stage.program, with_retired=True)}
    errors: dict[str, list[str]] = {}
    kept = {}
    for (category_id, year), amount in lines.items():
        if category_id not in known:
            errors.setdefault(rules.BUDGET, []).append(
                _("Une catégorie ne fait pas partie du budget du programme."))
        elif not 1 <= year <= proposal.duration_years:
            errors.setdefault(rules.BUDGET, []).append(
                _("L'année %(n)s dépasse la durée demandée.") % {"n": year})
        elif amount is not None and amount < 0:
            errors.setdefault(rules.BUDGET, []).append(
                _("Les montants ne peuvent pas être négatifs."))
        elif amount:
            kept[(category_id, year)] = amount
    totals: dict[int, Decimal] = {}
    for (_category, year), amount in kept.items():
        totals[year] = totals.get(year, Decimal("0")) + amount
    requested = {y.year_number: y.amount for y in proposal.years.all()
                 if y.year_number <= proposal.duration_years}
    for key, messages in rules.budget_errors(requested, totals).items():
        errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    ProposalBudgetLine.objects.filter(proposal=proposal).delete()
    ProposalBudgetLine.objects.bulk_create(
        ProposalBudgetLine(proposal=proposal, category_id=category_id, year_number=year,
                           amount=amount) for (category_id, year), amount in kept.items())
    audit(actor, "proposal.budget_saved", proposal,
          lines={f"{year}:{category_id}": str(amount)
                 for (category_id, year), amount in sorted(kept.items())})
    return proposal
