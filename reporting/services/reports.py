"""Annual and final reports: drafts, the financial statement, indicators, documents, and the
report's state machine (one table of allowed transitions, one function per transition).

Nothing else writes `Report.status`. Accepting a final report closes the stage: the allocation
becomes closed (the initiative stays active, so the next stage can be proposed for it).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.selectors import people_of
from pic.access import ensure, person
from pic.audit import audit
from pic.documents import private_name
from pic.drafts import ensure_current
from pic.models import User
from pic.notifications import notify
from pic.workflow import IllegalTransition, Machine, Transition, changes_requested
from proposals.budget import budget_categories
from proposals.documents import validate_upload
from proposals.guide import EdiAxis
from proposals.models import CI_CONDITIONS

from ..models import (
    Allocation,
    AllocationBudgetLine,
    FinancialLine,
    Indicator,
    IndicatorValue,
    QuestionProgress,
    Report,
    ReportDocument,
)

__all__ = ["IllegalTransition"]

S = Report.Status

TRANSITIONS: dict[str, Transition] = {
    "submit": Transition((S.DRAFT,), S.SUBMITTED),
    "request_changes": Transition((S.SUBMITTED, S.RESUBMITTED), S.CHANGES_REQUESTED),
    "resubmit": Transition((S.CHANGES_REQUESTED,), S.RESUBMITTED),
    "accept": Transition((S.SUBMITTED, S.RESUBMITTED), S.ACCEPTED),
}
MACHINE = Machine(model=Report, transitions=TRANSITIONS, audit_prefix="report",
                  subject=lambda _report: _("le rapport"),
                  related=("allocation", "allocation_year"))
EDITABLE_STATES = (S.DRAFT, S.CHANGES_REQUESTED)
# In the team's hands: submitted (again) or accepted; not a draft, not sent back for changes.
HANDED_IN_STATES = (S.SUBMITTED, S.RESUBMITTED, S.ACCEPTED)
PROGRESS_FIELDS = ("data_collected", "progress", "learned", "reinvested")
TEXT_FIELDS = ("activities", "evaluation_progress", "learnings", "reinvestment", "edi",
               *CI_CONDITIONS, "sustainability", "capacity_building", "strategic_learnings")


def allowed_transitions(status: str) -> list[str]:
    return MACHINE.allowed(status)


# --- The financial statement ----------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    lines: list[FinancialLine]
    budget: Decimal
    actual: Decimal

    @property
    def variance(self) -> Decimal:
        return self.actual - self.budget

    @property
    def variance_percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.variance * 100 / self.budget).quantize(Decimal("0.1"))


def statement(lines, *, labels: dict[str, str] | None = None,
              threshold: int | None = None) -> Statement:
    """Totals and variance (actual − budget) computed by the app, never typed in. With
    `labels` each line gets its category's name (`line.label`); with `threshold` whether its
    variance needs an explanation (`line.needs_explanation`)."""
    lines = list(lines)
    for line in lines:
        line.label = (labels or {}).get(line.category, line.category)
        line.needs_explanation = threshold is not None and needs_explanation(line, threshold)
    return Statement(lines=lines, budget=sum((x.budget for x in lines), Decimal("0")),
                     actual=sum((x.actual for x in lines), Decimal("0")))


def category_labels(report: Report) -> dict[str, str]:
    """Category code -> name, for the report's program (retired categories included)."""
    program = report.allocation.stage.program
    return {c.code: c.display_name for c in budget_categories(program, with_retired=True)}


def report_budget(report: Report) -> dict[str, Decimal]:
    """The ratified budget the statement starts from, by category code: the report's year
    (an annual report) or the whole allocation (the final report). Empty for an allocation
    ratified without a budget by line: the table then types its budget."""
    lines = AllocationBudgetLine.objects.filter(
        allocation_year__allocation_id=report.allocation_id)
    if report.kind == Report.Kind.ANNUAL:
        lines = lines.filter(allocation_year_id=report.allocation_year_id)
    totals: dict[str, Decimal] = {}
    for code, amount in lines.values_list("category__code", "amount"):
        totals[code] = totals.get(code, Decimal("0")) + amount
    return totals


def needs_explanation(line: FinancialLine, threshold: int) -> bool:
    """A line whose actual differs from its budget by more than `threshold` percent, in
    either direction (spending on a line with no budget always does)."""
    if not line.budget:
        return line.actual > 0
    return abs(line.actual - line.budget) * 100 > line.budget * threshold


def variance_threshold(report: Report) -> int:
    from .allocations import config_for

    return config_for(report.allocation.stage.program).variance_threshold_percent


# --- Drafts ------------------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update(of=("self",)).select_related(
        "allocation", "allocation_year").get(pk=report.pk)


