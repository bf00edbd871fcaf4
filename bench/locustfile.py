"""The load test's three journeys (README, "The load test"; run by scripts/loadtest).

Each simulated person logs in once as a demo account, from an address of their own (the app
reads it from X-Real-IP, as behind a proxy, so the login rate limit counts people, not the test
machine), then works like the people of the demo:

- a table de quartier opens its proposals, one of them, its edit page, saves the draft as it is
  and, when the page offers it, submits it;
- an advisor opens the files, a proposal and its analysis, and saves the analysis;
- a committee member opens the meetings, an agenda item and votes on it.

Forms are read from the page and posted back with what they hold (CSRF token included), so the
journeys follow the pages as they are, whatever their fields. A response is a failure when its
status is 400 or more (locust's default), or when a page that should have a form has none.
"""

import itertools
import random
import re
from html.parser import HTMLParser
from urllib.parse import urljoin

from locust import HttpUser, between, task

PASSWORD = "pic-demo-2026"  # noqa: S105 (the demo's documented password)
TABLES = ["tq.saint-michel", "tq.verdun", "tq.hochelaga", "tq.lachine", "agente.saint-michel"]
ADVISORS = ["conseillere.est", "conseiller.ouest", "conseillere.centre"]
MEMBERS = ["gestion.chagnon", "gestion.ville", "gestion.centraide", "gestion.mcconnell",
           "gestion.drsp", "gestion.cmtq"]
ADDRESSES = (f"10.{n // 250}.{n % 250}.{1 + n % 200}" for n in itertools.count())


class Forms(HTMLParser):
    """The POST forms of a page: action, fields (name → value) and submit buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {"action": a.get("action") or "", "fields": [], "buttons": [],
                              "radios": {}}
                self.forms.append(self._form)
            return
        form = self._form
        if form is None or "name" not in a or "disabled" in a:
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "submit":
                form["buttons"].append((name, a.get("value", "")))
            elif kind == "radio":
                form["radios"].setdefault(name, [])
                form["radios"][name].append((a.get("value", "on"), "checked" in a))
            elif kind == "checkbox":
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
            elif kind != "file":
                form["fields"].append((name, a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            form["buttons"].append((name, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [name, ""]
        elif tag == "select":
            self._select = [name, None, None]  # name, first option, selected option
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in a:
                self._select[2] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, first, selected = self._select
            self._form["fields"].append((name, selected if selected is not None else first))
            self._select = None


def post_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def links(html: str, pattern: str) -> list[str]:
    return sorted(set(re.findall(rf'href="({pattern})"', html)))


class Person(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    accounts: list[str] = []

    def on_start(self):
        self.client.verify = False  # the load test's own self-signed certificate
        self.client.headers["X-Real-IP"] = next(ADDRESSES)
        email = f"{random.choice(self.accounts)}@example.org"  # noqa: S311
        page = self.client.get("/accounts/login/", name="login page")
        self.post_form(page, {"login": email, "password": PASSWORD}, name="login")

    def opens_a_proposal(self):
        """Home, the proposal list, then one of its proposals (None when the list is empty)."""
        self.client.get("/", name="home")
        listing = self.client.get("/propositions/", name="proposal list")
        proposals = links(listing.text, r"/propositions/\d+/")
        if not proposals:
            return None
        return self.client.get(random.choice(proposals), name="proposal detail")  # noqa: S311

    def follow_and_post(self, page, pattern, *, name) -> bool:
        """Open the page's first link matching `pattern` and post its form back as it is."""
        found = links(page.text, pattern)
        if found:
            self.post_form(self.client.get(found[0], name=name), name=f"{name} (post)")
        return bool(found)

    def post_form(self, page, values=None, *, name, action=""):
        """Post back the page's main POST form (the one with the most fields, among those
        whose action contains `action`) with `values` over what it holds."""
        forms = [f for f in post_forms(page.text)
                 if action in f["action"] and any(n == "csrfmiddlewaretoken"
                                                  for n, _ in f["fields"])]
        if not forms:
            self.environment.events.request.fire(
                request_type="FORM", name=name, response_time=0, response_length=0,
                response=None, context={}, exception=AssertionError(f"no form on {page.url}"))
            return None
        form = max(forms, key=lambda f: len(f["fields"]))
        data = [(n, v) for n, v in form["fields"] if n not in (values or {})]
        data += list((values or {}).items())
        for radio, options in form["radios"].items():
            if radio not in (values or {}):
                checked = [v for v, on in options if on]
                data.append((radio, checked[0] if checked else options[0][0]))
        if form["buttons"]:
            data.append(form["buttons"][0])
        url = urljoin(page.url, form["action"])
        return self.client.post(url, data=data, name=name,
                                headers={"Referer": page.url, "Origin": self.host})


class TableDeQuartier(Person):
    weight = 3
    accounts = TABLES

    @task(3)
    def drafts_a_proposal(self):
        detail = self.opens_a_proposal()
        if detail is None:
            return
        self.follow_and_post(detail, r"/propositions/\d+/modifier/", name="proposal edit")
        self.follow_and_post(detail, r"/propositions/\d+/deposer/", name="proposal submit")

    @task(1)
    def reads_its_reports(self):
        self.client.get("/suivi/", name="follow-up")


class Advisor(Person):
    weight = 1
    accounts = ADVISORS

    @task
    def analyses_a_file(self):
        detail = self.opens_a_proposal()
        if detail is None:
            return
        for url in links(detail.text, r"/analyses/\d+/")[:1]:
            analysis = self.client.get(url, name="analysis detail")
            self.follow_and_post(analysis, r"/analyses/\d+/modifier/", name="analysis edit")


class CommitteeMember(Person):
    weight = 2
    accounts = MEMBERS

    @task
    def votes(self):
        self.client.get("/", name="home")
        meetings = links(self.client.get("/rencontres/", name="meeting list").text,
                         r"/rencontres/\d+/")
        if not meetings:
            return
        meeting = self.client.get(random.choice(meetings), name="meeting agenda")  # noqa: S311
        items = links(meeting.text, r"/points/\d+/")
        if not items:
            return
        item = self.client.get(random.choice(items), name="agenda item")  # noqa: S311
        if '/vote/"' in item.text:
            self.post_form(item, name="vote", action="/vote/")
