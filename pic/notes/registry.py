"""What pic needs to know of the apps' files, registered from their AppConfig.ready:

- `register_file(model, neighbourhood_of=...)`: a model whose pages carry a thread of notes
  (a proposal, a report, an allocation, a check-in, a neighbourhood), and the neighbourhood it
  belongs to (the table whose members may read its shared notes);
- `register_audience(scope=..., readers=...)`, once (neighbourhoods): who reads a
  neighbourhood's notes. `scope(user)` -> (neighbourhood ids whose internal notes the person
  reads, ids whose shared notes they read), None meaning every neighbourhood;
  `readers(neighbourhood_id, internal)` -> the queryset of people who read such a note;
  `followers(neighbourhood_id)` -> who follows all its files (its advisors);
  `people(user)` -> the people the person may see (a refused mention names only them).
  Both follow the access rules "note.read_internal" and "note.read" (pic.access)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

Ids = Iterable[int] | None


@dataclass(frozen=True)
class FileKind:
    model: type[models.Model]
    neighbourhood_of: Callable[[Any], int]
    select_related: tuple[str, ...] = ()


_files: dict[type, FileKind] = {}
_audience: dict[str, Callable] = {}


def register_file(model: type[models.Model], *, neighbourhood_of: Callable[[Any], int],
                  select_related: tuple[str, ...] = ()) -> None:
    _files[model] = FileKind(model, neighbourhood_of, select_related)


def register_audience(*, scope: Callable[[Any], tuple[Ids, Ids]],
                      readers: Callable[[int, bool], models.QuerySet],
                      followers: Callable[[int], models.QuerySet],
                      people: Callable[[Any], models.QuerySet]) -> None:
    _audience["scope"] = scope
    _audience["readers"] = readers
    _audience["followers"] = followers
    _audience["people"] = people


def file_kind(model: type[models.Model]) -> FileKind:
    try:
        return _files[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no notes: register_file() it") from None


def file_models() -> list[type[models.Model]]:
    return list(_files)


def neighbourhood_of(obj: models.Model) -> int:
    return file_kind(type(obj)).neighbourhood_of(obj)


def scope(user: Any) -> tuple[Ids, Ids]:
    if "scope" not in _audience:
        return (), ()
    return _audience["scope"](user)


def readers(neighbourhood_id: int, *, internal: bool) -> models.QuerySet:
    return _audience["readers"](neighbourhood_id, internal)


def followers(neighbourhood_id: int) -> models.QuerySet:
    return _audience["followers"](neighbourhood_id)


def people(user: Any) -> models.QuerySet:
    return _audience["people"](user)
