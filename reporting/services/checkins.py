"""Mid-year check-ins: scheduled when the allocation is made, recorded by the advisor."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.selectors import people_of
from pic.access import ensure, person
from pic.audit import audit
from pic.models import User
from pic.notifications import notify

from ..models import CheckIn


@transaction.atomic
def checkin_record(*, checkin: CheckIn, actor: User, held_on: datetime.date,
                   participants: str, summary: str, follow_ups: str = "") -> CheckIn:
    """The advisor records the check-in held with the people running the initiative. A later
    call corrects the record (audited)."""
    checkin = CheckIn.objects.select_for_update(of=("self",)).select_related(
        "allocation_year__allocation").get(pk=checkin.pk)
    allocation = checkin.allocation_year.allocation
    ensure(actor, "checkin.record", checkin)
    errors: dict[str, list[str]] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = [_("La date ne peut pas être dans le futur.")]
    if held_on < allocation.starts_on:
        errors["held_on"] = [_("La rencontre ne peut précéder le début de l'allocation.")]
    if not participants.strip():
        errors["participants"] = [_("Indiquez qui a participé.")]
    if not summary.strip():
        errors["summary"] = [_("Résumez la rencontre.")]
    if errors:
        raise ValidationError(errors)
    corrected = checkin.held_on is not None
    checkin.held_on = held_on
    checkin.participants = participants.strip()
    checkin.summary = summary.strip()
    checkin.follow_ups = follow_ups.strip()
    checkin.recorded_by = person(actor)
    checkin.recorded_at = timezone.now()
    checkin.save()
    audit(actor, "checkin.corrected" if corrected else "checkin.recorded", checkin,
          held_on=held_on.isoformat(), due_on=checkin.due_on.isoformat())
    if not corrected:
        notify("checkin.recorded", people_of(allocation.neighbourhood_id, members=True),
               checkin, actor=actor)
    return checkin
