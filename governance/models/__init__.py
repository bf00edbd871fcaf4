"""Committees, analyses, meetings and their agenda items, ratifications and letters.

One module per topic; every model is re-exported here so that `from governance.models import X`
keeps working (and Django finds them all).
"""

from .analyses import Analysis, AnalysisPrerequisite, AnalysisQuerySet, AnalysisYear
from .committees import (
    Committee,
    CommitteeMember,
    CommitteeMemberQuerySet,
    ProgramGovernance,
    QuorumRule,
)
from .decisions import (
    DecisionLetter,
    DecisionLetterQuerySet,
    LetterSignatory,
    MeetingMinutes,
    Ratification,
    RatificationAct,
)
from .letter_templates import Letterhead, LetterTemplate
from .meetings import (
    AgendaItem,
    AgendaItemQuerySet,
    Attendance,
    Meeting,
    MeetingQuerySet,
    Recusal,
    Vote,
)

__all__ = [
    "Letterhead",
    "LetterTemplate",
    "RatificationAct",
    "QuorumRule",
    "Committee",
    "CommitteeMemberQuerySet",
    "CommitteeMember",
    "ProgramGovernance",
    "MeetingQuerySet",
    "Meeting",
    "Attendance",
    "AgendaItemQuerySet",
    "AgendaItem",
    "Recusal",
    "Vote",
    "AnalysisQuerySet",
    "Analysis",
    "AnalysisPrerequisite",
    "AnalysisYear",
    "Ratification",
    "DecisionLetterQuerySet",
    "DecisionLetter",
    "LetterSignatory",
    "MeetingMinutes",
]
