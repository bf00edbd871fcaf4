"""One small state-machine engine, shared by every model whose status moves through a table of
transitions (the proposal, the report, the agenda item).

A `Machine` holds the table (transition name → `Transition`) and answers the questions asked
of it (which transitions start from a state, which states a transition leads to and what comes
after it), so that groups of states are derived from the table, never retyped. `Machine.move`
is the one way a status changes: it locks the row, lets the caller check who acts, makes a
repeat harmless (already in the target state: the row is returned unchanged), checks the
table and the transition's own proof, moves, saves and audits, all in the caller's
transaction. Side effects are registered by the caller with `transaction.on_commit` after the
move (only when it moved).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from pic.audit import audit
from pic.models import User


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    # The one road to this transition: the name of the keyword argument `move` must receive
    # (e.g. "agenda_item": only the committee's closed vote recommends), and the check that
    # the object given really is that proof for this row.
    only_via: str | None = None
    proof: Callable[[models.Model, Any], bool] | None = None
    verb: str | None = None  # the audit verb, when it is not "<prefix>.<name>"


class IllegalTransition(ValidationError):  # noqa: N818 - the domain's word
    """A transition the table does not allow from the row's current state (or asked for
    without the proof its road requires)."""

    def __init__(self, machine: "Machine", obj: models.Model, name: str):
        target = machine.label(machine.transitions[name].target)
        super().__init__(
            _("Impossible de passer %(subject)s de l'état « %(current)s » à l'état "
              "« %(target)s ».")
            % {"subject": machine.subject(obj), "current": machine.label(machine.state(obj)),
               "target": target},
            code="illegal_transition",
        )
        self.transition = name


class WrongRoad(IllegalTransition):
    """A transition that only one service may make, asked for by another road."""

    def __init__(self, machine: "Machine", obj: models.Model, name: str):
        ValidationError.__init__(
            self,
            _("%(subject)s ne peut passer à l'état « %(target)s » que par %(road)s.")
            % {"subject": machine.subject(obj).capitalize(),
               "target": machine.label(machine.transitions[name].target),
               "road": machine.roads.get(name, name)},
            code="wrong_road",
        )
        self.transition = name


@dataclass
class Machine:
    model: type[models.Model]
    transitions: dict[str, Transition]
    audit_prefix: str
    subject: Callable[[models.Model], str]
    state_field: str = "status"
    related: tuple[str, ...] = ()
    # How a person names each guarded road ("la fermeture du vote du comité").
    roads: dict[str, str] = field(default_factory=dict)

    # --- Reading the table -------------------------------------------------------------------

    def state(self, obj: models.Model) -> str:
        return getattr(obj, self.state_field)

    def label(self, state: str) -> str:
        return str(dict(self.model._meta.get_field(self.state_field).choices).get(state, state))

    def allowed(self, state: str) -> list[str]:
        """The transitions that may start from `state`."""
        return [name for name, t in self.transitions.items() if state in t.sources]

    def sources_of(self, name: str) -> tuple[str, ...]:
        return self.transitions[name].sources

    def target_of(self, name: str) -> str:
        return self.transitions[name].target

    def states_reachable_after(self, name: str) -> tuple[str, ...]:
        """The target of `name` and every state reachable from it (in table order)."""
        seen = [self.transitions[name].target]
        for state in seen:
            for transition in self.transitions.values():
                if state in transition.sources and transition.target not in seen:
                    seen.append(transition.target)
        return tuple(seen)

    def states_after(self, name: str, *, until: Iterable[str] = ()) -> tuple[str, ...]:
        """The states reachable after `name`, less those reachable after any of `until`
        (e.g. after "submit" until "recommend", "not_recommend", "withdraw": undecided)."""
        stop = {s for other in until for s in self.states_reachable_after(other)}
        return tuple(s for s in self.states_reachable_after(name) if s not in stop)

    # --- Moving --------------------------------------------------------------------------------

    def lock(self, obj: models.Model) -> models.Model:
        return (self.model.objects.select_for_update(of=("self",))
                .select_related(*self.related).get(pk=obj.pk))

    def move(self, obj: models.Model, name: str, *, actor: User | None,
             ensure: Callable[[models.Model], None] | None = None,
             prepare: Callable[[models.Model], dict | None] | None = None,
             fields: Iterable[str] | None = None, via: Any = None,
             **details: Any) -> tuple[models.Model, bool]:
        """Lock, check, move, save, audit. Returns (the locked row, whether it moved).

        `ensure(row)` checks who acts (raises PermissionDenied); `prepare(row)` checks the
        transition's own rules on the locked row (raises ValidationError), sets the other
        fields the move writes and may return more audit details; `fields` names those fields
        (None saves the whole row). Must run inside a transaction (the services' atomic)."""
        transition = self.transitions[name]
        obj = self.lock(obj)
        if ensure is not None:
            ensure(obj)
        before = self.state(obj)
        if before == transition.target:
            return obj, False  # a double click, or two people at once: harmless
        if before not in transition.sources:
            raise IllegalTransition(self, obj, name)
        if transition.only_via is not None and (
                via is None or (transition.proof is not None and not transition.proof(obj, via))):
            raise WrongRoad(self, obj, name)
        if prepare is not None:
            details.update(prepare(obj) or {})
        setattr(obj, self.state_field, transition.target)
        if fields is None:
            obj.save()
        else:
            updated = [self.state_field, *fields]
            if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
                updated.append("updated_at")
            obj.save(update_fields=updated)
        audit(actor, transition.verb or f"{self.audit_prefix}.{name}", obj,
              before=before, after=self.state(obj), **_jsonable(details))
        return obj, True


def changes_requested(message: str) -> Callable[[models.Model], dict]:
    """The `prepare` of a "request changes" transition: the note is required, kept on the
    row's `changes_requested_note` and in the audit."""
    message = (message or "").strip()

    def prepare(row: models.Model) -> dict:
        if not message:
            raise ValidationError({"message": _("Précisez les modifications demandées.")})
        row.changes_requested_note = message
        return {"message": message}

    return prepare


def _jsonable(details: dict) -> dict:
    """Audit details must be JSON: model instances become their pk."""
    return {key: value.pk if isinstance(value, models.Model) else value
            for key, value in details.items()}
