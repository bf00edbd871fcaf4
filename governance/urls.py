from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("comites/", views.CommitteeListView.as_view(), name="committee-list"),
    path("comites/sieges/", views.SeatView.as_view(), name="committee-seat"),
    path("sieges/<int:pk>/fin/", views.SeatEndView.as_view(), name="committee-seat-end"),
    path("rencontres/", views.MeetingListView.as_view(), name="meeting-list"),
    path("rencontres/nouvelle/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path("rencontres/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("rencontres/<int:pk>/ordre-du-jour/", views.MeetingAgendaView.as_view(),
         name="meeting-agenda"),
    path("rencontres/<int:pk>/points/", views.AgendaItemAddView.as_view(),
         name="agenda-item-add"),
    path("rencontres/<int:pk>/presences/", views.AttendanceView.as_view(),
         name="meeting-attendance"),
    path("rencontres/<int:pk>/proces-verbal/", views.MinutesGenerateView.as_view(),
         name="minutes-generate"),
    path("proces-verbaux/<int:pk>/", views.MinutesDownloadView.as_view(),
         name="minutes-download"),
    path("points/<int:pk>/", views.AgendaItemDetailView.as_view(), name="item-detail"),
    path("points/<int:pk>/vote/", views.VoteView.as_view(), name="item-vote"),
    path("points/<int:pk>/conflit/", views.ConflictView.as_view(), name="item-conflict"),
    path("points/<int:pk>/fermer/", views.CloseItemView.as_view(), name="item-close"),
    path("points/<int:pk>/rappel/", views.ReminderView.as_view(), name="item-remind"),
    path("points/<int:pk>/suivi/", views.VotersPanelView.as_view(), name="item-voters"),
    path("analyses/<int:proposal_pk>/", views.AnalysisDetailView.as_view(),
         name="analysis-detail"),
    path("analyses/<int:proposal_pk>/modifier/", views.AnalysisEditView.as_view(),
         name="analysis-edit"),
    path("enterinement/", views.RatificationListView.as_view(), name="ratification-list"),
    path("enterinement/<int:proposal_pk>/", views.RatifyView.as_view(),
         name="ratification-record"),
    path("lettres/", views.LetterListView.as_view(), name="letter-list"),
    path("lettres/refus/<int:proposal_pk>/", views.RefusalLetterView.as_view(),
         name="letter-refusal"),
    path("lettres/<int:pk>/telecharger/", views.LetterDownloadView.as_view(),
         name="letter-download"),
    path("lettres/<int:pk>/regenerer/", views.LetterRegenerateView.as_view(),
         name="letter-regenerate"),
]
