"""The audit log no one can rewrite quietly: a PostgreSQL trigger refuses UPDATE, DELETE and
TRUNCATE; each event carries the SHA-256 of the one before it; `verify_audit` names the first
altered or missing event."""

import datetime
import threading
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from pic import audit_chain
from pic.access import SYSTEM
from pic.audit import audit
from pic.models import AuditEvent
from tests.conftest import in_ci

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql" and not in_ci(),
    reason="the append-only trigger exists on PostgreSQL only (CI runs these)",
)


def verify() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out, batch_size=2)
    return out.getvalue()


@pytest.fixture
def events(coordination, saint_michel):
    return [audit(coordination, f"test.event_{n}", saint_michel, n=n, amount=Decimal("12.50"),
                  on=datetime.date(2026, 1, n + 1)) for n in range(5)]


@pytest.mark.django_db
def test_each_event_carries_the_hash_of_the_one_before(events):
    chain = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].previous_hash == audit_chain.GENESIS_HASH
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.previous_hash == before.hash
    stored = AuditEvent.objects.get(pk=events[2].pk)
    assert stored.hash == audit_chain.hash_of(stored) == events[2].hash
    assert stored.details == {"n": 2, "amount": "12.50", "on": "2026-01-03"}


@pytest.mark.django_db
def test_verify_audit_passes_an_intact_chain_in_batches(events):
    out = verify()
    count = AuditEvent.objects.count()
    assert f"Audit chain intact: {count} event(s)" in out
    assert AuditEvent.objects.order_by("-sequence").first().hash in out


@pytest.mark.django_db
def test_the_queryset_refuses_to_change_or_delete_events(events):
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=events[0].pk).update(verb="rewritten")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.bulk_create([AuditEvent(verb="x")])
    assert AuditEvent.objects.filter(verb="rewritten").count() == 0


@needs_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("sql", [
    "UPDATE pic_auditevent SET verb = 'rewritten'",
    "DELETE FROM pic_auditevent",
    "TRUNCATE pic_auditevent",
    "TRUNCATE pic_auditevent CASCADE",
])
def test_the_database_refuses_sql_that_changes_or_removes_events(events, sql):
    count = AuditEvent.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending check hides the trigger
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(sql)
    assert AuditEvent.objects.count() == count
    assert not AuditEvent.objects.filter(verb="rewritten").exists()


@needs_postgresql
@pytest.mark.django_db
def test_the_database_refuses_django_s_own_update_and_delete_paths(events):
    """Django's plain QuerySet.update and .delete, past the model's own refusal: the trigger
    still holds."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        models.QuerySet.update(AuditEvent.objects.filter(pk=events[0].pk), verb="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        models.QuerySet.delete(AuditEvent.objects.filter(pk=events[0].pk))
    assert AuditEvent.objects.get(pk=events[0].pk).verb == "test.event_0"


def tamper(sql: str, params: list) -> None:
    """Behind the app's back: the table owner suspends the trigger and rewrites a row."""
    with transaction.atomic(), audit_chain.append_only_triggers_disabled(), \
            connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_verify_audit_names_an_altered_event(events):
    target = AuditEvent.objects.get(pk=events[2].pk)
    tamper("UPDATE pic_auditevent SET details = %s WHERE id = %s",
           ['{"n": 2, "amount": "99999.00", "on": "2026-01-03"}', target.pk])
    with pytest.raises(CommandError) as error:
        verify()
    message = str(error.value)
    assert f"sequence {target.sequence} (id {target.pk}, test.event_2) was altered" in message
    assert f"after {target.sequence - 1} valid event(s)" in message


@pytest.mark.django_db
def test_verify_audit_names_a_missing_event(events):
    target = AuditEvent.objects.get(pk=events[1].pk)
    tamper("DELETE FROM pic_auditevent WHERE id = %s", [target.pk])
    with pytest.raises(CommandError, match=f"missing: sequence {target.sequence} "):
        verify()


@pytest.mark.django_db
def test_verify_audit_names_a_forged_event_rechained_in_place(events):
    """Rewriting an event and its own hash still breaks the link to the next one."""
    target = AuditEvent.objects.get(pk=events[1].pk)
    target.verb = "forged"
    forged_hash = audit_chain.hash_of(target)
    tamper("UPDATE pic_auditevent SET verb = %s, hash = %s WHERE id = %s",
           ["forged", forged_hash, target.pk])
    with pytest.raises(CommandError, match=f"sequence {target.sequence + 1} .* does not follow"):
        verify()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain(coordination):
    """Eight threads writing at once: one sequence without gaps or forks."""
    barrier = threading.Barrier(8)
    errors = []

    def write(n):
        try:
            barrier.wait(timeout=10)
            for i in range(5):
                with transaction.atomic():
                    audit(SYSTEM, "test.concurrent", None, thread=n, i=i)
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.filter(verb="test.concurrent").count() == 40
    assert "Audit chain intact" in verify()


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_written_before_it():
    """Events written before the chain existed (by an older release) get their sequence and
    hashes, in the order they happened, and the chain verifies."""
    from django.db.migrations.executor import MigrationExecutor

    before, chained = [("pic", "0001_initial")], [("pic", "0005_audit_append_only")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("pic", "AuditEvent")
    moments = [timezone.now() - datetime.timedelta(days=d) for d in (3, 1, 2)]
    for n, moment in enumerate(moments):
        old.objects.create(verb=f"old.event_{n}", created_at=moment,
                           details={"n": n, "on": "2021-10-15"})
    executor = MigrationExecutor(connection)
    executor.migrate(chained)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.verb for e in events] == ["old.event_0", "old.event_2", "old.event_1"]
    assert [e.sequence for e in events] == [1, 2, 3]
    assert "Audit chain intact: 3 event(s)" in verify()
