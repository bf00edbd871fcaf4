"""Follow-up pages, mounted by pic/urls.py at `suivi/` (the role home, at `/`, is mounted there
too)."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("a-faire/", views.TodoView.as_view(), name="todo"),
    path("rappels/", views.ReminderPreferenceView.as_view(), name="preferences"),
    path("allocations/", views.AllocationListView.as_view(), name="allocation-list"),
    path("allocations/<int:pk>/", views.AllocationDetailView.as_view(), name="allocation-detail"),
    path("allocations/<int:pk>/versements/", views.DisbursementCreateView.as_view(),
         name="disbursement-create"),
    path("allocations/<int:pk>/indicateurs/", views.IndicatorCreateView.as_view(),
         name="indicator-create"),
    path("enveloppes/", views.EnvelopeView.as_view(), name="envelopes"),
    path("parametres/", views.ReportingConfigView.as_view(), name="config"),
    path("rapports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("rapports/<int:pk>/modifier/", views.ReportEditView.as_view(), name="report-edit"),
    path("rapports/<int:pk>/remettre/",
         views.ReportSubmitView.as_view(), name="report-submit"),
    path("rapports/<int:pk>/remettre-de-nouveau/",
         views.ReportResubmitView.as_view(), name="report-resubmit"),
    path("rapports/<int:pk>/accepter/",
         views.ReportAcceptView.as_view(), name="report-accept"),
    path("rapports/<int:pk>/demander-des-modifications/",
         views.ReportRequestChangesView.as_view(), name="report-request-changes"),
    path("rapports/<int:pk>/documents/", views.ReportDocumentUploadView.as_view(),
         name="report-document-upload"),
    path("rapports/<int:pk>/documents/<int:document_pk>/",
         views.ReportDocumentDownloadView.as_view(), name="report-document-download"),
    path("bilans/<int:pk>/", views.CheckInRecordView.as_view(), name="checkin-record"),
    path("exports/", views.ExportIndexView.as_view(), name="exports"),
    path("exports/<str:kind>.<str:file_format>", views.ExportView.as_view(), name="export"),
    path("exports/fichiers/", views.ExportJobCreateView.as_view(), name="export-job-create"),
    path("exports/fichiers/<int:pk>/", views.JobDetailView.as_view(), name="export-job"),
    path("exports/fichiers/<int:pk>/progression/", views.JobProgressView.as_view(),
         name="export-job-progress"),
    path("exports/fichiers/<int:pk>/telecharger/", views.ExportJobDownloadView.as_view(),
         name="export-job-download"),
    path("imports/", views.ImportView.as_view(), name="import"),
    path("imports/<int:pk>/", views.ImportJobDetailView.as_view(), name="import-job"),
    path("imports/<int:pk>/progression/", views.ImportJobProgressView.as_view(),
         name="import-job-progress"),
]
