from django.urls import path

from . import views

app_name = "neighbourhoods"

urlpatterns = [
    path("quartiers/", views.NeighbourhoodListView.as_view(), name="neighbourhood-list"),
    path("quartiers/suggestions/", views.NeighbourhoodSuggestionsView.as_view(),
         name="neighbourhood-suggestions"),
    path("quartiers/<slug:slug>/", views.NeighbourhoodDetailView.as_view(),
         name="neighbourhood-detail"),
    path("membres/<int:pk>/retirer/", views.MembershipEndView.as_view(), name="membership-end"),
    path("affectations/<int:pk>/retirer/", views.AdvisorUnassignView.as_view(),
         name="advisor-unassign"),
    path("invitations/", views.InvitationListView.as_view(), name="invitation-list"),
    path("invitations/nouvelle/", views.InvitationCreateView.as_view(), name="invitation-create"),
    path("invitations/<int:pk>/annuler/", views.InvitationRevokeView.as_view(),
         name="invitation-revoke"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(),
         name="invitation-accept"),
    path("journal/", views.AuditLogView.as_view(), name="audit-log"),
    path("sante/", views.HealthPageView.as_view(), name="health"),
]
