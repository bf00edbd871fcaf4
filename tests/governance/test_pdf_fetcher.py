"""Letters and minutes render with a URL fetcher that serves only the app's static files."""

import io
import logging

import pytest
from pypdf import PdfReader

from pic.pdf import ResourceRefused, html_to_pdf, static_only_fetcher

HOSTILE = """<html><head><meta charset="utf-8">
<link rel="stylesheet" href="file:///etc/passwd">
<style>@import url("http://example.org/track.css");</style></head>
<body><p>Lettre de décision</p>
<img src="file:///etc/passwd"><img src="http://example.org/x.png">
<img src="https://example.org/y.png"><img src="ftp://example.org/z.png">
<img src="/static/../pic/settings.py"><img src="data:text/html,<p>x</p>">
</body></html>"""


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://example.org/x.png",
    "https://example.org/y.png",
    "ftp://example.org/z.png",
    "data:text/html,<p>x</p>",
    "data:image/svg+xml,<svg/>",
    "http://127.0.0.1:8000/static/../pic/settings.py",
    "http://127.0.0.1:8000/static/%2e%2e/pic/settings.py",
    "http://127.0.0.1:8000/media/private/proposals/a.pdf",
    "http://127.0.0.1:8000/static/nothing-here.png",
    "http://127.0.0.1:8001/static/favicon.svg",
])
def test_the_fetcher_refuses_everything_but_static_files(url, settings):
    settings.PIC_SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(ResourceRefused):
        static_only_fetcher().fetch(url)


def test_the_fetcher_serves_the_apps_static_files(settings):
    settings.PIC_SITE_URL = "http://127.0.0.1:8000"
    response = static_only_fetcher().fetch("http://127.0.0.1:8000/static/favicon.svg")
    assert response.read().lstrip().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"


def test_the_fetcher_allows_inline_raster_images():
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42"
             "mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    assert static_only_fetcher().fetch(pixel).read().startswith(b"\x89PNG")


def test_a_hostile_page_fetches_nothing_and_still_renders(monkeypatch, caplog):
    opened = []
    monkeypatch.setattr("urllib.request.OpenerDirector.open",
                        lambda self, *a, **k: opened.append(a) or pytest.fail("fetched"))
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = html_to_pdf(HOSTILE)
    assert pdf.startswith(b"%PDF")
    assert "Lettre de décision" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "root:" not in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert opened == []
    refused = caplog.text
    assert "file:///etc/passwd" in refused
    assert "http://example.org/x.png" in refused
