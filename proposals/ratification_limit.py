"""The eight-week ratification limit of a file: its window's deadline plus its program's
`ratification_weeks` (the guide: a decision is ratified within eight weeks of the deadline).

The one place of that rule. The limit is computed by the database (`ratification_limit_sql`)
and kept on the file (`Proposal.ratification_due_on`), so the ratification page, the
dashboards and the daily reminders filter and sort thousands of files by an index: refreshed
when a file is placed in a window or a stage, and for every file of a window, a stage or a
program whose deadline or weeks change (the signals connected by proposals.apps)."""

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.signals import post_save

from pic.sql import AddDays

from .models import Program, Proposal, Stage, Window


def ratification_limit_sql() -> AddDays:
    """The limit as a SQL expression over a proposal's row (NULL without a window)."""
    return AddDays(F("window__deadline"), F("stage__program__ratification_weeks") * 7)


def ratification_limits_refresh(proposals: QuerySet[Proposal]) -> int:
    """Compute again the limit of these files: one UPDATE, whatever their number."""
    limit = (Proposal.objects.filter(pk=OuterRef("pk")).order_by()
             .annotate(limit=ratification_limit_sql()).values("limit")[:1])
    return proposals.order_by().update(ratification_due_on=Subquery(limit))


def _proposal_saved(sender, instance: Proposal, raw=False, **kwargs) -> None:
    """A file placed in a window or a stage (its submission, mostly) gets its limit; a save
    that moved neither costs nothing."""
    placed = (instance.window_id, instance.stage_id)
    if raw or getattr(instance, "_limit_placed", None) == placed:
        return
    instance._limit_placed = placed
    if instance.window_id is None and instance.ratification_due_on is None:
        return
    ratification_limits_refresh(Proposal.objects.filter(pk=instance.pk))
    instance.__dict__.pop("ratification_due_on", None)  # read again from the row if asked


def _window_saved(sender, instance: Window, raw=False, **kwargs) -> None:
    if not raw:
        ratification_limits_refresh(Proposal.objects.filter(window=instance))


def _stage_saved(sender, instance: Stage, raw=False, **kwargs) -> None:
    if not raw:
        ratification_limits_refresh(Proposal.objects.filter(stage=instance,
                                                            window__isnull=False))


def _program_saved(sender, instance: Program, raw=False, **kwargs) -> None:
    if not raw:
        ratification_limits_refresh(Proposal.objects.filter(stage__program=instance,
                                                            window__isnull=False))


def connect_signals() -> None:
    """Called once by proposals.apps."""
    for model, handler in ((Proposal, _proposal_saved), (Window, _window_saved),
                           (Stage, _stage_saved), (Program, _program_saved)):
        post_save.connect(handler, sender=model,
                          dispatch_uid=f"ratification-limit-{model.__name__}")
