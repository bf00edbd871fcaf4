"""axe-core (vendored: tests/browser/vendor/axe.min.js, from its npm package, MPL-2.0) on every
page of the journeys of every demo role, in French and in English, at desktop (1280 px) and
phone (375 px) widths. Any serious or critical violation fails, named with its page and its
elements.

The pages of a role are its home, the links of its navigation and of its home, and the main
pages of its journeys below them (a proposal's detail and edit pages, a report, a meeting, the
vote page, the ratification page, the dashboards), one per shape of URL (/propositions/3/ and
/propositions/7/ are the same page). One browser, one context per language and width, reused by
every role (logged out and in again), so the run stays within a few minutes.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from .conftest import TIMEOUT_MS, _wait_for_live_server_requests

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
DEMO_PASSWORD = "pic-demo-2026"  # noqa: S105 - the README's demo accounts

# One account per role of the README's demo accounts.
ROLES = [
    "coordination@example.org",
    "conseillere.est@example.org",
    "tq.saint-michel@example.org",
    "gestion.chagnon@example.org",
    "gestion.cmtq@example.org",
    "partenaire.mcconnell@example.org",
]
VARIANTS = [("fr", 1280), ("en", 1280), ("fr", 375), ("en", 375)]
PAGES_PER_ROLE = 22
# Not pages: files, exports, the logout and language forms' targets.
SKIP = re.compile(r"(\.(pdf|csv|xlsx|json|ics)$)|/documents/|/accounts/logout|/i18n/"
                  r"|/admin/|/telecharger|/download|/lettres/\d+/")
MAIN_PAGES = re.compile(r"/propositions/\d+/(modifier/)?$|/suivi/rapports/\d+/(modifier/)?$"
                        r"|/rencontres/\d+/$|/points/\d+/$|/enterinement/(\d+/)?$"
                        r"|/analyses/\d+/$|/suivi/$")


def shape(path: str) -> str:
    """/propositions/3/ and /propositions/7/, /dossiers/anjou/ and /dossiers/verdun/: one page."""
    path = re.sub(r"\d+", "N", path)
    return re.sub(r"^/(dossiers|quartiers)/[^/]+/", r"/\1/S/", path)


def log_in(page, base, email):
    page.context.clear_cookies()
    page.goto(base + reverse("account_login"))
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(DEMO_PASSWORD)
    form.locator("button[type=submit], input[type=submit]").first.click()
    page.wait_for_url(base + reverse("home"))


def links(page, base, selector="header a[href], main a[href]") -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if href.startswith(base) and not SKIP.search(parts.path) and not parts.fragment:
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def journey_pages(page, base) -> list[str]:
    """The role's home and navigation, the main pages its lists lead to (a proposal, a report,
    a meeting, a vote, a ratification), then the other links of its home: one URL per shape,
    at most PAGES_PER_ROLE."""
    seen, pages = set(), []

    def add(path):
        key = shape(path.split("?")[0])
        if key not in seen and len(pages) < PAGES_PER_ROLE:
            seen.add(key)
            pages.append(path)

    add(reverse("home"))
    home_links = links(page, base, "main a[href]")
    for path in links(page, base, "header nav a[href]"):
        add(path)
    for path in home_links:
        if MAIN_PAGES.search(path.split("?")[0]):
            add(path)
    for path in list(pages[1:]):
        page.goto(base + path)
        for deeper in links(page, base, "main a[href]"):
            if MAIN_PAGES.search(deeper.split("?")[0]):
                add(deeper)
    for path in home_links:
        add(path)
    return pages


def extra_pages(email) -> list[str]:
    """Pages no link of the home reaches within PAGES_PER_ROLE: the search results, the
    calendar, the inbox and preferences, the list pages, an amendment, the envelopes, an export
    job, a draft's section and « Vérifier et déposer » pages, the neighbourhood file with its
    plan, the ratification-act form. Built from the demo's data, for the roles that see them."""
    from django.contrib.auth import get_user_model

    from proposals.models import Proposal
    from reporting.models import Allocation, Amendment, ExportJob
    from reporting.services.amendments import amendment_create

    user = get_user_model().objects.get(email=email)
    paths = []
    if email == "coordination@example.org":
        paths += [reverse("search") + "?q=quartier", reverse("reporting:calendar"),
                  reverse("notifications:inbox"), reverse("reporting:preferences"),
                  reverse("reporting:report-list"), reverse("reporting:checkin-list"),
                  reverse("reporting:disbursement-list"), reverse("governance:letter-list"),
                  reverse("governance:meeting-list"),
                  reverse("neighbourhoods:neighbourhood-list"),
                  reverse("reporting:envelopes"), reverse("governance:ratification-act")]
        job = ExportJob.objects.create(requested_by=user, kind="proposals", file_format="csv")
        paths.append(reverse("reporting:export-job", args=[job.pk]))
        proposal = Proposal.objects.visible_to(user).select_related("neighbourhood").first()
        paths.append(reverse("proposals:neighbourhood-file", args=[proposal.neighbourhood.slug]))
    if email == "tq.saint-michel@example.org":
        draft = Proposal.objects.visible_to(user).filter(status=Proposal.Status.DRAFT).first()
        if draft:
            paths += [reverse("proposals:proposal-edit-section", args=[draft.pk, "resume"]),
                      reverse("proposals:proposal-submit", args=[draft.pk])]
        allocation = Allocation.objects.visible_to(user).first()
        if allocation:
            amendment = (Amendment.objects.filter(allocation=allocation).first()
                         or amendment_create(allocation=allocation, actor=user))
            paths.append(reverse("reporting:amendment-detail", args=[amendment.pk]))
        paths += [reverse("reporting:calendar"), reverse("notifications:inbox")]
    return paths


