"""The demo and the scale data in two databases at once, so that a page's timed requests can
alternate between the two sizes and both see the same machine load.

Measured one after the other, the demo run and the scale run are minutes apart; on a shared
machine the load changes in between, and the ratio of the two medians (the "flat" target)
moved by more than the pages did. Side by side, `bench` copies its empty database twice
(`CREATE DATABASE … TEMPLATE`): one copy takes the demo, the other the demo and then the
scale data, and "default" is pointed at one copy or the other between requests. The scale copy
is made from the demo copy, so the demo's rows (content types included) have the same ids in
both. Both copies are dropped at the end unless `--keep`.

PostgreSQL only, and the role needs CREATEDB; elsewhere `bench` measures one size after the
other, as before.
"""

import copy

from django.db import DatabaseError, connections

LABELS = ("demo", "scale")


class SideBySideUnavailable(Exception):
    """The two copies cannot be made here (not PostgreSQL, no CREATEDB, a session open on the
    template)."""


class SideBySide:
    def __init__(self):
        self.base = connections["default"]
        if self.base.vendor != "postgresql":
            raise SideBySideUnavailable("the two copies need PostgreSQL")
        if self.base.in_atomic_block:  # its session must close: the copy's template
            raise SideBySideUnavailable("the database is in a transaction")
        name = self.base.settings_dict["NAME"]
        self.names = {label: f"{name}_bench_{label}" for label in LABELS}
        self.wrappers = {}

    # --- The copies ------------------------------------------------------------------------

    def _admin(self, sql: str) -> None:
        """Outside any database the copies involve (CREATE/DROP DATABASE take no transaction
        and want no session on the template)."""
        with self.base._nodb_cursor() as cursor:
            cursor.execute(sql)

    def _copy(self, source: str, label: str) -> None:
        quote = self.base.ops.quote_name
        target = self.names[label]
        try:
            self._admin(f"DROP DATABASE IF EXISTS {quote(target)}")
            self._admin(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")
        except DatabaseError as error:
            raise SideBySideUnavailable(str(error).strip()) from error
        settings = copy.deepcopy(self.base.settings_dict)
        settings.update(NAME=target, CONN_MAX_AGE=None)  # one connection a side, kept
        self.wrappers[label] = self.base.__class__(settings, alias="default")

    def create_demo(self) -> None:
        """The empty database, copied: the demo is loaded into the copy."""
        self.base.close()
        self._copy(self.base.settings_dict["NAME"], "demo")

    def create_scale(self) -> None:
        """The demo copy, copied: the scale data goes on top of the demo, as in one run."""
        self.wrappers["demo"].close()
        self._copy(self.names["demo"], "scale")

    def use(self, label: str | None) -> None:
        """Point "default" (and `django.db.connection`) at one copy; None: back to the base."""
        connections["default"] = self.wrappers[label] if label else self.base

    def drop(self) -> None:
        self.use(None)
        quote = self.base.ops.quote_name
        for label, wrapper in self.wrappers.items():
            wrapper.close()
            self._admin(f"DROP DATABASE IF EXISTS {quote(self.names[label])}")
        self.wrappers.clear()

    def switches(self) -> dict:
        """label → a function pointing "default" at that copy (bench.measure_pages's sides)."""
        return {label: (lambda label=label: self.use(label)) for label in self.wrappers}
