"""Browser tests: Playwright (sync API) driving Debian's Chromium against the live server.

Mark each test `@pytest.mark.browser` and use the `page` fixture: a fresh browser context
(no cookies) whose `page.base_url` is the live server's URL. Playwright cannot download its
own browsers here, so it launches /usr/bin/chromium (or $PIC_CHROMIUM). When Chromium is
missing the tests are skipped locally and fail under CI=true. On failure a screenshot goes to
test-artifacts/browser/.
"""

import os
import re
import threading
import time
from pathlib import Path

import pytest

# While Playwright's sync API is started, an asyncio loop is "running" in this thread, and
# Django refuses database calls made from it (SynchronousOnlyOperation) unless this variable is
# set. The tests are plain sync code, so it is set while a browser runs, and only then (not for
# the whole session: other tests, and the subprocesses they start, must not inherit it).
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = os.environ.get("PIC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # This machine's network is closed: without these Chromium keeps trying to reach Google.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"

_reports = pytest.StashKey[dict]()


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _unavailable(message: str) -> None:
    if _in_ci():
        pytest.fail(
            f"{message} (CI=true: a missing service is a failure, not a skip)", pytrace=False
        )
    pytest.skip(message)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


@pytest.fixture(scope="module")
def browser(django_db_setup):
    """Chromium, started once per test module (and stopped after it, see ASYNC_UNSAFE)."""
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"Chromium not found at {CHROMIUM} (Debian package: chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[dev]')")
    saved = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if saved is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = saved


def _wait_for_live_server_requests(timeout: float = 5.0) -> None:
    """Let the live server's request threads end, and close their database connections.

    Chromium keeps HTTP connections alive, and the live server holds one thread (with its own
    database connection) per open connection until the browser closes it. A thread still open
    when the test database is dropped makes PostgreSQL refuse ("being accessed by other
    users"), so wait for them once the browser context, and so its connections, are closed.
    """
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def page(request, browser, live_server, transactional_db):
    """A page in a fresh context, its base URL the live server's."""
    screenshot = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", request.node.nodeid) + ".png")
    screenshot.unlink(missing_ok=True)  # no stale picture from an earlier run
    context = browser.new_context(base_url=live_server.url, locale="fr-CA")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.base_url = live_server.url
    # Whatever the Content-Security-Policy blocks (an inline script, style or handler) is a
    # failure: Chromium reports each refusal on the console.
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    call = request.node.stash.get(_reports, {}).get("call")
    if call is not None and call.passed:
        assert violations == [], "the page broke its Content-Security-Policy"
    if call is not None and call.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(screenshot), full_page=True)
        except Exception:  # noqa: S110 - a missing screenshot must not hide the real failure
            pass
    context.close()
    _wait_for_live_server_requests()
