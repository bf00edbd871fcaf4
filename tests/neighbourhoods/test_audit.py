import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from neighbourhoods import services
from neighbourhoods.models import Membership
from pic.audit import audit
from pic.models import AuditEvent


def test_services_write_the_audit_log(coordination, tq_saint_michel):
    membership = Membership.objects.get(user=tq_saint_michel)
    services.membership_end(membership=membership, actor=coordination)
    event = AuditEvent.objects.for_object(membership).get(verb="membership.ended")
    assert event.actor == coordination


def test_audit_events_cannot_change(coordination, tq_saint_michel):
    event = AuditEvent.objects.first()
    event.verb = "rewritten"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_staff_read_the_log_filtered_by_object(client, coordination, tq_saint_michel, saint_michel):
    membership = Membership.objects.get(user=tq_saint_michel)
    services.membership_end(membership=membership, actor=coordination)
    event = AuditEvent.objects.for_object(membership).first()
    client.force_login(coordination)
    response = client.get(reverse("neighbourhoods:audit-log"),
                          {"type": event.content_type_id, "object": event.object_id})
    events = list(response.context["events"])
    assert events
    assert all(e.object_id == str(membership.pk) for e in events)
    assert "membership.ended" in response.content.decode()


def test_neighbourhood_people_cannot_read_the_log(client, tq_saint_michel):
    client.force_login(tq_saint_michel)
    assert client.get(reverse("neighbourhoods:audit-log")).status_code == 403


def test_the_whole_log_counts_its_pages_from_the_last_rank_not_a_count(client, coordination):
    for number in range(120):
        audit(coordination, "membership.ended" if number % 3 else "proposal.submit")
    total = AuditEvent.objects.all().count()
    assert total > 100
    client.force_login(coordination)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("neighbourhoods:audit-log"))
    assert page.context["paginator"].count == total
    assert f"Page 1 sur {-(-total // 50)}" in page.content.decode()
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    filtered = client.get(reverse("neighbourhoods:audit-log"), {"action": "proposal.submit"})
    assert filtered.context["paginator"].count == AuditEvent.objects.filter(
        verb="proposal.submit").count() == 40
