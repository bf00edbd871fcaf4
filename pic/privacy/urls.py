"""Law 25 pages, mounted by pic/urls.py at the site's root."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("confidentialite/", views.PrivacyPolicyView.as_view(), name="policy"),
    path("compte/mes-donnees/", views.MyDataView.as_view(), name="my-data"),
    path("compte/mes-donnees.json", views.MyDataDownloadView.as_view(file_format="json"),
         name="my-data-json"),
    path("compte/mes-donnees.csv", views.MyDataDownloadView.as_view(file_format="csv"),
         name="my-data-csv"),
    path("compte/consentements/", views.ConsentView.as_view(), name="consents"),
    path("confidentialite/incidents/", views.IncidentListView.as_view(), name="incident-list"),
    path("confidentialite/incidents/nouveau/", views.IncidentFormView.as_view(),
         name="incident-create"),
    path("confidentialite/incidents/registre.csv", views.IncidentExportView.as_view(),
         name="incident-export"),
    path("confidentialite/incidents/<int:pk>/", views.IncidentDetailView.as_view(),
         name="incident-detail"),
    path("confidentialite/incidents/<int:pk>/modifier/", views.IncidentFormView.as_view(),
         name="incident-update"),
]
