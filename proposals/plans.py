"""The plan de quartier, a record of the neighbourhood: written here (the table, its advisor or
coordination), read by proposals.selectors; each initiative picks its « changement
prioritaire » among its priorities (services.initiative_create)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Neighbourhood
from pic.access import ensure, person
from pic.audit import audit
from pic.documents import private_name
from pic.models import User

from .documents import validate_upload
from .models import NeighbourhoodPlan, NeighbourhoodPlanDocument, PlanPriority


@transaction.atomic
def neighbourhood_plan_record(*, neighbourhood: Neighbourhood, title: str, status: str,
                              adopted_on: datetime.date | None, priorities: list[str],
                              actor: User, document: UploadedFile | None = None,
                              ) -> NeighbourhoodPlan:
    """Record (or update) the neighbourhood's plan: a priority kept by its label keeps the
    initiatives that chose it; the document is checked as every upload is."""
    ensure(actor, "neighbourhood_plan.record", neighbourhood)
    errors = {}
    if not title.strip():
        errors["title"] = _("Indiquez le titre du plan de quartier.")
    if status not in NeighbourhoodPlan.Status.values:
        errors["status"] = _("Choisissez l'état du plan : adopté ou en cours d'adoption.")
    elif status == NeighbourhoodPlan.Status.ADOPTED and adopted_on is None:
        errors["adopted_on"] = _("Indiquez la date d'adoption du plan.")
    labels = list(dict.fromkeys(p.strip() for p in priorities if p.strip()))
    if not labels:
        errors["priorities"] = _("Indiquez au moins une priorité du plan (une par ligne).")
    if errors:
        raise ValidationError(errors)
    content_type = validate_upload(document) if document is not None else None
    plan, _created = NeighbourhoodPlan.objects.select_for_update().update_or_create(
        neighbourhood=neighbourhood,
        defaults={"title": title.strip(), "status": status, "adopted_on": adopted_on,
                  "updated_by": person(actor), "updated_at": timezone.now()})
    kept = {p.label: p for p in plan.priorities.all()}
    plan.priorities.exclude(label__in=labels).delete()
    for position, label in enumerate(labels, start=1):
        row = kept.get(label) or PlanPriority(plan=plan, label=label)
        row.position = position
        row.save()
    if document is not None:
        original = private_name(document)
        NeighbourhoodPlanDocument.objects.create(
            plan=plan, file=document, original_name=original, content_type=content_type,
            size=document.size, uploaded_by=person(actor))
    audit(actor, "neighbourhood_plan.recorded", plan, status=status, priorities=len(labels))
    return plan
