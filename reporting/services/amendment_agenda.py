"""An amendment « Renvoyée au comité » on the comité de gestion's agenda: coordination puts it
on an upcoming meeting (from the amendment's page or the meeting's « add to agenda »); the
members vote on it as on a proposal (the same item, so the same recusals and quorum: the
item's proposal is the amendment's); closing the vote approves it (accepted by
`amendment_accept`, the one place that sets ACCEPTED and applies the amounts to the
allocation) or refuses it (`amendment_refuse`, with the committee's reasons). The proposal's
state never moves: it is already ratified, and no second ratification or allocation follows
(the amounts the committee approves are final; the ratifying body ratified the allocation).

Registered with governance as the source of AgendaItem.Kind.AMENDMENT items (apps.ready)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import services as governance
from governance.agenda_sources import AgendaSource, register_agenda_source
from governance.models import AgendaItem, Committee, Meeting
from pic.access import can, ensure
from pic.audit import audit
from pic.models import User

from ..models import Amendment
from .amendment_reads import amendment_diff, amounts_compared
from .amendments import amendment_accept, amendment_refuse

S = Amendment.Status


def awaits_agenda(amendment: Amendment) -> bool:
    """Referred to the committee and not on an agenda yet (amendment_agenda_add says why
    not, when it is not)."""
    return amendment.status == S.REFERRED and amendment.agenda_item_id is None


def decides_amendments(meeting: Meeting) -> bool:
    """An upcoming meeting of the comité de gestion (the committee that decides amounts)."""
    return (meeting.committee.kind == Committee.Kind.GESTION
            and meeting.held_on >= timezone.localdate())


def meetings_for_amendment(*, user: User) -> QuerySet[Meeting]:
    """The upcoming meetings of the comité de gestion (the committee that decides amounts)."""
    return (Meeting.objects.visible_to(user).select_related("committee")
            .filter(committee__kind=Committee.Kind.GESTION,
                    held_on__gte=timezone.localdate()).order_by("held_on", "pk"))


@transaction.atomic
def amendment_agenda_add(*, amendment: Amendment, meeting: Meeting, actor: User) -> AgendaItem:
    """Put a referred amendment on an upcoming comité de gestion meeting (a double click
    returns the same item)."""
    ensure(actor, "meeting.manage", meeting)
    amendment = (Amendment.objects.select_for_update(of=("self",))
                 .select_related("allocation__proposal", "agenda_item__meeting")
                 .get(pk=amendment.pk))
    if amendment.agenda_item_id is not None:
        if amendment.agenda_item.meeting_id == meeting.pk:
            return amendment.agenda_item
        raise ValidationError(_("La modification est déjà à l'ordre du jour de « %(m)s ».")
                              % {"m": amendment.agenda_item.meeting.title})
    if amendment.status != S.REFERRED:
        raise ValidationError(_("Seule une modification renvoyée au comité peut être inscrite "
                                "à l'ordre du jour (celle-ci est « %(s)s »).")
                              % {"s": amendment.get_status_display()})
    if meeting.committee.kind != Committee.Kind.GESTION:
        raise ValidationError(_("C'est le comité de gestion qui décide d'une modification "
                                "au-delà de l'allocation."))
    if meeting.held_on < timezone.localdate():
        raise ValidationError(_("Cette rencontre est passée : choisissez une rencontre à "
                                "venir."))
    item = governance.agenda_item_add(meeting=meeting, proposal=amendment.allocation.proposal,
                                      actor=actor, kind=AgendaItem.Kind.AMENDMENT,
                                      number=amendment.number)
    amendment.agenda_item = item
    amendment.save(update_fields=["agenda_item", "updated_at"])
    audit(actor, "amendment.on_agenda", amendment, meeting=meeting.pk, item=item.pk)
    return item


def _choices(*, user: User, meeting: Meeting) -> list[tuple[int, str]]:
    if not decides_amendments(meeting) or not can(user, "meeting.manage"):
        return []
    return [(a.pk, str(a)) for a in Amendment.objects.visible_to(user)
            .filter(status=S.REFERRED, agenda_item__isnull=True)
            .select_related("allocation__proposal").order_by("pk")]


def _add(*, meeting: Meeting, pk: str, actor: User) -> AgendaItem:
    amendment = Amendment.objects.visible_to(actor).filter(pk=int(pk)).first()
    if amendment is None:
        raise ValidationError(_("Choisissez une modification renvoyée au comité."))
    return amendment_agenda_add(amendment=amendment, meeting=meeting, actor=actor)


def _decide(*, item: AgendaItem, actor: User) -> Amendment:
    amendment = Amendment.objects.get(agenda_item=item)
    if item.result == AgendaItem.Result.APPROVED:
        return amendment_accept(amendment=amendment, actor=actor, agenda_item=item)
    return amendment_refuse(amendment=amendment, actor=actor, agenda_item=item)


def _panel(*, item: AgendaItem) -> dict:
    amendment = (Amendment.objects.select_related("base_version", "version")
                 .filter(agenda_item=item).first())
    if amendment is None:
        return {}
    years = amounts_compared(amendment)
    return {"amendment": amendment, "rows": amendment_diff(amendment), "years": years,
            "allocated_total": sum(a for _n, a, _b in years),
            "asked_total": sum(b for _n, _a, b in years)}


def register() -> None:
    register_agenda_source(AgendaSource(
        kind=AgendaItem.Kind.AMENDMENT, field="amendment",
        label=gettext_lazy("Modification renvoyée au comité"),
        choices=_choices, add=_add, decide=_decide, panel=_panel,
        template="reporting/_amendment_agenda_item.html",
        consequences=(
            gettext_lazy("Selon le décompte, la modification est approuvée (les montants de "
                         "l'allocation prennent les montants demandés) ou refusée (la table "
                         "et son conseiller·ère en sont avisés, avec vos motifs)."),
            gettext_lazy("La proposition reste entérinée : ce vote ne change ni son état ni "
                         "son entérinement."))))
