"""Agenda items that are not an allocation decision: a higher layer registers its kind here
(reporting: an amendment beyond the allocation, « Renvoyée au comité »), so governance puts it
on an agenda, votes on it with the proposal's recusals and quorum, and hands the result back,
without importing that layer.

A source says how the meeting page lists its candidates, how one is added (its own service,
which checks its own rules and calls `agenda_item_add(kind=...)`), what the item page shows
of it, and what the committee's decision does (`decide`, inside `item_close`'s transaction:
the item's result and reasons are set, the item is not saved yet)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class AgendaSource:
    kind: str  # an AgendaItem.Kind other than ALLOCATION
    field: str  # the name of the POST field that carries the chosen object's pk
    label: str | Promise  # the choice's label on the meeting page
    # choices(user=, meeting=) -> [(pk, label)]: what may go on this meeting's agenda now
    choices: Callable[..., list[tuple[int, str]]]
    # add(meeting=, pk=, actor=) -> AgendaItem (raises ValidationError / PermissionDenied)
    add: Callable[..., Any]
    # decide(item=, actor=): the closed vote's consequence (item.result is APPROVED/REFUSED)
    decide: Callable[..., object]
    # panel(item=) -> dict: the context of `template`, shown on the item's page
    panel: Callable[..., dict]
    template: str
    # The close confirmation's consequences, in words.
    consequences: tuple[str | Promise, ...] = ()


_SOURCES: dict[str, AgendaSource] = {}


def register_agenda_source(source: AgendaSource) -> None:
    _SOURCES[source.kind] = source


def agenda_source(kind: str) -> AgendaSource:
    try:
        return _SOURCES[kind]
    except KeyError:
        raise LookupError(f"no agenda source registered for items of kind {kind!r}") from None


def agenda_sources() -> list[AgendaSource]:
    return list(_SOURCES.values())
