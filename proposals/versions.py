"""Numbered, frozen versions of a proposal and their side-by-side comparison."""

import datetime

from django.db.models import Max
from django.utils.translation import gettext as _

from pic.access import person
from pic.models import User

from .models import CI_CONDITIONS, Proposal, ProposalVersion


def proposal_snapshot(proposal: Proposal) -> dict:
    """What the proposal says, as plain JSON (labels resolved, so old versions stay readable
    when the program's checklist changes)."""
    evidence = {e.item_id: e.text for e in proposal.evidence.all()}
    documents = list(proposal.documents.select_related("prerequisite"))
    return {
        "title": proposal.title,
        "initiative_title": proposal.initiative.title,
        "desired_change": proposal.initiative.desired_change,
        "stage": str(proposal.stage),
        "window": str(proposal.window) if proposal.window_id else "",
        "summary": proposal.summary,
        "vision": proposal.vision,
        "duration_years": proposal.duration_years,
        "duration_justification": proposal.duration_justification,
        "years": {str(y.year_number): str(y.amount) for y in proposal.years.all()},
        "capacity_building_amount": str(proposal.capacity_building_amount),
        "edi": proposal.edi,
        **{name: getattr(proposal, name) for name in CI_CONDITIONS},
        "previous_learnings": proposal.previous_learnings,
        "stage_jump_justification": proposal.stage_jump_justification,
        "prerequisites": [
            {"label": item.label, "text": evidence.get(item.pk, ""),
             "documents": [d.original_name for d in documents if d.prerequisite_id == item.pk]}
            for item in proposal.stage.prerequisites.all()
        ],
        "evaluation_questions": [
            {"question": q.question, "data_to_collect": q.data_to_collect, "target": q.target}
            for q in proposal.evaluation_questions.all()
        ],
        "documents": [d.original_name for d in documents],
    }


def version_freeze(*, proposal: Proposal, actor: User,
                   now: datetime.datetime) -> ProposalVersion:
    """Called inside the (re)submission transaction, the proposal row locked."""
    return version_record(proposal=proposal, snapshot=proposal_snapshot(proposal), actor=actor,
                          now=now)


def version_record(*, proposal: Proposal, snapshot: dict, actor: User, now: datetime.datetime,
                   label: str = "") -> ProposalVersion:
    """The next numbered version of the proposal, holding `snapshot` (an amendment after
    ratification records the amended proposal this way, with its `label`)."""
    last = proposal.versions.aggregate(top=Max("number"))["top"] or 0
    return ProposalVersion.objects.create(
        proposal=proposal, number=last + 1, snapshot=snapshot, label=label[:120],
        created_at=now, created_by=person(actor),
    )


# What an amendment may change, over the version in force (the texts, the yearly amounts, the
# coming year's action plan, and, once a year, the initiative's title and desired change).
AMENDABLE_TEXTS = ("summary", "vision", "edi", *CI_CONDITIONS)


def amended_snapshot(base: dict, changes: dict) -> dict:
    """The version in force with an amendment's changes over it."""
    snapshot = {**base}
    for key, value in changes.items():
        if key == "years":
            snapshot["years"] = {**base.get("years", {}), **{str(k): str(v)
                                                            for k, v in value.items()}}
        else:
            snapshot[key] = value
    return snapshot


def _labels() -> list[tuple[str, str]]:
    field = Proposal._meta.get_field
    return [
        ("title", str(field("title").verbose_name)),
        ("stage", _("étape")),
        ("window", _("période de dépôt")),
        ("summary", str(field("summary").verbose_name)),
        ("vision", str(field("vision").verbose_name)),
        ("duration_years", str(field("duration_years").verbose_name)),
        ("duration_justification", str(field("duration_justification").verbose_name)),
        ("capacity_building_amount", str(field("capacity_building_amount").verbose_name)),
        ("edi", str(field("edi").verbose_name)),
        *[(name, str(field(name).verbose_name)) for name in CI_CONDITIONS],
        ("previous_learnings", str(field("previous_learnings").verbose_name)),
        ("stage_jump_justification", str(field("stage_jump_justification").verbose_name)),
    ]


def _amendment_labels() -> list[tuple[str, str]]:
    """Rows shown only when a version holds them (an amendment's)."""
    return [("initiative_title", _("titre de l'initiative")),
            ("desired_change", _("changement souhaité de l'initiative")),
            ("action_plan", _("plan d'action de l'année à venir")),
            ("amendment_reason", _("ce qui change, à la suite de l'échange avec l'équipe"))]


def versions_compare(older: dict, newer: dict) -> list[dict]:
    """Rows of (label, older value, newer value, changed) for a side-by-side page."""
    rows = [{"label": label, "old": str(older.get(key, "")), "new": str(newer.get(key, ""))}
            for key, label in _labels()]
    rows += [{"label": label, "old": str(older.get(key, "")), "new": str(newer.get(key, ""))}
             for key, label in _amendment_labels() if key in older or key in newer]
    years = sorted({*older.get("years", {}), *newer.get("years", {})}, key=int)
    for year in years:
        rows.append({"label": _("Montant demandé, année %(n)s") % {"n": year},
                     "old": older.get("years", {}).get(year, ""),
                     "new": newer.get("years", {}).get(year, "")})
    old_pre = {p["label"]: p for p in older.get("prerequisites", [])}
    new_pre = {p["label"]: p for p in newer.get("prerequisites", [])}
    for label in dict.fromkeys([*old_pre, *new_pre]):
        def show(p):
            if not p:
                return ""
            docs = ", ".join(p.get("documents", []))
            return p.get("text", "") + (f" [{docs}]" if docs else "")
        rows.append({"label": _("Préalable : %(label)s") % {"label": label},
                     "old": show(old_pre.get(label)), "new": show(new_pre.get(label))})

    def questions(snapshot):
        return "\n".join(f"{q['question']} — {q['data_to_collect']} — {q['target']}"
                         for q in snapshot.get("evaluation_questions", []))
    rows.append({"label": _("Questions d'évaluation"), "old": questions(older),
                 "new": questions(newer)})
    rows.append({"label": _("Documents"), "old": ", ".join(older.get("documents", [])),
                 "new": ", ".join(newer.get("documents", []))})
    for row in rows:
        row["changed"] = row["old"] != row["new"]
    return rows
