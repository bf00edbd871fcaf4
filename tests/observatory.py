"""The MDN HTTP Observatory's score, computed from Django test-client responses.

A re-implementation, for tests, of the rules of the Observatory's header tests (its scoring
table and analysers: mdn/mdn-http-observatory, `src/grader/charts.js` and
`src/analyzer/tests/*.js`): every site starts at 100; penalties are subtracted; the bonuses
count only when the score without them is 90 (A) or more; 100 and more is A+.

What a scanner sees is given as a `Scan`: the HTTPS response of the page, the response to the
same address over plain HTTP (the redirection test), the cookie jar the browser holds after
getting there (the cookies test) and the response to a cross-origin request (CORS).
"""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from http.cookies import Morsel
from urllib.parse import urlsplit

BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCE_OR_HASH = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
SIX_MONTHS = 15_552_000  # the Observatory's "white lie" for six months
EXTRA_CREDIT_FROM = 90

# Each test result and its score modifier (the Observatory's SCORE_TABLE).
MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-to-https": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}

GRADES = [(100, "A+"), (90, "A"), (85, "A-"), (80, "B+"), (70, "B"), (65, "B-"), (60, "C+"),
          (50, "C"), (45, "C-"), (40, "D+"), (30, "D"), (25, "D-"), (0, "F")]


@dataclasses.dataclass
class Scan:
    response: object  # the page over HTTPS
    http_response: object  # the same address over plain HTTP
    cookies: list[Morsel]  # what the browser holds once there
    cors_response: object  # the page asked for with an Origin from elsewhere
    host: str = "testserver"
    origin: str = "https://elsewhere.example"


@dataclasses.dataclass
class Result:
    score: int
    grade: str
    tests: dict[str, str]  # test name -> its result

    def modifiers(self) -> dict[str, int]:
        return {name: MODIFIERS[result] for name, result in self.tests.items()}


def header(response, name: str) -> str | None:
    return response.headers.get(name)


# --- Content-Security-Policy ----------------------------------------------------------------


def parse_csp(value: str | None) -> dict[str, set[str]] | None:
    """Directives of the policies in the header (comma-separated policies combine)."""
    if not value:
        return None
    policy: dict[str, set[str]] = {}
    for one in value.split(","):
        for directive in one.split(";"):
            words = directive.strip().split()
            if not words:
                continue
            name, sources = words[0].lower(), {w.lower() for w in words[1:]}
            if name in policy:
                policy[name] &= sources  # two policies: both must allow it
            else:
                policy[name] = sources
    if not policy:
        raise ValueError("empty policy")
    return policy


