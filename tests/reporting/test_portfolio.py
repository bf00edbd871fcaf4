"""Partners read the program's portfolio: aggregates over every neighbourhood, no file, no
person, no draft; and they publish the allocations as 360Giving open data."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from pic.models import User
from reporting import exports, portfolio
from reporting.models import Allocation


@pytest.fixture
def seeded(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("seed_demo", force=True, verbosity=0)


@pytest.fixture
def partner(seeded):
    return User.objects.get(email="partenaire.mcconnell@example.org")


def test_partner_home_shows_the_portfolio_without_people(client, partner):
    client.force_login(partner)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert "reporting/home_partner.html" in [t.name for t in response.templates]
    assert "<svg" in body
    assert response.context["files"]["rows"]
    # No person's name or email, and no draft in the counts.
    for person in User.objects.exclude(pk=partner.pk):
        assert person.email not in body
    statuses = [value for value, _label in response.context["files"]["statuses"]]
    assert "draft" not in statuses


def test_partner_open_data_covers_every_allocation(partner):
    grants = json.loads(exports.export_data(kind="360giving", file_format="json",
                                            user=partner))["grants"]
    assert len(grants) == Allocation.objects.count() > 0
    assert {"id", "amountAwarded", "recipientOrganization"} <= set(grants[0])


def test_neighbourhood_people_do_not_read_the_portfolio(seeded):
    member = User.objects.get(email="tq.saint-michel@example.org")
    with pytest.raises(PermissionDenied):
        portfolio.portfolio_home(user=member)


def test_neighbourhood_open_data_is_only_their_own(seeded):
    member = User.objects.get(email="tq.saint-michel@example.org")
    grants = json.loads(exports.export_data(kind="360giving", file_format="json",
                                            user=member))["grants"]
    assert all("saint-michel" in g["recipientOrganization"][0]["id"] for g in grants)


def _page_queries(context) -> list[str]:
    """The page's own SQL: without the statements of the database cache's storage (pic_cache,
    the embedded default's cache; Redis in production takes none) and transaction control."""
    return [q["sql"] for q in context.captured_queries
            if "pic_cache" not in q["sql"]
            and q["sql"].split(" ", 1)[0].upper() not in {"BEGIN", "COMMIT", "SAVEPOINT",
                                                            "RELEASE", "ROLLBACK"}]


def test_partner_home_query_count_is_bounded(client, partner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(partner)
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("home"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("home"))
    assert len(_page_queries(cold)) <= 15
    # the money comes from the cache the second time: only the live tables are read again
    assert len(_page_queries(warm)) <= len(_page_queries(cold)) - 4


def test_partner_home_shows_counts_of_families_as_whole_numbers(client, partner):
    """« 60 / 200 », not « 60,00 / 200,00 » (issue 14)."""
    from pic.formatting import format_number

    client.force_login(partner)
    response = client.get(reverse("home"))
    body = response.content.decode()
    indicators = list(response.context["indicators"])
    assert indicators
    for row in indicators:
        assert f'<td class="num">{format_number(row["total"])}</td>' in body
    assert ",00</td>" not in body
