"""Concurrent requests on one agenda item. Threads need real row locks: these run on
PostgreSQL (CI); on SQLite the threaded tests are skipped (SQLite locks the whole database and
ignores SELECT ... FOR UPDATE, so threads there prove nothing and fail at random)."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from governance import services
from governance.models import Recusal, Vote

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="threads need PostgreSQL row locks (SELECT ... FOR UPDATE); SQLite has none — "
           "these run in CI on PostgreSQL",
)


def _race(*calls, rounds_of_wait=10):
    """Run the calls at once in threads; return the exceptions they raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call):
        try:
            barrier.wait(timeout=rounds_of_wait)
            call()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.django_db
def test_the_database_refuses_a_second_vote_row(item, member):
    Vote.objects.create(item=item, member=member, choice=Vote.Choice.FOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(item=item, member=member, choice=Vote.Choice.AGAINST)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_votes_by_the_same_member_leave_one(item, member):
    for _round in range(5):
        errors = _race(
            lambda: services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR),
            lambda: services.vote_cast(item=item, actor=member.user,
                                       choice=Vote.Choice.AGAINST),
        )
        assert errors == []
        assert Vote.objects.filter(item=item, member=member).count() == 1
        Vote.objects.filter(item=item).delete()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_recusal_racing_a_vote_never_leaves_both(item, member):
    errors = _race(
        lambda: services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR),
        lambda: services.recusal_declare(item=item, actor=member.user, details="Conflit"),
    )
    # Whichever went first, the recusal stands and no vote is left (a vote after the recusal
    # is refused; a recusal after the vote withdraws it).
    assert all("récusé" in str(error) for error in errors)
    assert Recusal.objects.filter(item=item, member=member).exists()
    assert not Vote.objects.filter(item=item, member=member).exists()


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_vote_racing_the_closing_is_either_counted_or_refused(item, chair, member, member2):
    services.vote_cast(item=item, actor=member.user, choice=Vote.Choice.FOR)
    services.vote_cast(item=item, actor=chair.user, choice=Vote.Choice.FOR)
    errors = _race(
        lambda: services.vote_cast(item=item, actor=member2.user, choice=Vote.Choice.AGAINST),
        lambda: services.item_close(item=item, actor=chair.user),
    )
    item.refresh_from_db()
    counted = item.votes_for + item.votes_against + item.votes_abstain
    assert counted == Vote.objects.filter(item=item).count()
    assert len(errors) <= 1
