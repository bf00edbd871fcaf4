"""Where an object lives in the app: each app registers the page of its models (from its
AppConfig.ready), so pic can link a notification or a note to a page it knows nothing of."""

from collections.abc import Callable

from django.db import models

_urls: dict[type, Callable[[models.Model], str]] = {}


def register_url(model: type[models.Model], url: Callable[[models.Model], str]) -> None:
    _urls[model] = url


def url_of(obj: models.Model | None) -> str:
    if obj is None:
        return ""
    for model in type(obj).__mro__:
        if model in _urls:
            return _urls[model](obj)
    getter = getattr(obj, "get_absolute_url", None)
    return getter() if getter else ""
