"""Who may do what, in one vocabulary: `can(user, action, obj)` and `ensure(user, action, obj)`.

An action is a string `<entity>.<verb>` ("proposal.submit", "vote.close"). Each app registers
the rules of its own actions in its `access.py` (imported by its AppConfig.ready), and the facts
about people it knows (memberships, staff roles, committee seats) as role sources; pic imports
no app. A rule says who the user is to the object (a relationship); whether the object's state
allows the action stays with the workflow and the services.

The system itself (tasks, commands, the demo, governance after a committee vote) acts as
`SYSTEM`, never as None: `ensure(None, ...)` raises, so a forgotten actor is never a skipped
check. `audit()` records no person for `SYSTEM`.

Roles are looked up once per request: `roles_of(user)` caches them on the user object, each
source queried the first time one of its facts is read; every service that changes someone's
roles calls `forget_roles(user)`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class _System:
    """The program itself acting (a task, a command, the demo): every action is allowed."""

    is_authenticated = True
    is_active = True
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "système"

    def __reduce__(self):
        return "SYSTEM"


SYSTEM = _System()


def is_system(actor: Any) -> bool:
    return actor is SYSTEM


def person(actor: Any):
    """The user to record as author (`created_by=person(actor)`): None for the system."""
    return None if actor is SYSTEM else actor


# --- Roles: facts registered by the apps, read once per request ------------------------------

ROLES_ATTR = "_pic_roles"

# fact name -> the source computing it (a source returns a dict of several facts in one query)
_FACT_SOURCES: dict[str, Callable[[Any], dict[str, Any]]] = {}
_FACT_DEFAULTS: dict[str, Any] = {}


def register_role_source(source: Callable[[Any], dict[str, Any]], defaults: dict[str, Any]) -> None:
    """`source(user)` returns the facts named in `defaults` (their value for anonymous users)."""
    for name, default in defaults.items():
        _FACT_SOURCES[name] = source
        _FACT_DEFAULTS[name] = default


# Row sources: each app's records of who a person is (staff roles, memberships, seats…) as
# rows (number, text, flag); every registered row source is read in ONE query, a UNION ALL,
# the first time any of their facts is asked (each page spends one query on roles, not four).
ROW_COLUMNS = ("role_source", "role_number", "role_text", "role_flag")
_ROW_SOURCES: list[tuple[Callable[[Any], Any], Callable[[list[tuple]], dict[str, Any]]]] = []


def role_rows(queryset, *, number, text, flag=False):
    """`queryset`'s rows in the row sources' shape: (number, text, flag) as expressions or
    constants (used by register_role_rows' `rows` functions)."""
    from django.db.models import BooleanField, CharField, IntegerField, Value
    from django.db.models.expressions import Combinable

    def expression(value, field):
        return value if isinstance(value, Combinable) else Value(value, output_field=field)

    return queryset.annotate(
        role_number=expression(number, IntegerField()), role_text=expression(text, CharField()),
        role_flag=expression(flag, BooleanField()))


def register_role_rows(rows: Callable[[Any], Any], facts: Callable[[list[tuple]], dict[str, Any]],
                       defaults: dict[str, Any]) -> None:
    """`rows(user)`: a queryset shaped by `role_rows`; `facts(rows)`: the facts named in
    `defaults` from its rows, each (number, text, flag)."""
    _ROW_SOURCES.append((rows, facts))
    register_role_source(_read_role_rows, defaults)


def _read_role_rows(user: Any) -> dict[str, Any]:
    from django.db.models import IntegerField, Value

    parts = [rows(user).annotate(role_source=Value(index, output_field=IntegerField()))
             .values_list(*ROW_COLUMNS).order_by()
             for index, (rows, _facts) in enumerate(_ROW_SOURCES)]
    found: list[list[tuple]] = [[] for _ in _ROW_SOURCES]
    for source, *row in parts[0].union(*parts[1:], all=True):
        found[source].append(tuple(row))
    facts: dict[str, Any] = {}
    for (_rows, to_facts), rows_found in zip(_ROW_SOURCES, found, strict=True):
        facts.update(to_facts(rows_found))
    return facts


class Roles:
    """Who a person is in the program; each fact is read from its source on first access."""

    def __init__(self, user: Any):
        self._user = user
        self._facts: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in _FACT_SOURCES:
            raise AttributeError(f"no role source registers the fact {name!r}")
        facts = self.__dict__["_facts"]
        if name not in facts:
            user = self.__dict__["_user"]
            if user is None or not user.is_authenticated or not user.is_active:
                facts[name] = _FACT_DEFAULTS[name]
            else:
                facts.update(_FACT_SOURCES[name](user))
        return facts[name]


# user id -> how many times their roles changed in this process: a user object whose cached
# roles are older (another object of the same person, e.g. the request's) looks them up again.
_CHANGES: dict[Any, int] = {}


def roles_of(user: Any) -> Roles:
    """The one role lookup, cached on the user object for the request."""
    if user is None or user is SYSTEM or not getattr(user, "is_authenticated", False):
        return Roles(None)
    changes = _CHANGES.get(user.pk, 0)
    cached = user.__dict__.get(ROLES_ATTR)
    if cached is None or cached[0] != changes:
        cached = (changes, Roles(user))
        user.__dict__[ROLES_ATTR] = cached
    return cached[1]


def sees_whole_program(user: Any) -> bool:
    """Coordination staff read every neighbourhood's files: their querysets filter nothing
    (neighbourhoods.models.neighbourhood_scope) and program-wide figures are theirs to share
    (pic.figures)."""
    return bool(getattr(user, "is_active", False)) and roles_of(user).coordination


def forget_roles(user: Any) -> None:
    """Called by every service that changes a person's roles: every object of that person
    forgets them (and Django's permission cache)."""
    if user is None or user is SYSTEM:
        return
    _CHANGES[user.pk] = _CHANGES.get(user.pk, 0) + 1
    for attr in (ROLES_ATTR, "_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)


# --- Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    action: str
    test: Callable[[Roles, Any], bool]  # (roles of the user, object or None) -> allowed
    reason: str | Promise  # shown to a refused person (lazily translated)


_RULES: dict[str, Rule] = {}


def register(action: str, test: Callable[[Roles, Any], bool], reason: str | Promise) -> None:
    if "." not in action:
        raise ValueError(f"an action is named <entity>.<verb>, not {action!r}")
    if action in _RULES and _RULES[action].test is not test:
        raise ValueError(f"the action {action!r} is already registered")
    _RULES[action] = Rule(action, test, reason)


def rule(action: str, reason: str | Promise) -> Callable:
    """Decorator form of `register`."""
    def decorate(test: Callable[[Roles, Any], bool]) -> Callable[[Roles, Any], bool]:
        register(action, test, reason)
        return test
    return decorate


def actions() -> list[str]:
    return sorted(_RULES)


def _rule(action: str) -> Rule:
    try:
        return _RULES[action]
    except KeyError:
        raise LookupError(f"unknown action {action!r}: register it in the app's access.py") \
            from None


def can(user: Any, action: str, obj: Any = None) -> bool:
    """May `user` do `action` (on `obj`)? The system may do anything; nobody else by default."""
    found = _rule(action)
    if user is SYSTEM:
        return True
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(found.test(roles_of(user), obj))


def ensure(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied, with the reason a person can read, unless `can(...)`."""
    found = _rule(action)
    if user is None:
        raise PermissionDenied(_("Action refusée : aucune personne ni le système n'agit."))
    if not can(user, action, obj):
        raise PermissionDenied(found.reason)


def reason(action: str) -> str | Promise:
    return _rule(action).reason


# --- Small predicates many rules share --------------------------------------------------------


def anyone(_roles: Roles, _obj: Any) -> bool:
    """Any signed-in, active person (the object's own scoping, visible_to, does the rest)."""
    return True


def nobody(_roles: Roles, _obj: Any) -> bool:
    """Only the system."""
    return False


def either(*tests: Callable[[Roles, Any], bool]) -> Callable[[Roles, Any], bool]:
    def test(roles: Roles, obj: Any) -> bool:
        return any(t(roles, obj) for t in tests)
    return test


def register_all(actions_: Iterable[str], test: Callable[[Roles, Any], bool],
                 reason_: str | Promise) -> None:
    for action in actions_:
        register(action, test, reason_)


# --- Views -------------------------------------------------------------------------------


class ActionRequiredMixin(LoginRequiredMixin):
    """A page whose whole use is one action: others get 403 with the action's reason.
    `action = "program.edit"`; the check has no object (use `ensure` in the view for one)."""

    action: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            ensure(request.user, self.action)
        return super().dispatch(request, *args, **kwargs)
