"""The report form as a task list (pic/tasklist.py): REPORT_SECTIONS is the ONE place that
says which section holds which field. A name is a field of ReportTextForm or one of the groups
below, each drawn by its template `reporting/_part_<name>.html`:

- "question_progress": for each evaluation question, data, progress, learning, reinvestment;
- "indicators": the values reached;
- "lines": the financial statement;
- "documents": the documents and the upload (which posts the whole form: nothing typed lost).

The report is one page: each section is an anchor on it (`#section-<slug>`), listed at the
top with its status. Sections whose fields the report does not have (the strategic learnings
of an annual report) are left out.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pic.formatting import format_money
from pic.tasklist import Answer, Section, SectionState, progress, status_of, text_answer
from proposals.guide import EdiAxis
from proposals.models import CI_CONDITIONS

from .services.reports import category_labels

REPORT_SECTIONS: tuple[Section, ...] = (
    Section("activites", _("Activités réalisées"), ("activities",)),
    Section("evaluation", _("Évaluation et apprentissages"),
            ("evaluation_progress", "learnings", "reinvestment", "question_progress",
             "indicators"),
            optional=("evaluation_progress", "reinvestment", "question_progress",
                      "indicators")),
    Section("edi", _("Équité, diversité et inclusion (ÉDI)"), ("edi", "edi_axes"),
            optional=("edi_axes",)),
    Section("conditions", _("Les cinq conditions de l'impact collectif"), CI_CONDITIONS,
            optional=CI_CONDITIONS),
    Section("perennisation", _("Pérennisation"), ("sustainability",)),
    Section("renforcement", _("Renforcement des compétences"), ("capacity_building",),
            optional=("capacity_building",)),
    Section("apprentissages-strategiques", _("Apprentissages stratégiques de l'étape"),
            ("strategic_learnings",)),
    Section("etat-financier", _("État financier (budget et réel)"), ("lines",)),
    Section("documents", _("Documents"), ("documents",), optional=("documents",)),
)
GROUPS = ("question_progress", "indicators", "lines", "documents")


def report_sections_for(text_form) -> list[Section]:
    """The sections of this report: those with at least one field it has."""
    return [s for s in REPORT_SECTIONS
            if any(name in GROUPS or name in text_form.fields for name in s.fields)]


def _answers_for(name, report, forms) -> list[Answer]:
    if name == "lines":
        lines = list(report.lines.all())
        labels = category_labels(report)
        return [Answer(labels.get(line.category, line.category),
                       f"{format_money(line.budget)} / {format_money(line.actual)}",
                       "id_lines-0-budget", True, name) for line in lines] or [
            Answer(str(_("État financier")), "", "id_lines-0-budget", False, name)]
    if name == "question_progress":
        answers = []
        for question, fields in forms["progress_form"].questions:
            value = " — ".join(str(f.value()) for f in fields if f.value())
            answers.append(Answer(question.question, value, fields[0].auto_id, bool(value),
                                  name))
        return answers
    if name == "indicators":
        return [Answer(str(field.label), "" if field.value() in (None, "") else
                       str(field.value()), field.auto_id, field.value() not in (None, ""), name)
                for _indicator, field in forms["indicator_form"].indicators]
    if name == "documents":
        names = [d.original_name for d in report.documents.all()]
        return [Answer(str(_("Documents joints")), "\n".join(names), "id_file", bool(names),
                       name)]
    field = forms["text_form"].fields[name]
    if name == "edi_axes":
        labels = dict(EdiAxis.choices)
        chosen = [str(labels[v]) for v in report.edi_axes or [] if v in labels]
        return [Answer(str(field.label), "\n".join(chosen), "id_edi_axes_0", bool(chosen),
                       name)]
    return [text_answer(name, field.label, getattr(report, name, ""))]


def report_sections(report, forms, rule_errors: dict[str, list[str]]) -> list[SectionState]:
    """Each section of the report with its status, saved answers and failing rules; `forms`:
    the edit page's unbound forms (text_form, progress_form, indicator_form)."""
    url = reverse("reporting:report-edit", args=[report.pk])
    states = []
    for number, section in enumerate(report_sections_for(forms["text_form"]), start=1):
        names = [n for n in section.fields if n in GROUPS or n in forms["text_form"].fields]
        answers = [a for name in names for a in _answers_for(name, report, forms)]
        errors = [str(m) for key, messages in rule_errors.items() if key in names
                  for m in messages]
        states.append(SectionState(section, status_of(section, answers, errors), answers,
                                   errors, f"{url}#section-{section.slug}", number))
    return states


__all__ = ["GROUPS", "REPORT_SECTIONS", "progress", "report_sections", "report_sections_for"]
