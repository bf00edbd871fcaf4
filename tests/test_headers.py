"""Response headers: a strict Content-Security-Policy that the pages keep to, an A+ on the MDN
HTTP Observatory's rules in production, no caching of what a signed-in person sees, and
`__Host-` cookies in production."""

import os
import re
import runpy
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from proposals import services
from proposals.demo import seed_program
from reporting.dashboards import bar_chart
from reporting.services import jobs as job_services
from tests.factories import PASSWORD
from tests.observatory import Scan, csp_test, observatory_score
from tests.proposals.conftest import make_contact, make_proposal

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"

# The settings that decide headers and cookies, taken from pic/settings.py as production
# (DEBUG off) computes them.
PRODUCTION_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "LANGUAGE_COOKIE_",
                       "CONTENT_SECURITY_POLICY", "X_FRAME_OPTIONS", "PIC_CROSS_ORIGIN_",
                       "PIC_PERMISSIONS_")


@pytest.fixture(scope="module")
def production_values() -> dict:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("DEBUG", "SECURE_", "SECRET_KEY", "ALLOWED_HOSTS"))}
    environment.update(DEBUG="false", ALLOWED_HOSTS="testserver",
                       SECRET_KEY="production-like-secret-for-the-header-tests-0123456789",
                       PIC_MFA_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    with mock.patch.dict(os.environ, environment, clear=True):
        values = runpy.run_path(str(ROOT / "pic" / "settings.py"))
    assert values["DEBUG"] is False
    return {key: value for key, value in values.items()
            if key == "DEBUG" or key.startswith(PRODUCTION_PREFIXES)}


@pytest.fixture
def production(settings, production_values):
    for key, value in production_values.items():
        setattr(settings, key, value)
    return settings


@pytest.fixture
def program(db):
    program, _stages, _windows = seed_program()
    return program


@pytest.fixture
def draft_with_document(program, saint_michel, tq_saint_michel):
    make_contact(saint_michel)
    proposal = make_proposal(saint_michel, program.stages.get(number=1), title="Nourrir")
    document = services.document_upload(proposal=proposal,
                                         upload=SimpleUploadedFile("plan.pdf", PDF),
                                         actor=tq_saint_michel)
    return proposal, document


def logged_in(user) -> Client:
    """A browser signed in through the real login form, over HTTPS (its cookies are the
    server's, with their attributes)."""
    browser = Client()
    response = browser.post(reverse("account_login"),
                            {"login": user.email, "password": PASSWORD}, secure=True)
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def scan(browser: Client, path: str) -> Scan:
    response = browser.get(path, secure=True)
    assert response.status_code == 200, path
    return Scan(response=response, http_response=Client().get(path),
                cookies=list(browser.cookies.values()),
                cors_response=browser.get(path, secure=True,
                                          HTTP_ORIGIN="https://elsewhere.example"))


# --- Content-Security-Policy ----------------------------------------------------------------


def test_every_page_has_the_strict_content_security_policy(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert csp_test(Scan(response=client.get(reverse("home")), http_response=None, cookies=[],
                         cors_response=None)) == "csp-implemented-with-no-unsafe"


INLINE = [
    (re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
     "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an on…= event handler"),
    (re.compile(r"\shx-on", re.I), "an htmx hx-on handler (it evaluates code)"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def browser_templates():
    """Every template a browser renders (not the PDFs WeasyPrint renders, nor emails)."""
    for path in sorted((ROOT / "templates").rglob("*.html")):
        relative = path.relative_to(ROOT / "templates").as_posix()
        if "/pdf/" in relative or "/email/" in relative:
            continue
        yield relative, path.read_text()


@pytest.mark.parametrize(("name", "text"), list(browser_templates()),
                         ids=[name for name, _ in browser_templates()])
def test_no_template_has_inline_script_style_or_handler(name, text):
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{name} has {what}: {match.group(0)!r} (the CSP blocks it)"


class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src") \
                and attributes.get("type") != "application/json":
            self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style>")
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")


def inline_in(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_rendered_pages_have_nothing_inline(client, draft_with_document, tq_saint_michel,
                                                coordination, saint_michel):
    proposal, _document = draft_with_document
    client.force_login(tq_saint_michel)
    pages = [reverse("home"), reverse("proposals:proposal-edit", args=[proposal.pk]),
             reverse("proposals:proposal-detail", args=[proposal.pk]),
             reverse("proposals:proposal-submit", args=[proposal.pk]),
             reverse("account_change_password"), reverse("mfa_index"),
             reverse("mfa_activate_totp")]
    for path in pages:
        assert inline_in(client.get(path).content.decode()) == [], path
    client.force_login(coordination)
    for path in [reverse("home"), reverse("reporting:dashboard"), reverse("proposals:program"),
                 reverse("neighbourhoods:neighbourhood-detail", args=[saint_michel.slug]),
                 reverse("neighbourhoods:invitation-list"), reverse("reporting:exports")]:
        assert inline_in(client.get(path).content.decode()) == [], path
    client.logout()
    assert inline_in(client.get(reverse("account_login")).content.decode()) == []


def test_the_allocation_chart_is_styled_by_attributes_not_inline_css():
    from django.template.loader import render_to_string

    chart = bar_chart([{"calendar_year": 2024, "allocation__stage__number": n,
                        "allocation__stage__name": name, "total": Decimal(amount)}
                       for n, name, amount in ((1, "Planification", "50000"),
                                               (2, "Déploiement", "90000"))])
    svg = render_to_string("reporting/_chart_bar.html", {"chart": chart})
    assert "<svg" in svg
    assert inline_in(svg) == []


def test_htmx_is_told_not_to_inject_its_indicator_styles(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    page = client.get(reverse("home")).content.decode()
    assert '<meta name="htmx-config"' in page
    assert '"includeIndicatorStyles": false' in page


def test_confirmations_and_drafts_are_declared_with_data_attributes(client, coordination,
                                                                    saint_michel,
                                                                    tq_saint_michel,
                                                                    draft_with_document):
    client.force_login(coordination)
    page = client.get(reverse("neighbourhoods:neighbourhood-detail",
                              args=[saint_michel.slug])).content.decode()
    assert 'data-confirm="Retirer cette personne? Elle perdra aussitôt' in page
    proposal, _document = draft_with_document
    client.force_login(tq_saint_michel)
    page = client.get(reverse("proposals:proposal-edit-section",
                              args=[proposal.pk, "resume"])).content.decode()
    assert f'data-draft-key="pic-proposal-draft-{tq_saint_michel.pk}-{proposal.pk}"' in page
    script = (ROOT / "static" / "js" / "pic.js").read_text()
    for hook in ("dataset.confirm", "data-print", "form[data-draft-key]"):
        assert hook in script


# --- The MDN HTTP Observatory ---------------------------------------------------------------


def test_the_login_page_scores_a_plus(production, db):
    browser = Client()
    result = observatory_score(scan(browser, reverse("account_login")))
    assert result.score >= 100, result.modifiers()
    assert result.grade == "A+"
    assert result.tests["cookies"] == "cookies-secure-with-httponly-sessions-and-samesite"


def test_a_dashboard_scores_a_plus(production, coordination):
    result = observatory_score(scan(logged_in(coordination), reverse("reporting:dashboard")))
    assert result.score >= 100, result.modifiers()
    assert result.tests["content-security-policy"] == "csp-implemented-with-no-unsafe"
    assert result.tests["redirection"] == "redirection-to-https"


def test_a_document_download_scores_a_plus(production, tq_saint_michel, draft_with_document):
    _proposal, document = draft_with_document
    result = observatory_score(scan(logged_in(tq_saint_michel),
                                    reverse("proposals:document-download", args=[document.pk])))
    assert result.score >= 100, result.modifiers()
    assert result.tests["cookies"] == "cookies-secure-with-httponly-sessions-and-samesite"


def test_an_export_scores_a_plus(production, coordination, draft_with_document):
    result = observatory_score(scan(logged_in(coordination),
                                    reverse("reporting:export", args=["proposals", "csv"])))
    assert result.score >= 100, result.modifiers()
    assert result.tests["cross-origin-resource-policy"] == "corp-implemented-with-same-origin"


def test_the_score_falls_to_b_without_the_policy_headers(production, db):
    """The scorer is not a rubber stamp: the same login page without the CSP and CORP the app
    now sends scores 75 (B), as it did before them."""
    page = scan(Client(), reverse("account_login"))
    del page.response.headers["Content-Security-Policy"]
    del page.response.headers["Cross-Origin-Resource-Policy"]
    result = observatory_score(page)
    assert (result.score, result.grade) == (75, "B")


def test_production_sends_the_cross_origin_and_permissions_headers(production, db):
    response = Client().get(reverse("account_login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Caching --------------------------------------------------------------------------------


def assert_not_stored(response):
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]


def test_pages_and_files_of_a_signed_in_person_are_never_stored(client, coordination,
                                                                tq_saint_michel,
                                                                draft_with_document):
    proposal, document = draft_with_document
    client.force_login(tq_saint_michel)
    for path in [reverse("home"), reverse("reporting:dashboard"),
                 reverse("proposals:proposal-list"),
                 reverse("proposals:proposal-detail", args=[proposal.pk]),
                 reverse("proposals:proposal-edit", args=[proposal.pk]),
                 reverse("proposals:document-download", args=[document.pk])]:
        assert_not_stored(client.get(path))
    client.force_login(coordination)
    job = job_services.export_job_request(kind="360giving", file_format="json",
                                          actor=coordination)
    job_services.export_job_build(job_id=job.pk)
    for path in [reverse("reporting:dashboard"), reverse("neighbourhoods:audit-log"),
                 reverse("reporting:export", args=["proposals", "csv"]),
                 reverse("reporting:export-job", args=[job.pk]),
                 reverse("reporting:export-job-download", args=[job.pk])]:
        assert_not_stored(client.get(path))


def test_static_files_stay_cacheable(client, tq_saint_michel, settings):
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/, as in the demo (no collectstatic)
    settings.WHITENOISE_AUTOREFRESH = True
    client.force_login(tq_saint_michel)
    response = client.get("/static/css/pic.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


# --- Cookies --------------------------------------------------------------------------------


def assert_host_prefixed(morsel):
    assert morsel.key.startswith("__Host-")
    assert morsel["secure"] is True
    assert morsel["path"] == "/"
    assert not morsel["domain"]


def test_production_cookies_carry_the_host_prefix(production, tq_saint_michel):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("account_login"), secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    assert_host_prefixed(csrf)
    assert "csrftoken" not in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                      page.content.decode()).group(1)
    # The form still posts with the renamed cookie (what every form of the app relies on).
    response = browser.post(reverse("account_login"),
                            {"login": tq_saint_michel.email, "password": PASSWORD,
                             "csrfmiddlewaretoken": token},
                            secure=True, HTTP_ORIGIN="https://testserver")
    assert response.status_code == 302
    session = response.cookies["__Host-sessionid"]
    assert_host_prefixed(session)
    assert session["httponly"] is True
    assert browser.get(reverse("home"), secure=True).status_code == 200


def test_the_embedded_default_keeps_plain_cookie_names(settings):
    """Over plain HTTP (DEBUG on) a browser refuses __Host- cookies, so the demo keeps Django's
    names."""
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
