"""The initiative's journey across stages: what a new draft starts from (an acknowledged letter
of intent, the previous stage's proposal and its reports, or a proposal copied for a new
initiative) and the facts the path rules read (rules.stage_progression_errors).

The reports belong to a higher layer (reporting): it registers here what the previous stage's
reports say (`register_stage_report_source`), so this module never imports it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import CI_CONDITIONS, LetterOfIntent, Proposal
from .states import RATIFIED_STATES


@dataclass(frozen=True)
class StageReports:
    """What the reports of one ratified proposal's stage say."""

    final_submitted: bool  # the final report is in the team's hands (submitted or accepted)
    final_accepted: bool
    learnings: str  # the learnings drawn, to carry into the next stage
    source: str  # how a person names them, with the article: « du rapport final de l'étape 1 »


_REPORT_SOURCES: list[Callable[[Proposal], StageReports | None]] = []


def register_stage_report_source(source: Callable[[Proposal], StageReports | None]) -> None:
    if source not in _REPORT_SOURCES:
        _REPORT_SOURCES.append(source)


def stage_reports(proposal: Proposal) -> StageReports | None:
    for source in _REPORT_SOURCES:
        found = source(proposal)
        if found is not None:
            return found
    return None


def latest_ratified(proposal: Proposal, *, same_initiative: bool) -> Proposal | None:
    """The neighbourhood's ratified proposal at the highest stage, of the same initiative or of
    the others (the proposal itself excluded)."""
    ratified = Proposal.objects.filter(
        neighbourhood_id=proposal.neighbourhood_id, status__in=RATIFIED_STATES,
        stage__program_id=proposal.stage.program_id,
    ).exclude(pk=proposal.pk).select_related("stage")
    same = Q(initiative_id=proposal.initiative_id)
    ratified = ratified.filter(same) if same_initiative else ratified.exclude(same)
    return ratified.order_by("-stage__number", "-submitted_at", "-pk").first()


# --- Carry-forward ----------------------------------------------------------------------------

# The proposal's texts a next stage (or a copy) starts from.
CARRIED_TEXTS = ("summary", "vision", "edi", *CI_CONDITIONS)
EVIDENCE_KEY = "evidence_{}"  # rules.evidence_field: the carried evidence's key


def proposal_source(proposal: Proposal) -> str:
    return _("Repris de la proposition « %(title)s » (étape %(stage)s)") % {
        "title": proposal.title, "stage": proposal.stage.number}


def letter_source(letter: LetterOfIntent) -> str:
    return _("Repris de la lettre d'intention (%(stage)s)") % {"stage": letter.target_stage}


def carry_from_proposal(previous: Proposal, stage) -> tuple[dict, dict]:
    """(the draft's values, their carry marks) from a previous proposal: its texts, and its
    evidence for the prerequisites the new stage shares with it (matched on their label)."""
    source = proposal_source(previous)
    values: dict = {}
    for name in CARRIED_TEXTS:
        text = getattr(previous, name)
        if text.strip():
            values[name] = text
    by_label = {e.item.label: e.text for e in previous.evidence.select_related("item")
                if e.text.strip()}
    evidence = {}
    for item in stage.prerequisites.all():
        if item.label in by_label:
            evidence[item.pk] = by_label[item.label]
    marks = {name: {"source": source, "value": text} for name, text in values.items()}
    marks.update({EVIDENCE_KEY.format(pk): {"source": source, "value": text}
                  for pk, text in evidence.items()})
    values["evidence"] = evidence
    questions = [{"question": q.question, "data_to_collect": q.data_to_collect,
                  "target": q.target} for q in previous.evaluation_questions.all()]
    if questions:
        values["questions"] = questions
    return values, marks


def carry_reports(previous: Proposal) -> tuple[dict, dict]:
    """The previous stage's learnings, from its reports (reporting tells)."""
    reports = stage_reports(previous)
    if reports is None or not reports.learnings.strip():
        return {}, {}
    return ({"previous_learnings": reports.learnings},
            {"previous_learnings": {"source": _("Repris %(source)s") % {
                "source": reports.source}, "value": reports.learnings}})


def is_next_stage(previous: Proposal | None, proposal: Proposal) -> bool:
    return previous is not None and previous.initiative_id == proposal.initiative_id


def mark_for(proposal: Proposal, key: str, current: str) -> dict | None:
    """The carry mark of one field, with whether the text changed since it was carried."""
    mark = (proposal.carried or {}).get(key)
    if not mark:
        return None
    return {"source": mark["source"], "edited": (current or "") != mark.get("value", "")}
