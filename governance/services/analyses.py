"""The advisor's analysis of a proposal."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from neighbourhoods.selectors import people_of
from pic.access import ensure, person
from pic.audit import audit
from pic.models import User
from pic.notifications import notify
from proposals.models import PrerequisiteItem, Proposal

from ..models import (
    Analysis,
    AnalysisPrerequisite,
    AnalysisYear,
)
from ..models.analyses import GUIDE_TEXT_FIELDS
from ..selectors import (
    UNDECIDED,
)


@transaction.atomic
def analysis_save(
    *, proposal: Proposal, actor: User, needs_and_context: str, conditions: str,
    capacity_building_amount: Decimal, prerequisites: dict[int, tuple[bool, str]],
    yearly_amounts: dict[int, Decimal], guide_texts: dict[str, str] | None = None,
) -> Analysis:
    """Create or update the analysis: `prerequisites` maps a PrerequisiteItem id to
    (met, comment); `yearly_amounts` maps a year number to the recommended amount;
    `guide_texts` the assessment per condition of collective impact and the reach of the
    people directly concerned (GUIDE_TEXT_FIELDS; missing keys unchanged)."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    ensure(actor, "analysis.write", proposal)
    if proposal.status not in UNDECIDED:
        raise ValidationError(_("La décision sur cette proposition est prise : son analyse ne "
                                "change plus."))
    known = set(PrerequisiteItem.objects.filter(stage=proposal.stage_id).values_list("pk",
                                                                                      flat=True))
    errors = {}
    if set(prerequisites) - known:
        errors["__all__"] = _("Un préalable ne fait pas partie de l'étape de la proposition.")
    stage = proposal.stage
    for year, amount in yearly_amounts.items():
        if year < 1 or year > stage.max_duration_years:
            errors.setdefault("__all__", _("L'année %(year)s dépasse la durée de l'étape.")
                              % {"year": year})
        elif amount is not None and amount > stage.max_yearly_amount:
            errors[f"year_{year}"] = _("Le montant dépasse le maximum annuel de l'étape.")
    if capacity_building_amount > stage.capacity_building_amount > 0:
        errors["capacity_building_amount"] = _(
            "Le montant dépasse celui réservé au renforcement des compétences pour l'étape.")
    if errors:
        raise ValidationError(errors)
    analysis, created = Analysis.objects.get_or_create(proposal=proposal,
                                                       defaults={"author": person(actor)})
    analysis.author = person(actor)
    analysis.needs_and_context = needs_and_context
    analysis.conditions = conditions
    analysis.capacity_building_amount = capacity_building_amount
    for name, text in (guide_texts or {}).items():
        if name in GUIDE_TEXT_FIELDS:
            setattr(analysis, name, text)
    analysis.save()
    for item_id, (met, comment) in prerequisites.items():
        AnalysisPrerequisite.objects.update_or_create(
            analysis=analysis, prerequisite_id=item_id,
            defaults={"met": met, "comment": comment},
        )
    analysis.years.exclude(year_number__in=list(yearly_amounts)).delete()
    for year, amount in yearly_amounts.items():
        AnalysisYear.objects.update_or_create(analysis=analysis, year_number=year,
                                              defaults={"amount": amount})
    audit(actor, "analysis.created" if created else "analysis.updated", analysis,
          proposal=proposal.pk,
          prerequisites_met=sum(1 for met, _c in prerequisites.values() if met),
          yearly_amounts={str(k): str(v) for k, v in yearly_amounts.items()},
          capacity_building_amount=str(capacity_building_amount))
    if created:
        notify("analysis.completed", people_of(proposal.neighbourhood_id, members=True,
                                               coordination=True), proposal, actor=actor)
    return analysis