@transaction.atomic
def report_save_draft(*, report: Report, actor: User, texts: dict[str, str],
                      lines: dict[str, tuple[Decimal, Decimal]] | None = None,
                      indicator_values: dict[int, Decimal | None] | None = None,
                      question_progress: dict[int, dict[str, str]] | None = None,
                      version: str | None = None) -> Report:
    """Save what the neighbourhood wrote, at any time while the report is editable.
    `lines` maps a category code to (budget, actual) or (budget, actual, explanation) (the
    ratified budget, when there is one, replaces the typed budget); `indicator_values` an
    indicator id to its actual value (None clears it); `question_progress` an evaluation
    question id to its data collected, progress, learning and reinvestment. With `version`
    (the one the page was drawn from, pic.drafts), a newer save made meanwhile is never
    overwritten."""
    report = _lock(report)
    ensure(actor, "report.edit", report)
    if report.status not in EDITABLE_STATES:
        raise ValidationError(_("Ce rapport n'est plus modifiable (état : %(s)s).")
                              % {"s": report.get_status_display()})
    ensure_current(report, version)
    errors: dict[str, list[str]] = {}
    categories = category_labels(report)
    ratified = report_budget(report)
    lines = {category: _line_values(values, ratified.get(category, Decimal("0"))
                                    if ratified else None)
             for category, values in (lines or {}).items()}
    for category, (budget, actual, _explanation) in lines.items():
        if category not in categories:
            errors.setdefault("lines", []).append(_("Catégorie inconnue : %(c)s") % {"c": category})
        elif (budget or 0) < 0 or (actual or 0) < 0:
            errors.setdefault("lines", []).append(
                _("%(c)s : les montants ne peuvent pas être négatifs.")
                % {"c": categories[category]})
    allowed_indicators = set(Indicator.objects.filter(
        question__proposal_id=report.allocation.proposal_id).values_list("pk", flat=True))
    for indicator_id in (indicator_values or {}):
        if indicator_id not in allowed_indicators:
            errors.setdefault("indicators", []).append(_("Indicateur inconnu."))
    questions = set(report.allocation.proposal.evaluation_questions.values_list("pk", flat=True))
    if set(question_progress or {}) - questions:
        errors.setdefault("question_progress", []).append(_("Question d'évaluation inconnue."))
    if errors:
        raise ValidationError(errors)
    for field in TEXT_FIELDS:
        if field in texts:
            setattr(report, field, (texts[field] or "").strip())
    if texts.get("edi_axes") is not None:  # the guide's axes, in their order, known ones only
        report.edi_axes = [axis for axis in EdiAxis.values if axis in texts["edi_axes"]]
    report.save()
    for category, (budget, actual, explanation) in lines.items():
        budget, actual = budget or Decimal("0"), actual or Decimal("0")
        if budget == 0 and actual == 0:
            FinancialLine.objects.filter(report=report, category=category).delete()
        else:
            defaults = {"budget": budget, "actual": actual}
            if explanation is not None:
                defaults["explanation"] = explanation.strip()
            FinancialLine.objects.update_or_create(report=report, category=category,
                                                   defaults=defaults)
    for indicator_id, value in (indicator_values or {}).items():
        if value is None:
            IndicatorValue.objects.filter(report=report, indicator_id=indicator_id).delete()
        else:
            IndicatorValue.objects.update_or_create(report=report, indicator_id=indicator_id,
                                                    defaults={"actual": value})
    for question_id, values in (question_progress or {}).items():
        texts_ = {f: (values.get(f) or "").strip() for f in PROGRESS_FIELDS}
        if any(texts_.values()):
            QuestionProgress.objects.update_or_create(report=report, question_id=question_id,
                                                      defaults=texts_)
        else:
            QuestionProgress.objects.filter(report=report, question_id=question_id).delete()
    audit(actor, "report.draft_saved", report)
    return report


def _line_values(values: tuple, ratified: Decimal | None) -> tuple:
    """(budget, actual, explanation or None) from what the form gives, (budget, actual) or
    (budget, actual, explanation); the ratified budget, when there is one, is the budget
    (the table does not type it again)."""
    budget, actual, *rest = values
    if ratified is not None:
        budget = ratified
    return budget, actual, rest[0] if rest else None


@transaction.atomic
def report_document_upload(*, report: Report, upload: UploadedFile,
                           actor: User) -> ReportDocument:
    report = _lock(report)
    ensure(actor, "report.edit", report)
    if report.status not in EDITABLE_STATES:
        raise ValidationError(_("Ce rapport n'est plus modifiable."))
    try:
        content_type = validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    original = private_name(upload)
    document = ReportDocument.objects.create(
        report=report, file=upload, original_name=original, content_type=content_type,
        size=upload.size, uploaded_by=person(actor))
    audit(actor, "report.document_uploaded", report, document=document.pk,
          name=document.original_name)
    return document


