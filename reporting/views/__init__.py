"""Follow-up pages and the role homes, by topic."""

from .allocations import (
    AllocationDetailView,
    AllocationListView,
    DisbursementCreateView,
    IndicatorCreateView,
)
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
    DashboardView,
    EnvelopeView,
    ReminderPreferenceView,
    ReportingConfigView,
    TodoView,
)
from .home import HomeView
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

__all__ = [
    "AllocationDetailView", "AllocationListView", "CheckInRecordView", "DashboardView",
    "DisbursementCreateView", "EnvelopeView", "ExportIndexView", "ExportView",
    "ExportJobCreateView", "ExportJobDownloadView", "HomeView", "ImportJobDetailView",
    "ImportJobProgressView", "JobDetailView", "JobProgressView", "ImportView",
    "IndicatorCreateView",
    "ReminderPreferenceView", "ReportDetailView", "ReportDocumentDownloadView",
    "ReportAcceptView", "ReportDocumentUploadView", "ReportEditView",
    "ReportRequestChangesView", "ReportResubmitView", "ReportSubmitView",
    "ReportTransitionView", "ReportingConfigView", "TodoView",
]
