"""The audit log's hash chain: each event carries the SHA-256 of the one before it.

An event's hash covers its canonical content (sequence, time, actor, verb, object, details with
sorted keys) and the previous event's hash, so changing, removing or inserting an event breaks
every hash after it. Appending is serialised: on PostgreSQL a transaction-scoped advisory lock
is taken before the last event is read and held until commit, so two transactions never chain
onto the same event (on SQLite the database lock already serialises writers).

`verify_chain()` walks the chain in sequence order, in batches (constant memory), and returns
the first problem found; `manage.py verify_audit` prints it and exits non-zero.
"""

import datetime
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

GENESIS_HASH = "0" * 64
# Any constant would do: it names "the audit chain" among the app's advisory locks.
ADVISORY_LOCK_KEY = 7_250_001
TABLE = "pic_auditevent"
TRIGGERS = ("pic_auditevent_append_only_rows", "pic_auditevent_append_only_truncate")


def normalise_details(details: dict) -> dict:
    """The details as the database gives them back (dates, decimals, UUIDs as text)."""
    return json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))


def _utc(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:  # USE_TZ is on: a naive time would be a bug; read it as UTC
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(*, sequence: int, created_at: datetime.datetime, actor_id: int | None, verb: str,
              content_type_id: int | None, object_id: str, object_repr: str, details: dict,
              previous_hash: str) -> bytes:
    content = {
        "sequence": sequence, "created_at": _utc(created_at), "actor": actor_id, "verb": verb,
        "content_type": content_type_id, "object_id": object_id, "object_repr": object_repr,
        "details": details, "previous_hash": previous_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      cls=DjangoJSONEncoder).encode("utf-8")


def event_hash(**content) -> str:
    return hashlib.sha256(canonical(**content)).hexdigest()


def hash_of(event) -> str:
    """The hash an event (a model instance or a row of CHAIN_FIELDS values) should carry."""
    return event_hash(
        sequence=event.sequence, created_at=event.created_at, actor_id=event.actor_id,
        verb=event.verb, content_type_id=event.content_type_id, object_id=event.object_id,
        object_repr=event.object_repr, details=event.details, previous_hash=event.previous_hash,
    )


def lock_chain(using: str) -> None:
    """Serialise appends until the end of the current transaction (PostgreSQL)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def seal(event, *, using: str) -> None:
    """Give a new event its place in the chain: call inside a transaction, just before the
    INSERT (AuditEvent.save does)."""
    lock_chain(using)
    last = (type(event).objects.using(using).order_by("-sequence")
            .values_list("sequence", "hash").first())
    event.sequence, event.previous_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    event.details = normalise_details(event.details)
    event.hash = hash_of(event)


def seal_many(events: list, *, using: str) -> None:
    """Give new events, in their order, their places after the last event (one lock, one
    read): for a batch inserted at once (pic.audit.audit_many, the scale data set)."""
    lock_chain(using)
    model = type(events[0]) if events else None
    last = (model.objects.using(using).order_by("-sequence").values_list("sequence", "hash")
            .first()) if model else None
    sequence, previous = last if last else (0, GENESIS_HASH)
    for event in events:
        sequence += 1
        event.sequence, event.previous_hash = sequence, previous
        event.details = normalise_details(event.details)
        event.hash = previous = hash_of(event)


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    kind: str  # "altered", "missing", "broken_link"
    sequence: int
    event_id: int | None
    message: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    head_sequence: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _events_in_order(model, *, batch_size: int, using: str) -> Iterator:
    last = 0
    while True:
        batch = list(model.objects.using(using).filter(sequence__gt=last)
                     .order_by("sequence")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def verify_chain(model, *, batch_size: int = 1000, using: str = "default") -> ChainReport:
    """Walk the chain; the first altered, missing or re-linked event is the report's problem."""
    expected_sequence, previous_hash, checked = 1, GENESIS_HASH, 0
    for event in _events_in_order(model, batch_size=batch_size, using=using):
        if event.sequence != expected_sequence:
            missing = (f"{expected_sequence}" if event.sequence == expected_sequence + 1
                       else f"{expected_sequence}–{event.sequence - 1}")
            return ChainReport(checked, expected_sequence - 1, previous_hash, ChainProblem(
                "missing", expected_sequence, None,
                f"event(s) missing: sequence {missing} (the next present is sequence "
                f"{event.sequence}, id {event.pk})"))
        if event.previous_hash != previous_hash:
            return ChainReport(checked, event.sequence - 1, previous_hash, ChainProblem(
                "broken_link", event.sequence, event.pk,
                f"event sequence {event.sequence} (id {event.pk}) does not follow the event "
                f"before it: its previous hash is {event.previous_hash[:12]}…, expected "
                f"{previous_hash[:12]}…"))
        if hash_of(event) != event.hash:
            return ChainReport(checked, event.sequence - 1, previous_hash, ChainProblem(
                "altered", event.sequence, event.pk,
                f"event sequence {event.sequence} (id {event.pk}, {event.verb}) was altered: "
                f"its content no longer matches its hash"))
        checked += 1
        expected_sequence, previous_hash = event.sequence + 1, event.hash
    return ChainReport(checked, expected_sequence - 1, previous_hash, None)


# --- Maintenance (tests, and the table owner's deliberate repairs) ----------------------------


@contextmanager
def append_only_triggers_disabled(using: str = "default"):
    """Suspend the PostgreSQL triggers that refuse UPDATE, DELETE and TRUNCATE on the audit
    table, for the table owner (e.g. the test suite's flush between transactional tests, or a
    test that tampers with a row on purpose). Outside PostgreSQL, nothing to do."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # ALTER TABLE refuses while deferred foreign-key checks are pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for trigger in TRIGGERS:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {trigger}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for trigger in TRIGGERS:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {trigger}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
