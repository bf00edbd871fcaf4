"""Long forms as task lists (GOV.UK's task list and check-answers patterns), the pieces every
form shares: a Section (slug, title, field names), an Answer (one row of the check-answers
page), a section's status and the whole form's progress. Each form declares its sections in
one list: proposals/sections.py, reporting/sections.py.

A section's status: not started (nothing filled but default values), in progress, complete
(every field filled but the optional ones, no rule failing) or with errors (started, and a
submission rule fails in it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    fields: tuple[str, ...]
    optional: tuple[str, ...] = ()  # not needed for the section to be complete


NOT_STARTED, IN_PROGRESS, COMPLETE, ERRORS = "not_started", "in_progress", "complete", "errors"
STATUS_LABELS = {NOT_STARTED: _("Pas commencée"), IN_PROGRESS: _("En cours"),
                 COMPLETE: _("Terminée"), ERRORS: _("À corriger")}
STATUS_BADGES = {NOT_STARTED: "badge-info", IN_PROGRESS: "badge-warn", COMPLETE: "badge-ok",
                 ERRORS: "badge-err"}


@dataclass
class Answer:
    """One row of the check-answers page: what was asked, what is saved, where to change it."""

    label: str
    value: str
    anchor: str
    filled: bool
    name: str
    counts: bool = True  # False: a default value, not something the person typed


@dataclass
class SectionState:
    section: Section
    status: str
    answers: list[Answer]
    errors: list[str]
    url: str
    number: int = 0

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def badge(self):
        return STATUS_BADGES[self.status]


def status_of(section: Section, answers: list[Answer], errors: list[str]) -> str:
    if not any(a.filled and a.counts for a in answers):
        return NOT_STARTED
    if errors:
        return ERRORS
    needed = [a for a in answers if a.name not in section.optional]
    return COMPLETE if all(a.filled for a in needed) else IN_PROGRESS


def text_answer(name: str, label, value, anchor: str = "") -> Answer:
    text = "" if value is None else str(value).strip()
    return Answer(str(label), text, anchor or f"id_{name}", bool(text), name)


def progress(states: list[SectionState]) -> dict:
    done = sum(1 for s in states if s.status == COMPLETE)
    return {"done": done, "total": len(states),
            "text": ngettext("%(done)s section terminée sur %(total)s.",
                             "%(done)s sections terminées sur %(total)s.", done)
            % {"done": done, "total": len(states)}}