def axe_violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ["violations"]});
        return r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => v.impact + " " + v.id + ": " + v.help + " — "
                 + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""")
    return result


@pytest.fixture
def demo(settings, tmp_path, transactional_db):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PIC_REQUIRE_STAFF_MFA = False
    call_command("seed_demo", force=True, verbosity=0)


def test_axe_finds_a_serious_violation_when_there_is_one(browser):
    """The check itself can fail: an image without a text alternative, a field without a
    label."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="fr"><head><title>t</title></head><body><main>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><input type="text">'
                     '</main></body></html>')
    found = " ".join(axe_violations(page))
    context.close()
    assert "image-alt" in found
    assert "label" in found


def test_no_serious_axe_violation_on_any_demo_journey(browser, live_server, demo):
    base = live_server.url
    problems, visited, csp = [], 0, []
    pages_of: dict[str, list[str]] = {}
    for language, width in VARIANTS:
        context = browser.new_context(base_url=base, viewport={"width": width, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("console", lambda m: csp.append(m.text)
                if "Content Security Policy" in m.text else None)
        try:
            for email in ROLES:
                log_in(page, base, email)
                context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language,
                                      "url": base}])
                page.goto(base + reverse("home"))
                if email not in pages_of:
                    pages_of[email] = journey_pages(page, base)
                    known = {shape(p.split("?")[0]) for p in pages_of[email]}
                    pages_of[email] += [p for p in extra_pages(email)
                                        if shape(p.split("?")[0]) not in known]
                for path in pages_of[email]:
                    response = page.goto(base + path)
                    assert response.status < 400, f"{email} {path}: HTTP {response.status}"
                    assert page.get_attribute("html", "lang") == language, path
                    visited += 1
                    for violation in axe_violations(page):
                        problems.append(f"[{language} {width}px {email}] {path}: {violation}")
        finally:
            context.close()
            _wait_for_live_server_requests()
    print({email: len(paths) for email, paths in pages_of.items()}, pages_of)  # in the log
    assert visited >= 4 * 40, f"only {visited} pages checked: {pages_of}"
    assert problems == [], "\n".join(problems)
    assert csp == [], "a page broke its Content-Security-Policy"
