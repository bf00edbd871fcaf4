"""The proposal form as a task list (GOV.UK's task list and check-answers patterns).

PROPOSAL_SECTIONS is the ONE place that says which section holds which field: a new field of
ProposalForm appears on a section page, in its status and on the check-answers page by adding
its name to a section here. A name is either a field of ProposalForm, or one of the groups
below, each drawn by its template `proposals/_part_<name>.html`:

- "years": the amount asked per year (YearAmountFormSet);
- "questions": the evaluation questions (EvaluationQuestionFormSet);
- "evidence": the stage's prerequisites, one text each (and their documents);
- "documents": the documents of the proposal and the upload;
- "journey": the learnings carried from the previous stage and, at stage 3, the
  justification of a stage 1 → 3 path (proposals/journey.py).

A section's status (pic/tasklist.py) comes from what is saved and from the submission rules
(rules.py).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pic.formatting import format_money
from pic.tasklist import (  # noqa: F401  (the statuses, for the tests and templates)
    COMPLETE,
    ERRORS,
    IN_PROGRESS,
    NOT_STARTED,
    Answer,
    Section,
    SectionState,
    progress,
    status_of,
    text_answer,
)

from . import rules
from .guide import CapacityTheme, EdiAxis
from .models import CAPACITY_AMOUNTS, CI_CONDITIONS

CHOICE_LABELS = {"edi_axes": EdiAxis.choices, "capacity_needs": CapacityTheme.choices}

PROPOSAL_SECTIONS: tuple[Section, ...] = (
    Section("resume", _("Résumé et changement visé"), ("title", "summary", "vision")),
    Section("conditions", _("Les cinq conditions de l'impact collectif"), tuple(CI_CONDITIONS)),
    Section("edi", _("Équité, diversité et inclusion (ÉDI)"), ("edi", "edi_axes"),
            optional=("edi_axes",)),
    Section("evaluation", _("Questions d'évaluation (apprentissage)"), ("questions",)),
    Section("budget", _("Durée et budget"),
            ("duration_years", "duration_justification", "years", "capacity_building_amount"),
            optional=("duration_justification", "capacity_building_amount")),
    Section("renforcement", _("Renforcement des compétences"),
            ("capacity_partners", "capacity_external_amount", "capacity_internal_amount",
             "capacity_other_amount", "capacity_needs", "capacity_needs_detail"),
            optional=("capacity_partners", "capacity_external_amount",
                      "capacity_internal_amount", "capacity_other_amount",
                      "capacity_needs_detail")),
    Section("prealables", _("Préalables de l'étape et preuves"), ("evidence",)),
    Section("parcours", _("Parcours de l'initiative"), ("journey",), optional=("journey",)),
    Section("documents", _("Documents"), ("documents",), optional=("documents",)),
)
GROUPS = ("years", "questions", "evidence", "documents", "journey")

def section_get(slug: str) -> Section | None:
    return next((s for s in PROPOSAL_SECTIONS if s.slug == slug), None)


def group_of(key: str) -> str:
    """The section field (or group) a rule's key or a form field belongs to."""
    if key.startswith("year_") or key.startswith("years-") or key == rules.YEARS:
        return "years"
    if key.startswith("evidence_"):
        return "evidence"
    if key == rules.QUESTIONS or key.startswith("questions-"):
        return "questions"
    if key in ("file", "prerequisite"):
        return "documents"
    if key in ("previous_learnings", rules.JUMP):
        return "journey"
    return key


def section_of(key: str) -> Section | None:
    name = group_of(key)
    return next((s for s in PROPOSAL_SECTIONS if name in s.fields), None)


def section_url(proposal, section: Section, anchor: str = "", *, check: bool = False) -> str:
    """A section's page; `check`: with the failed rules beside their fields."""
    url = reverse("proposals:proposal-edit-section", args=[proposal.pk, section.slug])
    url += "?verifier=1" if check else ""
    return f"{url}#{anchor}" if anchor else url


def rule_anchor(key: str) -> str:
    """The id of the field a rule's key is about, on its section page."""
    return {rules.YEARS: "id_years", rules.QUESTIONS: "id_evaluation"}.get(key, f"id_{key}")