@transaction.atomic
def indicator_add(*, question, actor: User, name: str = "", unit: str = "",
                  definition=None, baseline: Decimal | None = None,
                  target: Decimal | None = None) -> Indicator:
    """A typed indicator on an evaluation question (members of the table, their advisor):
    from the program's catalogue (`definition`: its name and unit, unless a name is typed),
    or free (a name and a unit)."""
    ensure(actor, "indicator.add", question)
    if definition is not None:
        if definition.program_id != question.proposal.stage.program_id:
            raise ValidationError(_("Cet indicateur ne fait pas partie du catalogue du "
                                    "programme."))
        name, unit = name.strip() or definition.name, definition.unit
    if not name.strip() or not unit.strip():
        raise ValidationError(_("Un indicateur a un nom et une unité."))
    indicator = Indicator.objects.create(question=question, name=name.strip(), unit=unit.strip(),
                                         definition=definition, baseline=baseline,
                                         target=target)
    audit(actor, "indicator.added", question.proposal, indicator=indicator.pk, name=name)
    return indicator


# --- Transitions ---------------------------------------------------------------------------


def submission_errors(report: Report) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    required = ["activities", "learnings", "edi"]
    if report.kind == Report.Kind.FINAL:
        required.append("strategic_learnings")
    for field in required:
        if not getattr(report, field).strip():
            errors[field] = [_("Ce champ est requis pour remettre le rapport.")]
    lines = list(report.lines.all())
    if not lines:
        errors["lines"] = [_("L'état financier doit compter au moins une ligne.")]
    threshold = variance_threshold(report)
    labels = category_labels(report) if lines else {}
    for line in lines:
        if needs_explanation(line, threshold) and not line.explanation.strip():
            errors.setdefault("lines", []).append(
                _("%(c)s : le réel s'écarte du budget de plus de %(t)s %% ; expliquez l'écart.")
                % {"c": labels.get(line.category, line.category), "t": threshold})
    return errors


def _may(actor: User, transition: str):
    """Who may: the rule of the action "report.<transition>" (pic.access)."""
    return lambda report: ensure(actor, f"report.{transition}", report)


def _hand_in(report: Report, transition: str, actor: User,
             now: datetime.datetime | None) -> Report:
    """Submitting and resubmitting are the same move from two states."""

    def prepare(locked: Report) -> None:
        errors = submission_errors(locked)
        if errors:
            raise ValidationError(errors)
        locked.submitted_at = now or timezone.now()

    report, moved = MACHINE.move(report, transition, actor=actor,
                                 ensure=_may(actor, transition), prepare=prepare)
    if moved:
        _tell(report, "report.submitted", actor, advisors=True)
    return report


def _tell(report: Report, kind: str, actor: User, **who: bool) -> None:
    """Notify the people of the report's neighbourhood (one event per hand-in)."""
    neighbourhood_id = report.allocation.neighbourhood_id
    notify(kind, people_of(neighbourhood_id, **who), report, actor=actor,
           event=report.submitted_at.isoformat() if report.submitted_at else "")


@transaction.atomic
def report_submit(*, report: Report, actor: User,
                  now: datetime.datetime | None = None) -> Report:
    return _hand_in(report, "submit", actor, now)


@transaction.atomic
def report_resubmit(*, report: Report, actor: User,
                    now: datetime.datetime | None = None) -> Report:
    return _hand_in(report, "resubmit", actor, now)


@transaction.atomic
def report_request_changes(*, report: Report, actor: User, message: str) -> Report:
    report, moved = MACHINE.move(report, "request_changes", actor=actor,
                                 ensure=_may(actor, "request_changes"),
                                 prepare=changes_requested(message))
    if moved:
        _tell(report, "report.returned", actor, members=True)
    return report


@transaction.atomic
def report_accept(*, report: Report, actor: User,
                  now: datetime.datetime | None = None) -> Report:
    """The advisor accepts the report; a final report's acceptance closes the stage.
    `now` defaults to the server time (the demo replays past years with it)."""
    now = now or timezone.now()

    def prepare(locked: Report) -> None:
        locked.accepted_at = now

    report, moved = MACHINE.move(report, "accept", actor=actor, ensure=_may(actor, "accept"),
                                 prepare=prepare)
    if moved:
        _tell(report, "report.accepted", actor, members=True, advisors=True)
    if moved and report.kind == Report.Kind.FINAL:
        allocation = Allocation.objects.select_for_update().get(pk=report.allocation_id)
        allocation.status = Allocation.Status.CLOSED
        allocation.closed_on = timezone.localdate(now)
        allocation.save(update_fields=["status", "closed_on"])
        audit(actor, "allocation.stage_closed", allocation, report=report.pk)
    return report


TRANSITION_FUNCTIONS = {
    "submit": report_submit,
    "resubmit": report_resubmit,
    "request_changes": report_request_changes,
    "accept": report_accept,
}
