"""Program-wide figures kept in the cache: the counts and sums over every file that the
coordination home, the follow-up dashboard, the ratification page and the partners' portfolio
show on every view (issue 10: at 20,000 files each is a scan of thousands of rows).

Only aggregates are kept (numbers, and the raw names they are grouped by), never a row a
page lists: the rows are read live, by index, and only their totals come from here. Every
figure is one entry of a single cache key, so one cache read serves a whole page, and one
delete forgets them all.

They are forgotten when a file, its years, a ratification, a letter, a report or an allocation
changes (the models each app registers with `forget_on_change`): once the transaction commits
(for the other processes), and at once in this process if it kept a figure (so a page read
after a write in the same transaction sees it). A write that bypasses the signals (a queryset
`update()`) is caught by the short lifetime only, so the services don't use it on those
models. A figure of a day (`today`) is kept with its day and is recomputed the next day.

    counts = figures.read({"files": lambda: ..., "late": lambda: ...}, today=today)
"""

import datetime
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from pic.access import sees_whole_program

CACHE_KEY = "pic:figures:v1"  # change the version when the shape of a figure changes
CACHE_SECONDS = 15 * 60  # bounds how long a missed change (a raw update) may show

_state = {"kept": False}  # whether this process stored figures since it last forgot them


def read(computations: dict[str, Callable], *, today: datetime.date | None = None) -> dict:
    """Each named figure, from the cache or computed (and kept): one cache read, and one write
    if any was missing. A figure computed with `today` is valid for that day only."""
    day = today.isoformat() if today else None
    kept = cache.get(CACHE_KEY) or {}
    found, missing = {}, {}
    for name, compute in computations.items():
        entry = kept.get(name)
        if entry is not None and entry[0] == day:
            found[name] = entry[1]
        else:
            missing[name] = compute
    if missing:
        for name, compute in missing.items():
            found[name] = compute()
            kept[name] = (day, found[name])
        cache.set(CACHE_KEY, kept, CACHE_SECONDS)
        _state["kept"] = True
    return found


def read_for(user, computations: dict[str, Callable], *,
             today: datetime.date | None = None) -> dict:
    """`read` for a page whose figures follow what the user may see: kept for the people who
    see the whole program (coordination staff, whose `visible_to` filters nothing), computed
    for everyone else (an advisor's figures are theirs only)."""
    if sees_whole_program(user):
        return read(computations, today=today)
    return {name: compute() for name, compute in computations.items()}


def _forget_now() -> None:
    cache.delete(CACHE_KEY)


_forget_now.pic_cache_forget = True  # tests counting a transaction's side effects skip it


def forget_now() -> None:
    """At once: after bulk inserts, which send no signal (seed_scale)."""
    _state["kept"] = False
    _forget_now()


def forget() -> None:
    """Forget every figure: at once if this process kept some, and after the commit."""
    if _state["kept"]:
        forget_now()
    on_commit_once(_forget_now)


def on_commit_once(func: Callable[[], None]) -> None:
    """Run `func` once the current transaction commits, once however many rows it changes
    (a cache's forgetting: reporting.portfolio's money too)."""
    connection = transaction.get_connection()
    here = set(connection.savepoint_ids)
    if any(sids == here and f is func for sids, f, *_ in connection.run_on_commit):
        return
    transaction.on_commit(func)


def _changed(sender, **kwargs) -> None:
    forget()


def forget_on_change(*models) -> None:
    """Called by each app's ready(): the models whose writes change a program figure."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(_changed, sender=model,
                           dispatch_uid=f"figures-{model._meta.label_lower}")