def rule_error_links(proposal, rule_errors: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(url, message) for each failed rule: the field on its section page; the contact rule
    to the page that records it; a rule about no field (the window, the stage) has no url."""
    links = []
    for key, messages in rule_errors.items():
        section = section_of(key)
        if section is not None:
            url = section_url(proposal, section, rule_anchor(key), check=True)
        elif key == rules.CONTACT:
            url = reverse("proposals:contact-create", args=[proposal.neighbourhood.slug])
        else:
            url = ""
        links.extend((url, str(message)) for message in messages)
    return links


def _answers_for(name: str, form, proposal) -> list[Answer]:
    if name == "years":
        years = {y.year_number: y.amount for y in proposal.years.all()}
        count = max(proposal.duration_years, *years, 1)
        return [Answer(str(_("Montant demandé, année %(n)s") % {"n": n}),
                       format_money(years[n]) if years.get(n) is not None else "",
                       f"id_{rules.year_field(n)}", years.get(n) is not None, name)
                for n in range(1, count + 1)]
    if name == "questions":
        questions = list(proposal.evaluation_questions.all())
        if not questions:
            return [Answer(str(_("Questions d'évaluation")), "", "id_questions-0-question",
                           False, name)]
        return [Answer(str(_("Question d'évaluation %(n)s") % {"n": n}),
                       " — ".join(str(part) for part in (
                           q.question, q.get_aim_display() if q.aim else "",
                           q.data_to_collect, q.target) if part),
                       f"id_questions-{n - 1}-question", True, name)
                for n, q in enumerate(questions, start=1)]
    if name == "evidence":
        texts = {e.item_id: e.text for e in proposal.evidence.all()}
        documents: dict[int, list[str]] = {}
        for document in proposal.documents.all():
            documents.setdefault(document.prerequisite_id, []).append(document.original_name)
        answers = []
        for item in proposal.stage.prerequisites.all():
            text = (texts.get(item.pk) or "").strip()
            names = documents.get(item.pk, [])
            value = "\n".join([text, *(f"📎 {n}" for n in names)]).strip()
            answers.append(Answer(item.display_label, value,
                                  f"id_{rules.evidence_field(item.pk)}", bool(value), name))
        return answers
    if name == "documents":
        names = [d.original_name for d in proposal.documents.all()]
        return [Answer(str(_("Documents joints")), "\n".join(names), "id_file", bool(names),
                       name)]
    if name == "journey":
        names = ["previous_learnings", *([rules.JUMP] if proposal.stage.number == 3 else [])]
        return [a for n in names for a in _answers_for(n, form, proposal)]
    bound = form.fields.get(name)
    label = str(bound.label) if bound is not None else name
    value = form.initial.get(name, getattr(proposal, name, ""))
    if name == "duration_years":
        return [Answer(label, ngettext("%(n)s an", "%(n)s ans", value or 0) % {"n": value},
                       f"id_{name}", bool(value), name, counts=False)]
    if name in CHOICE_LABELS:
        labels = dict(CHOICE_LABELS[name])
        chosen = [str(labels[v]) for v in (getattr(proposal, name) or []) if v in labels]
        return [Answer(label, "\n".join(chosen), f"id_{name}_0", bool(chosen), name)]
    if name == "capacity_partners":
        names = [p.display_name for p in proposal.capacity_partners.all()]
        return [Answer(label, "\n".join(names), f"id_{name}_0", bool(names), name)]
    if name in ("capacity_building_amount", *CAPACITY_AMOUNTS):
        return [Answer(label, format_money(value) if value else "", f"id_{name}", bool(value),
                       name)]
    return [text_answer(name, label, value)]


def proposal_sections(proposal, form, rule_errors: dict[str, list[str]]) -> list[SectionState]:
    """Each section with its status, saved answers and failing rules. `form` is the unbound
    ProposalForm of the proposal (its labels and saved values); `rule_errors` from
    rules.submission_errors."""
    states = []
    for number, section in enumerate(PROPOSAL_SECTIONS, start=1):
        answers = [a for name in section.fields for a in _answers_for(name, form, proposal)]
        errors = [str(m) for key, messages in rule_errors.items()
                  if section_of(key) == section for m in messages]
        states.append(SectionState(section, status_of(section, answers, errors), answers,
                                   errors, section_url(proposal, section), number))
    return states


def next_section(slug: str) -> Section | None:
    slugs = [s.slug for s in PROPOSAL_SECTIONS]
    if slug not in slugs:
        return None
    index = slugs.index(slug) + 1
    return PROPOSAL_SECTIONS[index] if index < len(slugs) else None
