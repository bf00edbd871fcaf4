"""Where each app contributes its part of Law 25's duties, without pic importing it.

- Collectors: what the app holds on a person, for the person's own download (access and
  portability). `collector(user) -> iterable of Section`.
- Anonymisers: what the app ends or deletes when the retention policy anonymises a person
  (roles, preferences). `anonymiser(user) -> dict of counts` (called inside the transaction).
- Purges: what the app deletes because nothing justifies keeping it any longer (e.g. expired
  invitations). `purge(*, now, cutoff, dry_run) -> dict of counts` (cutoff: the retention
  period's start): with dry_run, count and change nothing.
- The incident register's gate: who may keep it (the coordination team, registered by
  neighbourhoods; nobody until then).

Apps register from their AppConfig.ready (see neighbourhoods/apps.py and the others).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise

Value = str | int | float | bool | None


@dataclass
class Section:
    """One kind of record about the person (e.g. "Votes"), each row a {field label: value}."""

    key: str
    title: str | Promise
    rows: list[dict[str, Value]] = field(default_factory=list)


Collector = Callable[[object], Iterable[Section]]
Anonymiser = Callable[[object], dict[str, int]]
Purge = Callable[..., dict[str, int]]

_collectors: dict[str, Collector] = {}
_anonymisers: dict[str, Anonymiser] = {}
_purges: dict[str, Purge] = {}


def register_collector(name: str, collector: Collector) -> None:
    _collectors[name] = collector


def register_anonymiser(name: str, anonymiser: Anonymiser) -> None:
    _anonymisers[name] = anonymiser


def register_purge(name: str, purge: Purge) -> None:
    _purges[name] = purge


def collectors() -> list[tuple[str, Collector]]:
    return list(_collectors.items())


def anonymisers() -> list[tuple[str, Anonymiser]]:
    return list(_anonymisers.items())


def purges() -> list[tuple[str, Purge]]:
    return list(_purges.items())

