from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.InboxView.as_view(), name="inbox"),
    path("notifications/non-lues/", views.UnreadCountView.as_view(), name="unread-count"),
    path("notifications/<int:pk>/lue/", views.MarkReadView.as_view(), name="mark-read"),
    path("notifications/tout-lu/", views.MarkAllReadView.as_view(), name="mark-all-read"),
]
