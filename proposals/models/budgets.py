"""The proposal's budget by line and by year (the categories are the program's: program.py)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .files import Proposal, ProposalOwnedQuerySet
from .program import BudgetCategory


class ProposalBudgetLine(models.Model):
    """One line of the proposal's budget: a category's amount in one year. A year's lines
    total the amount requested for that year (services.proposal_budget_save, rules)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    year_number = models.PositiveSmallIntegerField(_("année"))
    category = models.ForeignKey(BudgetCategory, verbose_name=_("catégorie"),
                                 on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("montant ($)"), max_digits=12, decimal_places=2)

    objects = ProposalOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("ligne budgétaire")
        verbose_name_plural = _("lignes budgétaires")
        ordering = ["proposal", "year_number", "category__position", "category_id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "year_number", "category"],
                                    name="one_budget_line_per_year_and_category"),
            models.CheckConstraint(condition=Q(amount__gte=0),
                                   name="budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} — {self.year_number} {self.category}: {self.amount}"
