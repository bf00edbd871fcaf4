"""PDF rendering (WeasyPrint) for letters and minutes, with nothing fetched from outside.

The one `html_to_pdf` every PDF goes through. Its URL fetcher serves the app's own static files
(`/static/…`, found by Django's staticfiles finders, or in the collected storage in
production) and small inline images; it refuses `file:`, `http(s):` elsewhere, `ftp:`, other
`data:` and everything else, so a name or a text typed into a proposal cannot make the server
read its own files or call another machine while it renders.
"""

import functools
import mimetypes
import posixpath
import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# Inline raster images only (no SVG: it could reference other resources).
_INLINE_IMAGE_RE = re.compile(r"^data:image/(?:png|jpeg|gif)[;,]", re.IGNORECASE)
MAX_STATIC_BYTES = 5 * 1024 * 1024


class ResourceRefused(ValueError):
    """A URL the PDF renderer may not fetch (WeasyPrint logs it and renders without it)."""


def _base_url() -> str:
    return f"{settings.PIC_SITE_URL}/"


@functools.cache
def _fetcher_class():
    """Built on first use: WeasyPrint is slow to import and only PDF work needs it."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """WeasyPrint's fetcher (its `fetch(url, headers)` API since version 68), narrowed
        to the app's own static files and inline PNG/JPEG/GIF images."""

        def __init__(self):
            super().__init__(timeout=5, allowed_protocols={"data"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if _INLINE_IMAGE_RE.match(url):
                return super().fetch(url, headers)
            name = _static_name(url)
            return URLFetcherResponse(url, body=_static_bytes(name), headers={
                "Content-Type": mimetypes.guess_type(name)[0] or "application/octet-stream"})

    return StaticOnlyURLFetcher


def static_only_fetcher():
    """The URL fetcher every PDF is rendered with."""
    return _fetcher_class()()


def _static_name(url: str) -> str:
    """The static file a URL names, or ResourceRefused: only `/static/…` on the site's own
    address (what `{% static %}` gives, resolved against the base URL), never `..`."""
    site = urlsplit(_base_url())
    parts = urlsplit(url)
    if (parts.scheme.lower(), parts.netloc.lower()) != (site.scheme, site.netloc.lower()):
        raise ResourceRefused(f"refused outside the app's static files: {url[:200]}")
    path = unquote(parts.path)
    if not path.startswith(settings.STATIC_URL):
        raise ResourceRefused(f"refused outside the app's static files: {url[:200]}")
    name = path[len(settings.STATIC_URL):]
    if not name or posixpath.normpath(name) != name or name.startswith(("/", "..")):
        raise ResourceRefused(f"refused static path: {url[:200]}")
    return name


def _static_bytes(name: str) -> bytes:
    found = finders.find(name)
    if found:
        with open(found, "rb") as handle:
            data = handle.read(MAX_STATIC_BYTES + 1)
    elif staticfiles_storage.exists(name):
        with staticfiles_storage.open(name, "rb") as handle:
            data = handle.read(MAX_STATIC_BYTES + 1)
    else:
        raise ResourceRefused(f"no such static file: {name[:200]}")
    if len(data) > MAX_STATIC_BYTES:
        raise ResourceRefused(f"static file too large for a PDF: {name[:200]}")
    return data


def static_file_exists(name: str) -> bool:
    """Whether the app has this static file (in development, or collected in production)."""
    return bool(name) and bool(finders.find(name) or staticfiles_storage.exists(name))


def static_file_url(name: str) -> str:
    """The URL of a static file the settings name for a PDF (the letterhead's logo), or ""
    when there is no such file: a letter renders without it instead of failing (in production
    `{% static %}` raises for a file missing from the manifest). `manage.py check` warns
    (pic/checks.py)."""
    if not static_file_exists(name):
        return ""
    try:
        return staticfiles_storage.url(name)
    except ValueError:  # collected, but not in the manifest
        return ""


def html_to_pdf(html: str) -> bytes:
    """Render HTML (from our own templates, with escaped text) to PDF bytes. Relative and
    `/static/…` URLs resolve against the site's address and are served from disk."""
    from weasyprint import HTML

    return HTML(string=html, base_url=_base_url(),
                url_fetcher=static_only_fetcher()).write_pdf()
