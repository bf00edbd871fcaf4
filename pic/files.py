"""Serving a private file: only ever from a view that has already checked who may read it."""

from django.http import FileResponse, Http404


def private_file_response(file, *, filename: str, content_type: str) -> FileResponse:
    """Download the stored file as an attachment, never cached, never sniffed; a file missing
    from storage is a 404, like a file the person may not see."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
