"""Pages and one POST view per transition. Every object comes from a scoped selector.

One module per topic; the views are re-exported here for governance/urls.py.
"""

from .analyses import AnalysisDetailView, AnalysisEditView
from .base import ServicePostView
from .bulk import AgendaBulkAddView
from .committees import CommitteeListView, SeatEndView, SeatView
from .decisions import (
    DecisionView,
    LetterDownloadView,
    LetterRegenerateView,
    RatificationActMinutesView,
    RatificationActView,
    RatificationListView,
    RatifyView,
    RefusalLetterView,
)
from .letter_templates import (
    LetterheadEditView,
    LetterTemplateEditView,
    LetterTemplateListView,
    LetterTemplateResetView,
    SignatoryEditView,
)
from .letters import (
    LetterAcknowledgeView,
    LetterBulkSendView,
    LetterConditionsView,
    LetterReviewView,
    LetterSendView,
)
from .lists import ItemsToVoteView, LetterListView, MeetingListView
from .meetings import (
    AgendaItemAddView,
    AgendaItemDetailView,
    AttendanceView,
    CloseItemView,
    ConflictView,
    ItemDocumentDownloadView,
    ItemPostView,
    MeetingAgendaView,
    MeetingCreateView,
    MeetingDetailView,
    MinutesDownloadView,
    MinutesGenerateView,
    MinutesUploadView,
    ReminderView,
    VotersPanelView,
    VoteView,
)

__all__ = [
    "LetterheadEditView",
    "LetterTemplateEditView",
    "LetterTemplateListView",
    "LetterTemplateResetView",
    "SignatoryEditView",
    "LetterAcknowledgeView",
    "LetterBulkSendView",
    "LetterConditionsView",
    "LetterReviewView",
    "LetterSendView",
    "RatificationActMinutesView",
    "MinutesUploadView",
    "RatificationActView",
    "ServicePostView",
    "AgendaBulkAddView",
    "CommitteeListView",
    "SeatView",
    "SeatEndView",
    "MeetingListView",
    "ItemsToVoteView",
    "MeetingCreateView",
    "MeetingDetailView",
    "MeetingAgendaView",
    "AgendaItemAddView",
    "AttendanceView",
    "MinutesGenerateView",
    "ItemDocumentDownloadView",
    "MinutesDownloadView",
    "AgendaItemDetailView",
    "ItemPostView",
    "VoteView",
    "ConflictView",
    "CloseItemView",
    "ReminderView",
    "VotersPanelView",
    "AnalysisDetailView",
    "AnalysisEditView",
    "RatificationListView",
    "DecisionView",
    "RatifyView",
    "RefusalLetterView",
    "LetterRegenerateView",
    "LetterListView",
    "LetterDownloadView",
]
