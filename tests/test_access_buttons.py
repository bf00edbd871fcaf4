"""A button is shown exactly when its action is allowed (pic.access; issue 11).

With the demo loaded, each main page of Saint-Michel's files (proposals, allocations, reports,
check-ins, meetings and agenda items, the neighbourhood, committees, letters) is opened by
each account; every action it offers (a POST form, or a button link to an action's page) is
then tried by every account, each try rolled back: whoever was shown it is let through (no 403
or 404), whoever was not is refused (403 or 404; a visitor not signed in, the login page).
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from governance.models import AgendaItem, Meeting
from pic.models import User
from proposals.models import Proposal
from reporting.models import Allocation, CheckIn, Report
from tests.test_tenant_isolation import (  # noqa: F401 - the demo fixtures, shared
    _media_in_a_scratch_folder,
    demo,
    demo_media,
    sm,
)

ACCOUNTS = ("coordination@example.org", "conseillere.est@example.org",
            "conseiller.ouest@example.org", "tq.saint-michel@example.org",
            "tq.verdun@example.org", "gestion.centraide@example.org",  # chairs the gestion
            "gestion.chagnon@example.org", "gouvernance.coutu@example.org",
            "partenaire.mcconnell@example.org", None)  # None: not signed in
REFUSED = (403, 404)
MEMBERS = ("tq.saint-michel@example.org", "tq.verdun@example.org")
# Pages a table opens for its own files (the form offers only them): shown on Saint-Michel's
# file to its table, and let through for the member of any table, refused to everyone else.
OWN_TABLE = ("proposals:proposal-create", "proposals:initiative-create",
             "proposals:letter-create")
# Forms every page carries (language, sign-out) are not the page's actions.
NOT_ACTIONS = ("/i18n/", "/accounts/")


class _Actions(HTMLParser):
    """(method, path) of each POST form and each button link of a page."""

    def __init__(self, page: str):
        super().__init__()
        self.page, self.found = page, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.add("POST", attrs.get("action") or self.page)
        elif tag == "a" and "button" in (attrs.get("class") or "").split():
            self.add("GET", attrs.get("href") or "")

    def add(self, method, url):
        path = urlsplit(urljoin(self.page, url)).path
        if path and not path.startswith(NOT_ACTIONS):
            self.found.add((method, path))


def actions_on(client: Client, page: str) -> set[tuple[str, str]]:
    response = client.get(page)
    if response.status_code != 200:
        return set()
    parser = _Actions(page)
    parser.feed(response.content.decode())
    return parser.found


def pages(neighbourhood) -> list[str]:
    proposals = Proposal.objects.filter(neighbourhood=neighbourhood)
    allocations = Allocation.objects.filter(neighbourhood=neighbourhood)
    items = AgendaItem.objects.filter(proposal__neighbourhood=neighbourhood)
    urls = [reverse("proposals:proposal-detail", args=[p.pk]) for p in proposals]
    urls += [reverse("reporting:allocation-detail", args=[a.pk]) for a in allocations]
    urls += [reverse("reporting:report-detail", args=[r.pk])
             for r in Report.objects.filter(allocation__in=allocations)]
    urls += [reverse("reporting:checkin-record", args=[c.pk])
             for c in CheckIn.objects.filter(allocation_year__allocation__in=allocations)]
    urls += [reverse("proposals:initiative-detail", args=[i])
             for i in set(proposals.values_list("initiative_id", flat=True))]
    urls += [reverse("governance:item-detail", args=[i.pk]) for i in items]
    urls += [reverse("governance:meeting-detail", args=[m.pk])
             for m in Meeting.objects.filter(items__in=items).distinct()]
    urls += [reverse("governance:analysis-detail", args=[p.pk])
             for p in proposals.exclude(status=Proposal.Status.DRAFT)]
    urls += [reverse("neighbourhoods:neighbourhood-detail", args=[neighbourhood.slug]),
             reverse("proposals:neighbourhood-file", args=[neighbourhood.slug]),
             reverse("governance:committee-list"), reverse("governance:letter-list")]
    return urls


def clients() -> dict:
    made = {}
    for email in ACCOUNTS:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        made[email] = client
    return made


def attempt(client: Client, method: str, path: str) -> tuple[int, str]:
    """The answer to one try, which is rolled back (a POST that is let through changes
    nothing for the next try)."""
    with transaction.atomic():
        response = client.post(path) if method == "POST" else client.get(path)
        transaction.set_rollback(True)
    return response.status_code, response.get("Location", "")


@pytest.mark.django_db
def test_each_button_is_shown_exactly_to_those_its_action_lets_through(sm):  # noqa: F811
    people = clients()
    own_table = {reverse(name) for name in OWN_TABLE}
    problems, tried = [], 0
    for page in pages(sm):
        shown = {email: actions_on(client, page) for email, client in people.items()}
        for action in set().union(*shown.values()):
            for email, client in people.items():
                status, location = attempt(client, *action)
                tried += 1
                let_through = status not in REFUSED and not (
                    email is None or location.startswith("/accounts/login"))
                expected = action in shown[email]
                if action[1] in own_table:
                    expected = email in MEMBERS
                if expected != let_through:
                    problems.append((page, action, email, status, location))
    assert tried > 100  # the pages offered actions, and they were tried
    assert problems == [], "\n".join(map(str, problems))