def csp_test(scan: Scan) -> str:
    try:
        csp = parse_csp(header(scan.response, "Content-Security-Policy"))
    except ValueError:
        return "csp-header-invalid"
    if csp is None:
        return "csp-not-implemented"
    default = csp.get("default-src")
    script = set(csp.get("script-src") or default or {"*"})
    style = set(csp.get("style-src") or default or {"*"})
    objects = set(csp.get("object-src") or default or {"*"})
    for sources in (script, style):
        if any(s.startswith(NONCE_OR_HASH) for s in sources):
            sources.discard("'unsafe-inline'")
    passive_names = {"img-src", "media-src"}
    active = [s for name, sources in csp.items() if name not in passive_names | {"script-src"}
              for s in sources] + list(script)
    passive = [s for name in passive_names for s in (csp.get(name) or default or set())]
    if script & (BROAD | UNSAFE_INLINE) or objects & BROAD:
        return "csp-implemented-with-unsafe-inline"
    if any(s.startswith(("http:", "ftp:")) for s in active):
        return "csp-implemented-with-insecure-scheme"
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval"
    if any(s.startswith(("http:", "ftp:")) for s in passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only"
    if style & (BROAD | UNSAFE_INLINE):
        return "csp-implemented-with-unsafe-inline-in-style-src-only"
    if default == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none"
    return "csp-implemented-with-no-unsafe"


# --- Cookies --------------------------------------------------------------------------------

# From the least bad to the worst: a cookie problem replaces the result only if it is worse.
COOKIE_BADNESS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


def cookies_test(scan: Scan) -> str:
    if not scan.cookies:
        return "cookies-not-found"
    hsts = hsts_test(scan) == "hsts-implemented-max-age-at-least-six-months"
    found: list[str] = []
    missing_samesite = False
    for morsel in scan.cookies:
        name = morsel.key.lower()
        session = "login" in name or "sess" in name
        anticsrf = "csrf" in name
        secure, httponly = bool(morsel["secure"]), bool(morsel["httponly"])
        samesite = (morsel["samesite"] or "").strip().lower()
        if samesite and samesite not in {"lax", "strict", "none"}:
            found.append("cookies-samesite-flag-invalid")
        if samesite == "none" and not secure:
            found.append("cookies-samesite-flag-invalid")
        if not secure:
            found.append("cookies-without-secure-flag-but-protected-by-hsts" if hsts
                         else "cookies-without-secure-flag")
        if anticsrf and not samesite:
            found.append("cookies-anticsrf-without-samesite-flag")
        if session and not secure:
            found.append("cookies-session-without-secure-flag-but-protected-by-hsts" if hsts
                         else "cookies-session-without-secure-flag")
        if session and not httponly:
            found.append("cookies-session-without-httponly-flag")
        missing_samesite = missing_samesite or not samesite
    if found:
        return max(found, key=COOKIE_BADNESS.index)
    if missing_samesite:
        return "cookies-secure-with-httponly-sessions"
    return "cookies-secure-with-httponly-sessions-and-samesite"


# --- The other header tests -----------------------------------------------------------------


def cors_test(scan: Scan) -> str:
    allowed = header(scan.cors_response, "Access-Control-Allow-Origin")
    if not allowed:
        return "cross-origin-resource-sharing-not-implemented"
    allowed = allowed.strip().lower()
    if allowed == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    credentials = (header(scan.cors_response, "Access-Control-Allow-Credentials") or "").lower()
    if allowed == scan.origin and credentials.strip() == "true":
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def redirection_test(scan: Scan) -> str:
    response = scan.http_response
    if response.status_code not in {301, 302, 303, 307, 308}:
        return "redirection-missing"
    target = urlsplit(response["Location"])
    if target.scheme != "https":
        return "redirection-not-to-https"
    if target.hostname != scan.host:
        return "redirection-off-host-from-http"
    return "redirection-to-https"


def referrer_policy_test(scan: Scan) -> str:
    good = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
    bad = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"]
    value = header(scan.response, "Referrer-Policy")
    if value is None:
        return "referrer-policy-not-implemented"
    valid = [v.strip().lower() for v in value.split(",") if v.strip().lower() in good + bad]
    if not valid:
        return "referrer-policy-header-invalid"
    return "referrer-policy-private" if valid[-1] in good else "referrer-policy-unsafe"


def hsts_test(scan: Scan) -> str:
    value = header(scan.response, "Strict-Transport-Security")
    if value is None:
        return "hsts-not-implemented"
    if "," in value:
        return "hsts-header-invalid"
    max_age = None
    for parameter in (p.strip().lower() for p in value.split(";")):
        if parameter.startswith("max-age="):
            try:
                max_age = int(parameter[len("max-age="):])
            except ValueError:
                return "hsts-header-invalid"
    if max_age is None:
        return "hsts-header-invalid"
    if max_age < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months"
    return "hsts-implemented-max-age-at-least-six-months"


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def sri_test(scan: Scan) -> str:
    if "text/html" not in (header(scan.response, "Content-Type") or ""):
        return "sri-not-implemented-response-not-html"
    parser = _Scripts()
    parser.feed(scan.response.content.decode())
    sources = [s for s in parser.scripts if s.get("src")]
    if not sources:
        return "sri-not-implemented-but-no-scripts-loaded"
    external = [s for s in sources if urlsplit(s["src"]).netloc not in {"", scan.host}]
    if not external:
        if all(s.get("integrity") for s in sources):
            return "sri-implemented-and-all-scripts-loaded-securely"
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    if all(urlsplit(s["src"]).scheme == "https" for s in external):
        return "sri-not-implemented-but-external-scripts-loaded-securely"
    return "sri-not-implemented-and-external-scripts-not-loaded-securely"


def x_content_type_options_test(scan: Scan) -> str:
    value = header(scan.response, "X-Content-Type-Options")
    if value is None:
        return "x-content-type-options-not-implemented"
    if value.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff"
    return "x-content-type-options-header-invalid"


def x_frame_options_test(scan: Scan) -> str:
    try:
        csp = parse_csp(header(scan.response, "Content-Security-Policy")) or {}
    except ValueError:
        csp = {}
    if csp.get("frame-ancestors"):
        return "x-frame-options-implemented-via-csp"
    value = header(scan.response, "X-Frame-Options")
    if value is None:
        return "x-frame-options-not-implemented"
    value = value.strip().lower()
    if value in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from"):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid"


def corp_test(scan: Scan) -> str:
    value = header(scan.response, "Cross-Origin-Resource-Policy")
    if value is None:
        return "corp-not-implemented"
    return {"same-origin": "corp-implemented-with-same-origin",
            "same-site": "corp-implemented-with-same-site",
            "cross-origin": "corp-implemented-with-cross-origin",
            }.get(value.strip().lower(), "corp-header-invalid")


TESTS = {
    "content-security-policy": csp_test,
    "cookies": cookies_test,
    "cross-origin-resource-sharing": cors_test,
    "redirection": redirection_test,
    "referrer-policy": referrer_policy_test,
    "strict-transport-security": hsts_test,
    "subresource-integrity": sri_test,
    "x-content-type-options": x_content_type_options_test,
    "x-frame-options": x_frame_options_test,
    "cross-origin-resource-policy": corp_test,
}


def observatory_score(scan: Scan) -> Result:
    tests = {name: test(scan) for name, test in TESTS.items()}
    modifiers = [MODIFIERS[result] for result in tests.values()]
    uncurved = 100 + sum(m for m in modifiers if m < 0)
    score = 100 + sum(modifiers) if uncurved >= EXTRA_CREDIT_FROM else uncurved
    score = max(score, 0)
    grade = next(letter for floor, letter in GRADES if score >= floor)
    return Result(score=score, grade=grade, tests=tests)
