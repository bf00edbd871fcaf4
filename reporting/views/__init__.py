"""Follow-up pages and the role homes, by topic."""

from .allocations import (
    AllocationDetailView,
    AllocationListView,
    DisbursementCreateView,
    IndicatorCreateView,
)
from .checkins import CheckInRecordView
from .exports import ExportIndexView, ExportView, GivingExportView, ImportView
from .followup import (
    DashboardView,
    EnvelopeView,
    ReminderPreferenceView,
    ReportingConfigView,
    TodoView,
)
from .home import HomeView
from .reports import (
    ReportDetailView,
    ReportDocumentDownloadView,
    ReportDocumentUploadView,
    ReportEditView,
    ReportRequestChangesView,
    ReportTransitionView,
)

__all__ = [
    "AllocationDetailView", "AllocationListView", "CheckInRecordView", "DashboardView",
    "DisbursementCreateView", "EnvelopeView", "ExportIndexView", "ExportView",
    "GivingExportView", "HomeView", "ImportView", "IndicatorCreateView",
    "ReminderPreferenceView", "ReportDetailView", "ReportDocumentDownloadView",
    "ReportDocumentUploadView", "ReportEditView", "ReportRequestChangesView",
    "ReportTransitionView", "ReportingConfigView", "TodoView",
]
