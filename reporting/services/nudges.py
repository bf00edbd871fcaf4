"""A reminder sent by hand to a neighbourhood's members (the bulk action « Envoyer un rappel »
on the neighbourhood list): the reports they have to hand in (overdue, or due within
NUDGE_DAYS days), one email per member, in their language, through the outbox after commit;
one per neighbourhood, person and day, whatever retries or double clicks."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from neighbourhoods.models import Membership, Neighbourhood
from pic import outbox
from pic.access import ensure
from pic.audit import audit
from pic.bulk import BulkResult, each_in_its_own_transaction
from pic.models import User

from ..models import Report

NUDGE_DAYS = 30


def reports_to_hand_in(*, neighbourhood: Neighbourhood, today: datetime.date):
    return (Report.objects.to_hand_in()
            .filter(allocation__neighbourhood=neighbourhood,
                    due_on__lte=today + datetime.timedelta(days=NUDGE_DAYS))
            .select_related("allocation__proposal", "allocation_year").order_by("due_on", "pk"))


@transaction.atomic
def neighbourhood_remind(*, neighbourhood: Neighbourhood, actor: User,
                         today: datetime.date | None = None) -> int:
    """Queue the reminder to each active member; returns how many. Refused (ValidationError)
    when there is nothing to remind or nobody to tell."""
    from ..tasks import send_neighbourhood_reminder

    ensure(actor, "neighbourhood.remind", neighbourhood)
    today = today or timezone.localdate()
    if not reports_to_hand_in(neighbourhood=neighbourhood, today=today).exists():
        raise ValidationError(_("Aucun rapport à remettre dans les %(n)s prochains jours : il "
                                "n'y a rien à rappeler.") % {"n": NUDGE_DAYS})
    members = list(Membership.objects.active().filter(neighbourhood=neighbourhood,
                                                      user__is_active=True)
                   .values_list("user_id", flat=True).distinct())
    if not members:
        raise ValidationError(_("Ce quartier n'a aucun·e membre actif·ve à qui écrire."))
    for user_id in members:
        outbox.schedule(send_neighbourhood_reminder, neighbourhood.pk, user_id,
                        today.isoformat(),
                        key=f"nudge:{neighbourhood.pk}:{user_id}:{today.isoformat()}")
    audit(actor, "neighbourhood.reminded", neighbourhood, people=len(members),
          day=today.isoformat())
    return len(members)


def neighbourhood_reminder_send(*, neighbourhood_id: int, user_id: int,
                                today: datetime.date) -> bool:
    """The email itself (the task): what is still to hand in when it is sent."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    neighbourhood = Neighbourhood.objects.filter(pk=neighbourhood_id).first()
    if user is None or neighbourhood is None:
        return False
    reports = list(reports_to_hand_in(neighbourhood=neighbourhood, today=today))
    if not reports:
        return False
    with translation.override(user.language):
        context = {"user": user, "neighbourhood": neighbourhood, "reports": reports,
                   "today": today, "site_url": settings.PIC_SITE_URL}
        subject = _("PIC : rappel des rapports à remettre (%(q)s)") % {"q": neighbourhood.name}
        body = render_to_string("reporting/email/nudge.txt", context)
    EmailMultiAlternatives(subject, body, to=[user.email]).send()
    return True


def neighbourhoods_remind(*, neighbourhoods: list[Neighbourhood], actor: User) -> BulkResult:
    """The bulk action: each neighbourhood in its own transaction; a refused one is named in
    the result (pic.bulk.BulkResult), the others are reminded."""
    return each_in_its_own_transaction(
        neighbourhoods, lambda n: neighbourhood_remind(neighbourhood=n, actor=actor))
