from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path("notes/<int:content_type_id>/<int:object_id>/", views.NoteCreateView.as_view(),
         name="note-create"),
    path("notes/<int:content_type_id>/<int:object_id>/personnes/",
         views.MentionableView.as_view(), name="mentionable"),
    path("notes/<int:pk>/modifier/", views.NoteEditView.as_view(), name="note-edit"),
    path("notes/<int:pk>/supprimer/", views.NoteDeleteView.as_view(), name="note-delete"),
    path("notes/pieces-jointes/<int:pk>/", views.NoteAttachmentDownloadView.as_view(),
         name="attachment-download"),
]
