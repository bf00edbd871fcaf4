"""Follow-up pages and the role homes, by topic."""

from .allocations import (
    AllocationDetailView,
    DisbursementCreateView,
    IndicatorCreateView,
)
from .amendments import (
    AmendmentAcceptView,
    AmendmentAgendaAddView,
    AmendmentCreateView,
    AmendmentDetailView,
    AmendmentEditView,
    AmendmentReferView,
    AmendmentRequestChangesView,
    AmendmentReviewView,
    AmendmentSubmitView,
    AmendmentWithdrawView,
)
from .bulk import NeighbourhoodRemindView
from .calendar import CalendarFeedManageView, CalendarFeedView, CalendarView
from .checkins import CheckInRecordView
from .exports import (
    ExportIndexView,
    ExportJobCreateView,
    ExportJobDownloadView,
    ExportView,
    ImportJobDetailView,
    ImportJobProgressView,
    ImportView,
    JobDetailView,
    JobProgressView,
)
from .followup import (
    ContributionView,
    DashboardView,
    EnvelopeView,
    OverdueListView,
    ReminderPreferenceView,
    ReportingConfigView,
    TodoView,
)
from .home import HomeView
from .lists import (
    AllocationListView,
    CheckInListView,
    DisbursementListView,
    ReportListView,
)
from .payments import InstalmentChangeView, InstalmentPayView, InstalmentReleaseView
from .reports import (
    ReportAcceptView,
    ReportDetailView,
    ReportDocumentDownloadView,
    ReportDocumentUploadView,
    ReportEditView,
    ReportRequestChangesView,
    ReportResubmitView,
    ReportSubmitView,
    ReportTransitionView,
)
from .search import SearchView

__all__ = [
    "AmendmentAcceptView", "AmendmentCreateView", "AmendmentDetailView", "AmendmentEditView",
    "AmendmentReferView", "AmendmentAgendaAddView", "AmendmentRequestChangesView",
    "AmendmentReviewView",
    "AmendmentSubmitView", "AmendmentWithdrawView",
    "ContributionView", "InstalmentChangeView", "InstalmentPayView", "InstalmentReleaseView",
    "AllocationDetailView", "AllocationListView", "CheckInRecordView", "DashboardView",
    "DisbursementCreateView", "EnvelopeView", "ExportIndexView", "ExportView",
    "ExportJobCreateView", "ExportJobDownloadView", "HomeView", "ImportJobDetailView",
    "ImportJobProgressView", "JobDetailView", "JobProgressView", "ImportView",
    "IndicatorCreateView",
    "ReminderPreferenceView", "ReportDetailView", "ReportDocumentDownloadView",
    "ReportAcceptView", "ReportDocumentUploadView", "ReportEditView",
    "ReportRequestChangesView", "ReportResubmitView", "ReportSubmitView",
    "ReportTransitionView", "ReportingConfigView", "TodoView",
    "CheckInListView", "DisbursementListView", "NeighbourhoodRemindView", "ReportListView",
    "SearchView", "CalendarFeedManageView", "CalendarFeedView", "CalendarView",
    "OverdueListView",
]
