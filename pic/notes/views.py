"""Writing, editing and deleting a note (the thread itself is shown by each file's page)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from pic.access import can
from pic.files import private_file_response
from pic.forms import apply_validation_error
from pic.notifications.links import url_of

from . import registry, services
from .forms import NoteEditForm, NoteForm
from .models import Note, NoteAttachment
from .selectors import mentionable_people, note_thread


def _file(user, content_type_id: int, object_id: int):
    """The file a note is written on, if the person may write there (else 404, as missing)."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model not in registry.file_models():
        raise Http404
    kind = registry.file_kind(model)
    obj = get_object_or_404(model._default_manager.select_related(*kind.select_related),
                            pk=object_id)
    if not can(user, "note.read", registry.neighbourhood_of(obj)):
        raise Http404
    return obj


def _back(obj) -> str:
    return f"{url_of(obj)}#notes"


class NoteCreateView(LoginRequiredMixin, View):
    def post(self, request, content_type_id: int, object_id: int):
        obj = _file(request.user, content_type_id, object_id)
        internal = can(request.user, "note.read_internal", registry.neighbourhood_of(obj))
        form = NoteForm(request.POST, request.FILES, internal_allowed=internal)
        if form.is_valid():
            try:
                services.note_write(obj=obj, body=form.cleaned_data["body"],
                                    visibility=form.cleaned_data["visibility"],
                                    attachments=form.cleaned_data["attachments"],
                                    actor=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Votre note est ajoutée au dossier."))
                return redirect(_back(obj))
        # The page of the note, its text kept, the refusal beside it.
        return render(request, "notes/note_form.html",
                      {"obj": obj, "back": _back(obj),
                       "thread": note_thread(user=request.user, obj=obj, form=form,
                                            with_people=True)},
                      status=400)


class MentionableView(LoginRequiredMixin, View):
    """Who may be mentioned on a file, with their @handle."""

    def get(self, request, content_type_id: int, object_id: int):
        obj = _file(request.user, content_type_id, object_id)
        return render(request, "notes/mentionable.html", {
            "obj": obj, "back": _back(obj),
            "people": mentionable_people(user=request.user, obj=obj)})


def _own_note(request, pk: int) -> tuple[Note, object]:
    note = get_object_or_404(Note.objects.visible_to(request.user), pk=pk)
    obj = note.content_type.get_object_for_this_type(pk=note.object_id)
    services.ensure_editable(note, request.user)
    return note, obj


class NoteEditView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        note, obj = _own_note(request, pk)
        form = NoteEditForm(initial={"body": note.body})
        return render(request, "notes/note_edit.html", {"note": note, "obj": obj, "form": form,
                                                        "back": _back(obj)})

    def post(self, request, pk: int):
        note, obj = _own_note(request, pk)
        form = NoteEditForm(request.POST)
        if form.is_valid():
            try:
                services.note_edit(note=note, body=form.cleaned_data["body"],
                                   actor=request.user)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Votre note est modifiée."))
                return redirect(_back(obj))
        return render(request, "notes/note_edit.html", {"note": note, "obj": obj, "form": form,
                                                        "back": _back(obj)}, status=400)


class NoteDeleteView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        note, obj = _own_note(request, pk)
        return render(request, "notes/note_delete.html", {"note": note, "obj": obj,
                                                          "back": _back(obj)})

    def post(self, request, pk: int):
        note, obj = _own_note(request, pk)
        services.note_delete(note=note, actor=request.user)
        messages.success(request, _("Votre note est supprimée."))
        return redirect(_back(obj))


class NoteAttachmentDownloadView(LoginRequiredMixin, View):
    """A note's document, for whoever reads the note (else 404, as missing)."""

    def get(self, request, pk: int):
        attachment = get_object_or_404(
            NoteAttachment.objects.filter(note__in=Note.objects.visible_to(request.user)),
            pk=pk)
        return private_file_response(attachment.file, filename=attachment.original_name,
                                     content_type=attachment.content_type)
