"""Amendments after ratification (the guide: « Il pourrait y avoir des modifications à apporter
à la suite des échanges »): the table amends its proposal and the coming year's action plan
(and, once a year, adjusts the initiative); each amendment is frozen at submission as a new
version of the proposal, with its diff against the version in force; the advisor reviews it;
coordination accepts it when the amounts stay within the allocation, or sends it back to the
committee when they do not: the comité de gestion votes on it (an agenda item,
reporting/services/amendment_agenda.py) and approves it (accepted, by `amendment_accept`, the
one place that sets ACCEPTED) or refuses it.

Nothing else writes `Amendment.status`. Each event's email is sent by one function
(`notify_<event>`, amendment_notices.py); the reads are in amendment_reads.py.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.models import AgendaItem
from pic.access import SYSTEM, ensure, person
from pic.audit import audit
from pic.formatting import format_money
from pic.models import User
from pic.workflow import Machine, Transition, changes_requested
from proposals import services as proposal_services
from proposals.versions import AMENDABLE_TEXTS, version_record

from ..models import Allocation, AllocationYear, Amendment, Disbursement
from .amendment_notices import (  # noqa: F401 - the events' functions, re-exported
    amendment_recipients,
    notify_accepted,
    notify_changes_requested,
    notify_referred,
    notify_refused,
    notify_reviewed,
    notify_submitted,
)
from .amendment_reads import (  # noqa: F401 - the reads, re-exported
    amended_years,
    amendment_diff,
    amendment_snapshot,
    amounts_compared,
    base_snapshot,
    exceeds_allocation,
    version_in_force,
)

S = Amendment.Status


def _committee_vote(result: str):
    """The proof of the committee's road: the amendment's own agenda item, with that result."""
    def proof(amendment: Amendment, item) -> bool:
        return (isinstance(item, AgendaItem) and item.pk == amendment.agenda_item_id
                and item.result == result)
    return proof

TRANSITIONS: dict[str, Transition] = {
    "submit": Transition((S.DRAFT, S.CHANGES_REQUESTED), S.SUBMITTED),
    "review": Transition((S.SUBMITTED,), S.REVIEWED),
    "request_changes": Transition((S.SUBMITTED, S.REVIEWED), S.CHANGES_REQUESTED),
    "accept": Transition((S.REVIEWED,), S.ACCEPTED),
    "refer": Transition((S.REVIEWED,), S.REFERRED),
    # Only the comité de gestion's closed vote on the amendment's agenda item decides these.
    "approve": Transition((S.REFERRED,), S.ACCEPTED, only_via="agenda_item",
                          proof=_committee_vote(AgendaItem.Result.APPROVED)),
    "refuse": Transition((S.REFERRED,), S.REFUSED, only_via="agenda_item",
                         proof=_committee_vote(AgendaItem.Result.REFUSED)),
    "withdraw": Transition((S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED), S.WITHDRAWN),
}
MACHINE = Machine(model=Amendment, transitions=TRANSITIONS, audit_prefix="amendment",
                  subject=lambda a: _("la modification n° %(n)s") % {"n": a.number},
                  related=("allocation", "allocation__proposal"),
                  roads={"approve": gettext_lazy("le vote du comité de gestion"),
                         "refuse": gettext_lazy("le vote du comité de gestion")})
EDITABLE_STATES = (S.DRAFT, S.CHANGES_REQUESTED)
OPEN_STATES = (S.DRAFT, S.SUBMITTED, S.REVIEWED, S.CHANGES_REQUESTED)
# Keys of `Amendment.changes` (the texts, the amounts, the yearly adjustment of the initiative).
INITIATIVE_KEYS = ("initiative_title", "desired_change")


def allowed_transitions(status: str) -> list[str]:
    """What a person may do from `status` on the amendment's page (not the committee's road)."""
    return [name for name in MACHINE.allowed(status)
            if TRANSITIONS[name].only_via is None]


# --- Writing the draft -------------------------------------------------------------------------


@transaction.atomic
def amendment_create(*, allocation: Allocation, actor: User, year_number: int | None = None,
                     now: datetime.datetime | None = None) -> Amendment:
    """A draft amendment of the ratified proposal (one open at a time per allocation)."""
    allocation = Allocation.objects.select_for_update(of=("self",)).select_related("proposal").get(
        pk=allocation.pk)
    ensure(actor, "amendment.create", allocation)
    open_one = allocation.amendments.filter(status__in=OPEN_STATES).first()
    if open_one is not None:
        raise ValidationError(_("La modification n° %(n)s est en cours : terminez-la (ou "
                                "retirez-la) avant d'en commencer une autre.")
                              % {"n": open_one.number})
    years = list(allocation.years.values_list("year_number", flat=True))
    if year_number is None:
        year_number = _coming_year(allocation, (now or timezone.now()).date()) or years[0]
    number = (allocation.amendments.aggregate(top=Max("number"))["top"] or 0) + 1
    amendment = Amendment.objects.create(
        allocation=allocation, neighbourhood_id=allocation.neighbourhood_id, number=number,
        year_number=year_number, base_version=version_in_force(allocation.proposal),
        allocated={str(y.year_number): str(y.amount) for y in allocation.years.all()},
        created_by=person(actor), created_at=now or timezone.now())
    audit(actor, "amendment.created", amendment, allocation=allocation.pk)
    return amendment


def _coming_year(allocation: Allocation, today: datetime.date) -> int | None:
    year = allocation.years.filter(ends_on__gte=today).order_by("year_number").first()
    return year.year_number if year else None


@transaction.atomic
def amendment_save(*, amendment: Amendment, actor: User, data: dict) -> Amendment:
    """Keys: reason, action_plan, year_number, adjusts_initiative, and the amended values
    (texts of versions.AMENDABLE_TEXTS, initiative_title, desired_change, years {n: amount});
    only what differs from the version in force is kept as a change."""
    amendment = Amendment.objects.select_for_update(of=("self",)).select_related(
        "allocation", "base_version").get(pk=amendment.pk)
    ensure(actor, "amendment.edit", amendment)
    if amendment.status not in EDITABLE_STATES:
        raise ValidationError(_("La modification est « %(s)s » : elle ne se modifie plus.")
                              % {"s": amendment.get_status_display()})
    for name in ("reason", "action_plan"):
        if data.get(name) is not None:
            setattr(amendment, name, data[name].strip())
    years = set(amendment.allocation.years.values_list("year_number", flat=True))
    if data.get("year_number") is not None:
        if data["year_number"] not in years:
            raise ValidationError({"year_number": _("Cette année n'est pas celle de "
                                                    "l'allocation.")})
        amendment.year_number = data["year_number"]
    if data.get("adjusts_initiative") is not None:
        amendment.adjusts_initiative = bool(data["adjusts_initiative"])
    amendment.changes = _changes(amendment, data, years)
    ensure_not_below_paid(amendment)
    amendment.save()
    audit(actor, "amendment.saved", amendment)
    return amendment


def _changes(amendment: Amendment, data: dict, years: set[int]) -> dict:
    base = amendment.base_version.snapshot if amendment.base_version_id else {}
    changes = {}
    keys = [*AMENDABLE_TEXTS, *(INITIATIVE_KEYS if amendment.adjusts_initiative else ())]
    for key in keys:
        value = data.get(key, amendment.changes.get(key))
        if value is not None and value.strip() != str(base.get(key, "")).strip():
            changes[key] = value.strip()
    amounts = {}
    for number, amount in (data.get("years") or amendment.changes.get("years") or {}).items():
        if amount is None or int(number) not in years:
            continue
        try:
            amount = Decimal(amount)
        except InvalidOperation:
            continue
        if amount < 0:
            raise ValidationError({"years": _("Un montant ne peut pas être négatif.")})
        if Decimal(amendment.allocated.get(str(number), "0")) != amount:
            amounts[str(number)] = str(amount)
    if amounts:
        changes["years"] = amounts
    return changes


def ensure_not_below_paid(amendment: Amendment) -> None:
    """The one rule on what was paid: no year's amended amount below what was already paid
    for that year. Checked when the table saves its amounts (next to the year's field), and
    again at each step after (a payment may be recorded meanwhile), so the committee never
    votes on an amendment that could not apply."""
    amended = amended_years(amendment)
    paid = (Disbursement.objects.filter(allocation_year__allocation=amendment.allocation_id,
                                        allocation_year__year_number__in=amended)
            .values("allocation_year__year_number").annotate(total=Sum("amount"))
            .values_list("allocation_year__year_number", "total"))
    errors = {f"year_{number}": _("Année %(n)s : le montant modifié (%(amount)s) est "
                                  "inférieur à ce qui a déjà été versé (%(paid)s).")
              % {"n": number, "amount": format_money(amended[number]),
                 "paid": format_money(total)}
              for number, total in sorted(paid) if amended[number] < total}
    if errors:
        raise ValidationError(errors)


# --- The transitions --------------------------------------------------------------------------


def _may(actor: User, transition: str):
    return lambda amendment: ensure(actor, f"amendment.{transition}", amendment)


@transaction.atomic
def amendment_submit(*, amendment: Amendment, actor: User,
                     now: datetime.datetime | None = None) -> Amendment:
    """The table submits: the amended proposal is frozen as the proposal's next version."""
    now = now or timezone.now()

    def prepare(locked: Amendment) -> dict:
        errors = {}
        if not locked.reason.strip():
            errors["reason"] = _("Dites ce qui change à la suite de l'échange avec l'équipe.")
        if not locked.action_plan.strip():
            errors["action_plan"] = _("Rédigez le plan d'action de l'année à venir.")
        if locked.adjusts_initiative and _adjusted_this_year(locked):
            errors["adjusts_initiative"] = _(
                "L'initiative a déjà été ajustée pour l'année %(n)s : elle s'ajuste une fois "
                "par année.") % {"n": locked.year_number}
        try:
            ensure_not_below_paid(locked)
        except ValidationError as below:
            errors.update(below.error_dict)
        if errors:
            raise ValidationError(errors)
        locked.submitted_at = now
        return {}

    amendment, moved = MACHINE.move(amendment, "submit", actor=actor,
                                    ensure=_may(actor, "submit"), prepare=prepare,
                                    fields=["submitted_at"])
    if moved:
        proposal = amendment.allocation.proposal
        amendment.version = version_record(
            proposal=proposal, snapshot=amendment_snapshot(amendment), actor=actor, now=now,
            label=_("Modification n° %(n)s") % {"n": amendment.number})
        amendment.save(update_fields=["version"])
        notify_submitted(amendment)
    return amendment


def _adjusted_this_year(amendment: Amendment) -> bool:
    return Amendment.objects.filter(
        allocation=amendment.allocation, year_number=amendment.year_number,
        adjusts_initiative=True, status=S.ACCEPTED).exclude(pk=amendment.pk).exists()


@transaction.atomic
def amendment_review(*, amendment: Amendment, actor: User, note: str = "") -> Amendment:
    """The advisor has read it and gives their opinion; coordination decides."""
    def prepare(locked: Amendment) -> dict:
        locked.review_note = (note or "").strip()
        locked.reviewed_by = person(actor)
        return {"note": locked.review_note}

    amendment, moved = MACHINE.move(amendment, "review", actor=actor,
                                    ensure=_may(actor, "review"), prepare=prepare,
                                    fields=["review_note", "reviewed_by"])
    if moved:
        notify_reviewed(amendment)
    return amendment


@transaction.atomic
def amendment_request_changes(*, amendment: Amendment, actor: User,
                              message: str = "") -> Amendment:
    amendment, moved = MACHINE.move(amendment, "request_changes", actor=actor,
                                    ensure=_may(actor, "request_changes"),
                                    prepare=changes_requested(message),
                                    fields=["changes_requested_note"])
    if moved:
        notify_changes_requested(amendment)
    return amendment


@transaction.atomic
def amendment_accept(*, amendment: Amendment, actor: User,
                     now: datetime.datetime | None = None,
                     agenda_item: AgendaItem | None = None) -> Amendment:
    """Accept the amendment: the one place that sets ACCEPTED and applies it. Coordination
    accepts a reviewed amendment whose amounts stay within the allocation; the comité de
    gestion's closed vote (`agenda_item`, approved) accepts a referred one beyond it. Either
    way no year goes below what was paid for it, and the proposal, the initiative and the
    allocation's years take the amended values."""
    now = now or timezone.now()
    by_committee = agenda_item is not None

    def prepare(locked: Amendment) -> dict:
        if not by_committee and exceeds_allocation(locked):
            raise ValidationError(_("Les montants modifiés dépassent l'allocation entérinée : "
                                    "seul le comité peut en décider. Renvoyez la modification "
                                    "au comité."))
        ensure_not_below_paid(locked)
        locked.decided_by, locked.decided_at = person(actor), now
        return {"agenda_item": agenda_item.pk} if by_committee else {}

    amendment, moved = MACHINE.move(
        amendment, "approve" if by_committee else "accept", actor=actor, via=agenda_item,
        ensure=_committee(actor, agenda_item) if by_committee else _may(actor, "accept"),
        prepare=prepare, fields=["decided_by", "decided_at"])
    if moved:
        # On the committee's road the system writes the committee's decision (as it records
        # a recommendation); coordination writes its own.
        proposal_services.proposal_amend(proposal=amendment.allocation.proposal,
                                         changes=amendment.changes,
                                         actor=SYSTEM if by_committee else actor)
        amounts = {int(n): Decimal(a) for n, a in (amendment.changes.get("years") or {}).items()}
        # saved one by one (a few years), so that whatever follows money hears of it
        # (the cached envelope and portfolio figures are forgotten on commit)
        for year in AllocationYear.objects.filter(allocation=amendment.allocation,
                                                  year_number__in=amounts):
            year.amount = amounts[year.year_number]
            year.save(update_fields=["amount"])
        notify_accepted(amendment)
    return amendment


def _committee(actor: User, item: AgendaItem):
    """Who acts on the committee's road: whoever may close the item's vote."""
    return lambda _amendment: ensure(actor, "vote.close", item)


@transaction.atomic
def amendment_refuse(*, amendment: Amendment, agenda_item: AgendaItem, actor: User,
                     now: datetime.datetime | None = None) -> Amendment:
    """The comité de gestion refuses a referred amendment (its closed vote): the allocation
    and the proposal stay as ratified; the table and its advisor are told, with the
    committee's reasons (the item's). The table may start another amendment."""
    now = now or timezone.now()

    def prepare(locked: Amendment) -> dict:
        locked.decided_by, locked.decided_at = person(actor), now
        return {"agenda_item": agenda_item.pk, "reasons": agenda_item.reasons}

    amendment, moved = MACHINE.move(amendment, "refuse", actor=actor, via=agenda_item,
                                    ensure=_committee(actor, agenda_item), prepare=prepare,
                                    fields=["decided_by", "decided_at"])
    if moved:
        notify_refused(amendment)
    return amendment


@transaction.atomic
def amendment_refer(*, amendment: Amendment, actor: User,
                    now: datetime.datetime | None = None) -> Amendment:
    """Amounts beyond the allocation go back to the committee (coordination puts the file on
    a comité de gestion agenda)."""
    now = now or timezone.now()

    def prepare(locked: Amendment) -> dict:
        if not exceeds_allocation(locked):
            raise ValidationError(_("Les montants restent dans l'allocation : la coordination "
                                    "peut accepter la modification sans le comité."))
        ensure_not_below_paid(locked)
        locked.decided_by, locked.decided_at = person(actor), now
        return {}

    amendment, moved = MACHINE.move(amendment, "refer", actor=actor,
                                    ensure=_may(actor, "refer"), prepare=prepare,
                                    fields=["decided_by", "decided_at"])
    if moved:
        notify_referred(amendment)
    return amendment


@transaction.atomic
def amendment_withdraw(*, amendment: Amendment, actor: User) -> Amendment:
    return MACHINE.move(amendment, "withdraw", actor=actor, ensure=_may(actor, "withdraw"),
                        fields=[])[0]


TRANSITION_FUNCTIONS = {
    "submit": amendment_submit, "review": amendment_review,
    "request_changes": amendment_request_changes, "accept": amendment_accept,
    "refer": amendment_refer, "withdraw": amendment_withdraw,
}


