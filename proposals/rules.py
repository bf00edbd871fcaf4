"""The program's submission rules, in one place.

`submission_errors()` returns every failed rule as French messages keyed by the form field they
concern, so the edit page can show each one next to its field. The window rule is a pure
function of (deadline, now) so its edges can be tested to the second.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pic.formatting import format_money

from . import journey
from .models import (
    Contact,
    Program,
    Proposal,
    ProposalDocument,
    Stage,
    Window,
    WindowExtension,
)
from .states import RATIFIED_STATES  # noqa: F401 - the rules' group of states, re-exported

MONTREAL = ZoneInfo("America/Toronto")

# Field keys the rules use (the edit form uses the same names).
WINDOW, CONTACT, STAGE = "window", "contact", "stage"
JUMP = "stage_jump_justification"
YEARS, DURATION, JUSTIFICATION = "years", "duration_years", "duration_justification"
CAPACITY, SUMMARY, QUESTIONS = "capacity_building_amount", "summary", "evaluation"
BUDGET = "budget"


def evidence_field(item_id: int) -> str:
    return f"evidence_{item_id}"


def year_field(number: int) -> str:
    return f"year_{number}"


def money(amount: Decimal) -> str:
    return format_money(amount)


# --- The window ---------------------------------------------------------------------------


def window_closes_at(deadline: datetime.date) -> datetime.datetime:
    """The last instant of the deadline day, Montreal time (23:59:59.999999)."""
    return datetime.datetime.combine(deadline, datetime.time.max, tzinfo=MONTREAL)


def window_is_open(*, deadline: datetime.date, now: datetime.datetime,
                   opens_on: datetime.date | None = None) -> bool:
    """Pure: is a window with this deadline open at `now` (an aware datetime)?"""
    if opens_on is not None and now < datetime.datetime.combine(
            opens_on, datetime.time.min, tzinfo=MONTREAL):
        return False
    return now <= window_closes_at(deadline)


def effective_deadline(window: Window, neighbourhood_id: int,
                       extensions: dict[tuple[int, int], datetime.date] | None = None
                       ) -> datetime.date:
    if extensions is None:
        extension = WindowExtension.objects.filter(
            window=window, neighbourhood_id=neighbourhood_id).first()
        return extension.new_deadline if extension else window.deadline
    return extensions.get((window.pk, neighbourhood_id), window.deadline)


def open_window_for(*, stage: Stage, neighbourhood_id: int,
                    now: datetime.datetime | None = None) -> Window | None:
    """The open window accepting this stage for this neighbourhood (extensions count), the one
    closing first."""
    now = now or timezone.now()
    today = now.astimezone(MONTREAL).date()
    candidates = (
        Window.objects.filter(program_id=stage.program_id, stages=stage)
        .filter(Q(deadline__gte=today) | Q(extensions__neighbourhood_id=neighbourhood_id,
                                             extensions__new_deadline__gte=today))
        .distinct()
        .order_by("deadline")
    )
    extensions = {
        (e.window_id, e.neighbourhood_id): e.new_deadline
        for e in WindowExtension.objects.filter(neighbourhood_id=neighbourhood_id,
                                                window__in=candidates)
    }
    for window in candidates:
        deadline = effective_deadline(window, neighbourhood_id, extensions)
        if window_is_open(deadline=deadline, now=now, opens_on=window.opens_on):
            return window
    return None


# --- Each rule ------------------------------------------------------------------------------


def _amount_errors(proposal: Proposal, stage: Stage) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    years = {y.year_number: y.amount for y in proposal.years.all()}
    low, high = stage.min_yearly_amount, stage.max_yearly_amount
    for number in range(1, proposal.duration_years + 1):
        amount = years.get(number)
        if amount is None:
            errors.setdefault(year_field(number), []).append(
                _("Indiquez le montant demandé pour l'année %(n)s.") % {"n": number})
        elif not low <= amount <= high:
            errors.setdefault(year_field(number), []).append(
                _("Année %(n)s : le soutien annuel de l'étape %(stage)s doit être entre "
                  "%(low)s et %(high)s (montant demandé : %(amount)s).")
                % {"n": number, "stage": stage.number, "low": money(low), "high": money(high),
                   "amount": money(amount)})
    extra = sorted(n for n in years if n > proposal.duration_years)
    if extra:
        which = ngettext("de l'année %(extra)s", "des années %(extra)s", len(extra)) % {
            "extra": ", ".join(str(n) for n in extra)}
        errors.setdefault(YEARS, []).append(
            ngettext("La durée demandée est de %(duration)s an : retirez le montant %(which)s "
                     "(le budget compte %(count)s années).",
                     "La durée demandée est de %(duration)s ans : retirez le montant %(which)s "
                     "(le budget compte %(count)s années).", proposal.duration_years)
            % {"count": len(years), "duration": proposal.duration_years, "which": which})
    return errors


def budget_errors(requested: dict[int, Decimal], lines: dict[int, Decimal]) -> dict[str, list[str]]:
    """The budget by line: when it has lines, each year's lines total that year's requested
    amount (`requested` and `lines`: year number -> amount, `lines` the sum of the year's
    lines). A proposal without budget lines has nothing to check here."""
    if not any(lines.values()):
        return {}
    errors: dict[str, list[str]] = {}
    for number in sorted(set(requested) | set(lines)):
        asked, total = requested.get(number, Decimal("0")), lines.get(number, Decimal("0"))
        if asked != total:
            errors.setdefault(BUDGET, []).append(
                _("Année %(n)s : les lignes du budget totalisent %(total)s, le montant demandé "
                  "pour l'année est de %(asked)s.")
                % {"n": number, "total": money(total), "asked": money(asked)})
    return errors


def _budget_errors(proposal: Proposal) -> dict[str, list[str]]:
    totals: dict[int, Decimal] = {}
    for line in proposal.budget_lines.all():
        totals[line.year_number] = totals.get(line.year_number, Decimal("0")) + line.amount
    requested = {y.year_number: y.amount for y in proposal.years.all()}
    return budget_errors(requested, totals)


def _duration_errors(proposal: Proposal, stage: Stage) -> dict[str, list[str]]:
    duration = proposal.duration_years
    if duration < 1:
        return {DURATION: [_("La durée demandée doit être d'au moins un an.")]}
    if duration > stage.max_duration_years:
        return {DURATION: [
            ngettext("L'étape %(stage)s dure au plus %(max)s an (durée demandée : %(d)s ans).",
                     "L'étape %(stage)s dure au plus %(max)s ans (durée demandée : %(d)s ans).",
                     stage.max_duration_years)
            % {"stage": stage.number, "max": stage.max_duration_years, "d": duration}]}
    if duration > stage.normal_duration_years and not proposal.duration_justification.strip():
        return {JUSTIFICATION: [
            ngettext("Une durée de %(d)s ans dépasse la durée normale de l'étape %(stage)s "
                     "(%(normal)s an) : une justification écrite est exigée.",
                     "Une durée de %(d)s ans dépasse la durée normale de l'étape %(stage)s "
                     "(%(normal)s ans) : une justification écrite est exigée.",
                     stage.normal_duration_years)
            % {"d": duration, "stage": stage.number, "normal": stage.normal_duration_years}]}
    return {}


def _capacity_errors(proposal: Proposal, stage: Stage) -> dict[str, list[str]]:
    amount = proposal.capacity_building_amount
    if amount < 0 or amount > stage.capacity_building_amount:
        return {CAPACITY: [
            _("Le montant de renforcement des compétences de l'étape %(stage)s est d'au plus "
              "%(max)s (montant demandé : %(amount)s).")
            % {"stage": stage.number, "max": money(stage.capacity_building_amount),
               "amount": money(amount)}]}
    return capacity_split_errors(
        total=amount, external=proposal.capacity_external_amount,
        internal=proposal.capacity_internal_amount, other=proposal.capacity_other_amount)


CAPACITY_SPLIT = "capacity_external_amount"


def capacity_split_errors(*, total: Decimal, external: Decimal, internal: Decimal,
                          other: Decimal) -> dict[str, list[str]]:
    """The guide's split of the capacity-building amount (5.4): external support, internal
    evaluation resources and other uses total the capacity-building amount (no split typed
    at all: nothing to check)."""
    parts = (external or Decimal("0")) + (internal or Decimal("0")) + (other or Decimal("0"))
    if parts == 0 or parts == total:
        return {}
    return {CAPACITY_SPLIT: [
        _("La répartition du renforcement des compétences (partenaires externes %(external)s "
          "+ ressources internes en évaluation %(internal)s + autres %(other)s = %(parts)s) "
          "doit totaliser le montant du renforcement des compétences, %(total)s.")
        % {"external": money(external), "internal": money(internal), "other": money(other),
           "parts": money(parts), "total": money(total)}]}


def _prerequisite_errors(proposal: Proposal, stage: Stage) -> dict[str, list[str]]:
    texts = {e.item_id: e.text for e in proposal.evidence.all()}
    documented = set(
        ProposalDocument.objects.filter(proposal=proposal, prerequisite__isnull=False)
        .values_list("prerequisite_id", flat=True))
    errors = {}
    for item in stage.prerequisites.all():
        if not texts.get(item.pk, "").strip() and item.pk not in documented:
            errors[evidence_field(item.pk)] = [
                _("Démontrez ce préalable (un texte ou un document) : « %(label)s ».")
                % {"label": item.display_label}]
    return errors


def _contact_errors(proposal: Proposal, now: datetime.datetime) -> dict[str, list[str]]:
    today = now.astimezone(MONTREAL).date()
    has_contact = Contact.objects.filter(
        Q(initiative__isnull=True) | Q(initiative_id=proposal.initiative_id),
        neighbourhood_id=proposal.neighbourhood_id, kind=Contact.Kind.PRE_SUBMISSION,
        date__lte=today,
    ).exists()
    if has_contact:
        return {}
    return {CONTACT: [_("Avant le dépôt, le dossier doit montrer un échange avec votre "
                        "conseiller·ère de Centraide (échange « avant le dépôt »).")]}


def stage_progression_errors(proposal: Proposal) -> dict[str, list[str]]:
    """The paths the guide allows: entry at any stage for a neighbourhood's first initiative;
    then the next stage for the same initiative once the previous stage's proposal is ratified
    (and its final report is as far as the program asks), planning straight to intensification
    where the program allows it, with a justification; or a new initiative at stage 1 after
    stage 2 or 3."""
    stage_number = proposal.stage.number
    program = proposal.stage.program
    previous = journey.latest_ratified(proposal, same_initiative=True)
    if previous is not None:
        own = previous.stage.number
        error = _next_stage_error(proposal, own, program)
        if error:
            return error
        return _final_report_errors(previous, program)
    others = journey.latest_ratified(proposal, same_initiative=False)
    if others is None:
        return {}  # the neighbourhood's first initiative: entry at any stage
    if stage_number != 1:
        return {STAGE: [_("Une nouvelle initiative commence à l'étape 1.")]}
    if others.stage.number < 2:
        return {STAGE: [_("Une nouvelle initiative peut commencer à l'étape 1 après l'étape 2 "
                          "ou 3 de l'initiative précédente; poursuivez d'abord celle-ci à "
                          "l'étape 2.")]}
    return {}


def _next_stage_error(proposal: Proposal, own: int, program) -> dict[str, list[str]]:
    stage_number = proposal.stage.number
    if stage_number == own + 1:
        return {}
    if own == 1 and stage_number == 3:
        if not program.allow_planning_to_intensification:
            return {STAGE: [_("Le programme ne permet pas de passer de la planification "
                              "(étape 1) à l'intensification (étape 3) : la suivante est "
                              "l'étape 2.")]}
        if not proposal.stage_jump_justification.strip():
            return {JUMP: [_("Pour passer de la planification à l'intensification, justifiez-le "
                             "(p. ex. l'initiative a déjà été déployée à la phase 1, avec des "
                             "effets documentés).")]}
        return {}
    if own >= 3:
        return {STAGE: [_("Cette initiative a terminé l'étape 3 : proposez une nouvelle "
                          "initiative à l'étape 1.")]}
    return {STAGE: [_("Cette initiative a une proposition entérinée à l'étape %(own)s : la "
                      "suivante est l'étape %(next)s.") % {"own": own, "next": own + 1}]}


def _final_report_errors(previous: Proposal, program) -> dict[str, list[str]]:
    """The program's setting: may the next stage be submitted before the previous stage's
    final report is submitted, or accepted?"""
    needs = program.next_stage_requires
    if needs == Program.NextStageRequires.NOTHING:
        return {}
    reports = journey.stage_reports(previous)
    submitted = reports is not None and reports.final_submitted
    accepted = reports is not None and reports.final_accepted
    if needs == Program.NextStageRequires.FINAL_ACCEPTED and not accepted:
        return {STAGE: [_("Le rapport final de l'étape %(n)s doit être accepté avant le dépôt "
                          "de cette proposition.") % {"n": previous.stage.number}]}
    if needs == Program.NextStageRequires.FINAL_SUBMITTED and not submitted:
        return {STAGE: [_("Le rapport final de l'étape %(n)s doit être remis avant le dépôt "
                          "de cette proposition.") % {"n": previous.stage.number}]}
    return {}


def submission_errors(proposal: Proposal, *, now: datetime.datetime | None = None,
                      check_window: bool = True) -> dict[str, list[str]]:
    """Every failed rule, keyed by field. Empty when the proposal may be submitted."""
    now = now or timezone.now()
    stage = proposal.stage
    errors: dict[str, list[str]] = {}

    def add(more: dict[str, list[str]]) -> None:
        for key, messages in more.items():
            errors.setdefault(key, []).extend(messages)

    if check_window and open_window_for(stage=stage, neighbourhood_id=proposal.neighbourhood_id,
                                        now=now) is None:
        add({WINDOW: [_("Aucune période de dépôt acceptant l'étape %(stage)s n'est ouverte "
                        "(les dates limites se terminent à 23 h 59, heure de Montréal).")
                      % {"stage": stage.number}]})
    add(_contact_errors(proposal, now))
    if not proposal.summary.strip():
        add({SUMMARY: [_("Rédigez le résumé de la proposition.")]})
    add(_prerequisite_errors(proposal, stage))
    add(_duration_errors(proposal, stage))
    add(_amount_errors(proposal, stage))
    add(_capacity_errors(proposal, stage))
    add(_budget_errors(proposal))
    if not proposal.evaluation_questions.exists():
        add({QUESTIONS: [_("Choisissez au moins une question d'évaluation (apprentissage) "
                           "pour l'étape.")]})
    add(stage_progression_errors(proposal))
    return errors
