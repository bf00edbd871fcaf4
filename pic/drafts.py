"""Drafts saved from a page (by its button, or by itself a few seconds after typing stops, see
static/js/pic.js): one version check so that no save overwrites a newer one made in another
tab or by another person.

The page carries the version it was drawn from (`version_of`, its `updated_at`) in a hidden
field; the service, under its row lock, calls `ensure_current` before writing. A stale version
raises `StaleDraft`, whose message says when the newer save was made; the view keeps what was
typed on the page.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pic.formatting import format_time

VERSION_FIELD = "version"


def version_of(instance) -> str:
    """The version a page shows: the instance's `updated_at`, to the microsecond."""
    moment = getattr(instance, "updated_at", None)
    return moment.isoformat() if moment else ""


def _parse(version: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(version)
    except (TypeError, ValueError):
        return None


class StaleDraft(ValidationError):
    """The draft changed since the page was drawn: nothing was written."""

    def __init__(self, instance):
        self.saved_at = instance.updated_at
        self.version = version_of(instance)
        super().__init__(
            _("Ce brouillon a été enregistré ailleurs à %(time)s (dans un autre onglet ou par "
              "une autre personne) : vos changements ne sont pas enregistrés, ils sont "
              "conservés ci-dessous. Ouvrez le brouillon dans un autre onglet pour voir la "
              "version la plus récente; « Enregistrer » remplacera alors cette version par la "
              "vôtre.") % {"time": format_time(instance.updated_at)},
            code="stale")


def ensure_current(instance, expected: str | None) -> None:
    """Raise StaleDraft when `expected` (a version from a page) is older than the instance.
    No version (a client that sends none, an old page) is not checked."""
    if not expected:
        return
    expected_at = _parse(expected)
    if expected_at is None or instance.updated_at is None:
        return
    if instance.updated_at > expected_at:
        raise StaleDraft(instance)


def saved_message(instance) -> str:
    """« Enregistré à 14 h 32 »."""
    return _("Enregistré à %(time)s") % {"time": format_time(instance.updated_at)}
