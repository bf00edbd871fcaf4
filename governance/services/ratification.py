"""Ratification by the ratifying body, as a deliberation (a meeting or a written consultation
with its resolution number and minutes) ratifying one or many recommendations; higher layers
listen to it (the allocation) and may warn before it (an allocation past the program's end)."""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.selectors import people_of
from pic import bulk, outbox
from pic.access import ensure, person
from pic.audit import audit
from pic.documents import minutes_pdf_digest
from pic.models import User
from pic.notifications import notify
from proposals import workflow
from proposals.models import Proposal

from ..models import (
    Committee,
    CommitteeMember,
    DecisionLetter,
    Meeting,
    Ratification,
    RatificationAct,
)
from .committees import ratifying_committee

# A higher layer that acts on a ratification (reporting makes the allocation) registers here;
# listeners run inside the ratification's transaction, so both happen or neither does.
_RATIFICATION_LISTENERS: list[Callable[..., object]] = []


# A higher layer that knows what a ratification will make (reporting: the allocation's years)
# registers a check here: `check(proposals=, ratified_on=)` returns {proposal pk: warnings}
# to show before, for a deliberation's many proposals in a constant number of queries.
_RATIFICATION_CHECKS: list[Callable[..., list[str]]] = []


def register_ratification_listener(listener: Callable[..., object]) -> None:
    if listener not in _RATIFICATION_LISTENERS:
        _RATIFICATION_LISTENERS.append(listener)


def register_ratification_check(check: Callable[..., list[str]]) -> None:
    if check not in _RATIFICATION_CHECKS:
        _RATIFICATION_CHECKS.append(check)


def ratification_warnings(*, proposal: Proposal, ratified_on: datetime.date) -> list[str]:
    """What the people ratifying should know first (never a refusal)."""
    return ratification_warnings_of(proposals=[proposal], ratified_on=ratified_on)[proposal.pk]


def ratification_warnings_of(*, proposals: Iterable[Proposal], ratified_on: datetime.date
                             ) -> dict[int, list[str]]:
    """ratification_warnings of many proposals at once: {proposal pk: warnings}."""
    proposals = list(proposals)
    warnings: dict[int, list[str]] = {p.pk: [] for p in proposals}
    if proposals:
        for check in _RATIFICATION_CHECKS:
            for pk, found in check(proposals=proposals, ratified_on=ratified_on).items():
                warnings[pk].extend(found)
    return warnings


@transaction.atomic
def ratification_record(*, proposal: Proposal, ratified_on: datetime.date,
                        actor: User, act: RatificationAct | None = None) -> Ratification:
    """Record one proposal's ratification (within `act`, the body's deliberation, when
    given: its date is the ratification's)."""
    ensure(actor, "ratification.record", proposal)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    existing = Ratification.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    if act is not None:
        ratified_on = act.held_on
    if ratified_on > timezone.localdate():
        raise ValidationError({"ratified_on": _("La date d'entérinement ne peut pas être dans "
                                                "le futur.")})
    committee = ratifying_committee(proposal.stage.program)
    if act is not None and act.committee_id != committee.pk:
        raise ValidationError(_("C'est le %(body)s qui entérine les décisions de ce programme.")
                              % {"body": committee})
    ratification = Ratification.objects.create(proposal=proposal, committee=committee,
                                               act=act, ratified_on=ratified_on,
                                               recorded_by=person(actor))
    proposal = workflow.proposal_ratify(proposal=proposal, ratification=ratification,
                                        actor=actor)
    ratification.proposal = proposal
    audit(actor, "proposal.ratification_recorded", proposal, committee=committee.kind,
          ratified_on=ratified_on.isoformat(),
          resolution=act.resolution_number if act is not None else "")
    # The neighbourhood's people get the decision letter by email: the inbox only for them.
    notify("proposal.ratified", people_of(proposal.neighbourhood_id, members=True,
                                          advisors=True), proposal, actor=actor, email=False)
    notify("proposal.ratified", CommitteeMember.objects.current().filter(
        committee=committee).values_list("user_id", flat=True), proposal, actor=actor)
    for listener in _RATIFICATION_LISTENERS:
        listener(ratification=ratification, actor=actor)
    from ..tasks import send_decision_letter

    outbox.schedule(send_decision_letter, proposal.pk, DecisionLetter.Kind.ALLOCATION,
                    key=f"decision-letter:{proposal.pk}:allocation")
    return ratification


# --- The deliberation: many recommendations in one act ---------------------------------------


@dataclass
class ActResult:
    act: RatificationAct
    ratified: list[Ratification] = field(default_factory=list)
    failures: list[tuple[Proposal, str]] = field(default_factory=list)


@transaction.atomic
def ratification_act_create(*, committee: Committee, mode: str, held_on: datetime.date,
                            resolution_number: str, actor: User,
                            source_meeting: Meeting | None = None,
                            minutes: UploadedFile | None = None,
                            notes: str = "") -> RatificationAct:
    """The ratifying body's deliberation itself (its ratifications are recorded with it)."""
    ensure(actor, "ratification.record")
    resolution_number = (resolution_number or "").strip()
    errors: dict[str, list[str]] = {}
    if mode not in RatificationAct.Mode.values:
        errors.setdefault("mode", []).append(_("Choisissez une rencontre ou une consultation "
                                               "écrite."))
    if held_on is None or held_on > timezone.localdate():
        errors.setdefault("held_on", []).append(
            _("La date de la délibération ne peut pas être dans le futur."))
    if not resolution_number:
        errors.setdefault("resolution_number", []).append(_("Indiquez le numéro de résolution."))
    elif RatificationAct.objects.filter(committee=committee,
                                        resolution_number=resolution_number).exists():
        errors.setdefault("resolution_number", []).append(
            _("La résolution %(n)s du %(c)s est déjà enregistrée.")
            % {"n": resolution_number, "c": committee})
    digest = ""
    if minutes is not None:
        try:
            digest = minutes_pdf_digest(minutes)
        except ValidationError as error:
            errors.setdefault("minutes", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    act = RatificationAct(committee=committee, mode=mode, held_on=held_on,
                          resolution_number=resolution_number, source_meeting=source_meeting,
                          notes=(notes or "").strip(), minutes_sha256=digest,
                          recorded_by=person(actor))
    if minutes is not None:
        act.minutes.save(f"resolution-{committee.pk}-{digest[:12]}.pdf", minutes, save=False)
    act.save()
    audit(actor, "ratification_act.recorded", act, committee=committee.kind, mode=mode,
          held_on=held_on.isoformat(), resolution=resolution_number,
          source_meeting=source_meeting.pk if source_meeting else None)
    return act


def ratification_act_record(*, proposals: Iterable[Proposal], actor: User,
                            **act_fields) -> ActResult:
    """Ratify several recommendations in one act (one resolution, one date, one body): the
    act first, then each proposal in its own transaction, so that one that fails is named and
    the others are ratified all the same; each gets its own allocation and letter."""
    act = ratification_act_create(actor=actor, **act_fields)
    ratified = {}

    def ratify(proposal: Proposal) -> None:
        ratified[proposal.pk] = ratification_record(proposal=proposal, ratified_on=act.held_on,
                                                    actor=actor, act=act)

    outcome = bulk.each_in_its_own_transaction(proposals, ratify)
    result = ActResult(act=act, ratified=[ratified[p.pk] for p in outcome.done],
                       failures=[(p, " ".join(reasons)) for p, reasons in outcome.failed])
    audit(actor, "ratification_act.completed", act, ratified=len(result.ratified),
          failed=[proposal.pk for proposal, _message in result.failures])
    return result
