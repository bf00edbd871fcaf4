"""Writes on the program, the neighbourhoods' files and proposals (transitions: workflow.py)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.models import Neighbourhood
from pic.access import ensure, person
from pic.audit import audit
from pic.documents import private_name
from pic.drafts import ensure_current
from pic.formatting import format_date
from pic.models import User

from . import access, journey, rules
from .documents import validate_upload
from .guide import CapacityTheme, EdiAxis
from .models import (
    CAPACITY_AMOUNTS,
    CI_CONDITIONS,
    BudgetCategory,
    Contact,
    EvaluationQuestion,
    ExternalPartner,
    IndicatorDefinition,
    Initiative,
    LetterOfIntent,
    PlanPriority,
    PrerequisiteEvidence,
    Program,
    Proposal,
    ProposalDocument,
    ProposalYear,
    Stage,
    Window,
    WindowExtension,
)
from .states import RATIFIED_STATES
from .versions import AMENDABLE_TEXTS
from .workflow import EDITABLE_STATES

TEXT_FIELDS = ("title", "summary", "vision", "duration_justification", "edi", *CI_CONDITIONS,
               "previous_learnings", "stage_jump_justification", "capacity_needs_detail")


# --- The program (coordination staff) ------------------------------------------------------


@transaction.atomic
def program_config_save(*, instance: models.Model, actor: User,
                        m2m: dict | None = None) -> models.Model:
    """Create or change a program, stage, prerequisite, window or budget category
    (coordination staff)."""
    ensure(actor, "program.edit")
    if not isinstance(instance, Program | Stage | Window | BudgetCategory | ExternalPartner
                      | IndicatorDefinition) and \
            instance._meta.model_name != "prerequisiteitem":
        raise PermissionDenied
    created = instance.pk is None
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    audit(actor, f"{instance._meta.model_name}.{'created' if created else 'changed'}", instance)
    return instance


@transaction.atomic
def window_extension_grant(*, window: Window, neighbourhood: Neighbourhood,
                           new_deadline: datetime.date, reason: str,
                           actor: User) -> WindowExtension:
    """One neighbourhood, one window: a later deadline, with its reason (granting again moves
    it)."""
    ensure(actor, "window.extend", neighbourhood)
    if new_deadline <= window.deadline:
        raise ValidationError({"new_deadline": _(
            "La nouvelle date limite doit suivre celle de la période (%(d)s).")
            % {"d": format_date(window.deadline)}})
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de la prolongation.")})
    extension, _created = WindowExtension.objects.update_or_create(
        window=window, neighbourhood=neighbourhood,
        defaults={"new_deadline": new_deadline, "reason": reason.strip(),
                  "granted_by": actor, "granted_at": timezone.now()},
    )
    audit(actor, "window.extension_granted", window, neighbourhood=neighbourhood.pk,
          new_deadline=new_deadline.isoformat(), reason=reason.strip())
    return extension


# --- The neighbourhood's file ---------------------------------------------------------------


@transaction.atomic
def letter_of_intent_submit(*, neighbourhood: Neighbourhood, program: Program,
                            desired_change: str, target_stage: Stage, actor: User,
                            now: datetime.datetime | None = None) -> LetterOfIntent:
    ensure(actor, "letter_of_intent.submit", neighbourhood)
    deadline = program.letter_of_intent_deadline
    if deadline and not rules.window_is_open(deadline=deadline, now=now or timezone.now()):
        raise ValidationError(_("La date limite des lettres d'intention (%(d)s, 23 h 59, heure "
                                "de Montréal) est passée.") % {"d": format_date(deadline)})
    if target_stage.program_id != program.pk:
        raise ValidationError({"target_stage": _("Cette étape n'est pas celle du programme.")})
    if not desired_change.strip():
        raise ValidationError({"desired_change": _("Décrivez le changement souhaité.")})
    letter = LetterOfIntent.objects.create(
        neighbourhood=neighbourhood, program=program, desired_change=desired_change.strip(),
        target_stage=target_stage, submitted_at=now or timezone.now(),
        submitted_by=person(actor),
    )
    audit(actor, "letter_of_intent.submitted", letter, stage=target_stage.number)
    return letter


@transaction.atomic
def letter_of_intent_acknowledge(*, letter: LetterOfIntent, actor: User,
                                 now: datetime.datetime | None = None) -> LetterOfIntent:
    letter = LetterOfIntent.objects.select_for_update().get(pk=letter.pk)
    ensure(actor, "letter_of_intent.acknowledge", letter)
    if letter.acknowledged_at:
        return letter
    letter.acknowledged_at = now or timezone.now()
    letter.acknowledged_by = person(actor)
    letter.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit(actor, "letter_of_intent.acknowledged", letter)
    return letter


@transaction.atomic
def contact_record(*, neighbourhood: Neighbourhood, date: datetime.date, kind: str,
                   summary: str, actor: User, advisor: User | None = None,
                   initiative: Initiative | None = None) -> Contact:
    """The advisor (or the neighbourhood) records a contact in the file."""
    ensure(actor, "contact.record", neighbourhood)
    if initiative is not None and initiative.neighbourhood_id != neighbourhood.pk:
        raise ValidationError({"initiative": _("Cette initiative n'est pas celle du quartier.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("Un échange se consigne une fois qui a eu lieu.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Résumez l'échange.")})
    if advisor is None and access.is_advisor_of(actor, neighbourhood.pk):
        advisor = actor
    contact = Contact.objects.create(
        neighbourhood=neighbourhood, initiative=initiative, advisor=advisor, date=date,
        kind=kind, summary=summary.strip(), recorded_by=person(actor),
    )
    audit(actor, "contact.recorded", contact, kind=kind, date=date.isoformat())
    return contact


@transaction.atomic
def initiative_create(*, neighbourhood: Neighbourhood, program: Program, title: str,
                      desired_change: str, actor: User,
                      now: datetime.datetime | None = None,
                      priority: PlanPriority | None = None) -> Initiative:
    """`priority`: the « changement prioritaire », one of the neighbourhood's plan's."""
    ensure(actor, "initiative.create", neighbourhood)
    if priority is not None and priority.plan.neighbourhood_id != neighbourhood.pk:
        raise ValidationError({"priority": _("Cette priorité n'est pas celle du plan de quartier "
                                             "de ce quartier.")})
    initiative = Initiative.objects.create(
        neighbourhood=neighbourhood, program=program, title=title.strip(),
        desired_change=desired_change.strip(), created_at=now or timezone.now(),
        priority=priority,
    )
    audit(actor, "initiative.created", initiative, priority=getattr(priority, "pk", None))
    return initiative


# --- After ratification: an accepted amendment --------------------------------------------


@transaction.atomic
def proposal_amend(*, proposal: Proposal, changes: dict, actor: User) -> Proposal:
    """Write an accepted amendment's changes on the ratified proposal (reporting's amendment
    service calls this once coordination accepts): its texts, its yearly amounts and, for the
    yearly adjustment, the initiative's title and desired change."""
    proposal = (Proposal.objects.select_for_update(of=("self",)).select_related("initiative")
                .get(pk=proposal.pk))
    ensure(actor, "proposal.amend", proposal)
    if proposal.status not in RATIFIED_STATES:
        raise ValidationError(_("Seule une proposition entérinée se modifie de cette façon."))
    fields = [name for name in AMENDABLE_TEXTS if name in changes]
    for name in fields:
        setattr(proposal, name, changes[name])
    proposal.save(update_fields=[*fields, "updated_at"])
    for number, amount in (changes.get("years") or {}).items():
        ProposalYear.objects.update_or_create(proposal=proposal, year_number=int(number),
                                              defaults={"amount": Decimal(amount)})
    initiative = proposal.initiative
    adjusted = [name for key, name in (("initiative_title", "title"),
                                       ("desired_change", "desired_change")) if key in changes]
    if adjusted:
        initiative.title = changes.get("initiative_title", initiative.title)
        initiative.desired_change = changes.get("desired_change", initiative.desired_change)
        initiative.save(update_fields=adjusted)
    audit(actor, "proposal.amended", proposal, fields=sorted(changes))
    return proposal


@transaction.atomic
def proposal_create(*, initiative: Initiative | None, stage: Stage, title: str, actor: User,
                    now: datetime.datetime | None = None,
                    letter_of_intent: LetterOfIntent | None = None,
                    start_from: Proposal | None = None) -> Proposal:
    """A new draft for one stage of the initiative (rules are checked at submission).

    Started from an acknowledged letter of intent, the draft is linked to it (and, with no
    initiative given, the initiative is made from the letter's desired change). Started from a
    previous proposal (`start_from`), the draft carries its texts and the evidence of the
    prerequisites both stages share; for the next stage of the same initiative, also the
    learnings of the previous stage's reports; for another initiative it is a copy. Every
    carried field is marked (`Proposal.carried`) and stays editable."""
    if letter_of_intent is not None:
        _check_letter(letter_of_intent, initiative, stage)
        if initiative is None:
            initiative = initiative_create(
                neighbourhood=letter_of_intent.neighbourhood, program=letter_of_intent.program,
                title=title.strip() or _("Initiative"),
                desired_change=letter_of_intent.desired_change, actor=actor, now=now)
    if initiative is None:
        raise ValidationError({"initiative": _("Choisissez l'initiative (ou partez d'une lettre "
                                               "d'intention reçue).")})
    ensure(actor, "proposal.create", initiative)
    if stage.program_id != initiative.program_id:
        raise ValidationError({"stage": _("Cette étape n'est pas celle du programme de "
                                          "l'initiative.")})
    if start_from is not None and start_from.neighbourhood_id != initiative.neighbourhood_id:
        raise ValidationError({"start_from": _("Cette proposition n'est pas celle du quartier.")})
    proposal = Proposal.objects.create(
        neighbourhood_id=initiative.neighbourhood_id, initiative=initiative, stage=stage,
        title=title.strip() or initiative.title, duration_years=stage.normal_duration_years,
        created_by=person(actor), created_at=now or timezone.now(),
        letter_of_intent=letter_of_intent, previous_proposal=start_from,
    )
    marks = {}
    if letter_of_intent is not None:
        marks["desired_change"] = {"source": journey.letter_source(letter_of_intent),
                                   "value": letter_of_intent.desired_change}
    if start_from is not None:
        values, carried = journey.carry_from_proposal(start_from, stage)
        if journey.is_next_stage(start_from, proposal):
            more, more_marks = journey.carry_reports(start_from)
            values.update(more)
            carried.update(more_marks)
        marks.update(carried)
        _write_draft(proposal, values)
    if marks:
        proposal.carried = marks
        proposal.save(update_fields=["carried", "updated_at"])
    audit(actor, "proposal.created", proposal, stage=stage.number,
          letter_of_intent=getattr(letter_of_intent, "pk", None),
          start_from=getattr(start_from, "pk", None))
    return proposal


def _check_letter(letter: LetterOfIntent, initiative: Initiative | None, stage: Stage) -> None:
    if letter.acknowledged_at is None:
        raise ValidationError({"letter_of_intent": _(
            "Cette lettre d'intention n'a pas encore reçu d'accusé de réception.")})
    if initiative is not None and initiative.neighbourhood_id != letter.neighbourhood_id:
        raise ValidationError({"letter_of_intent": _(
            "Cette lettre d'intention n'est pas celle du quartier de l'initiative.")})
    if stage.program_id != letter.program_id:
        raise ValidationError({"stage": _("Cette étape n'est pas celle du programme de la "
                                          "lettre d'intention.")})


def _ensure_editable(proposal: Proposal, actor: User) -> None:
    ensure(actor, "proposal.edit", proposal)
    if proposal.status not in EDITABLE_STATES:
        raise ValidationError(_("La proposition est « %(status)s » : elle ne se modifie plus.")
                              % {"status": proposal.get_status_display()})


@transaction.atomic
def proposal_save_draft(*, proposal: Proposal, actor: User, data: dict,
                        version: str | None = None) -> Proposal:
    """Save what the neighbourhood typed, whatever its completeness: only the keys present in
    `data` change. Keys: the text fields, duration_years, capacity_building_amount,
    years {number: Decimal | None}, evidence {item_id: text},
    questions [{question, aim, data_to_collect, target}], the capacity-building split
    (CAPACITY_AMOUNTS), edi_axes and capacity_needs [values], capacity_partners [partners].
    With `version` (the one the page was drawn from, pic.drafts), a newer save made meanwhile
    is never overwritten (StaleDraft)."""
    proposal = (Proposal.objects.select_for_update(of=("self",)).select_related("stage")
                .get(pk=proposal.pk))
    _ensure_editable(proposal, actor)
    ensure_current(proposal, version)
    _write_draft(proposal, data)
    audit(actor, "proposal.draft_saved", proposal)
    return proposal


def _write_draft(proposal: Proposal, data: dict) -> None:
    """Write the keys present in `data` (proposal_save_draft's), the proposal row locked."""
    fields = [name for name in TEXT_FIELDS if name in data and data[name] is not None]
    for name in fields:
        setattr(proposal, name, data[name])
    if not proposal.title.strip():
        proposal.title = proposal.initiative.title
    for name in ("duration_years", "capacity_building_amount", *CAPACITY_AMOUNTS):
        if data.get(name) is not None:
            setattr(proposal, name, data[name])
            fields.append(name)
    for name, choices in (("edi_axes", EdiAxis.values), ("capacity_needs", CapacityTheme.values)):
        if data.get(name) is not None:
            setattr(proposal, name, [value for value in choices if value in data[name]])
            fields.append(name)
    proposal.save(update_fields=[*fields, "updated_at"])
    if data.get("capacity_partners") is not None:  # the program's partners only
        proposal.capacity_partners.set(ExternalPartner.objects.filter(
            program=proposal.stage.program_id, pk__in=[p.pk if hasattr(p, "pk") else p
                                                        for p in data["capacity_partners"]]))
    for number, amount in (data.get("years") or {}).items():
        if amount is None:
            ProposalYear.objects.filter(proposal=proposal, year_number=number).delete()
        else:
            ProposalYear.objects.update_or_create(proposal=proposal, year_number=number,
                                                  defaults={"amount": Decimal(amount)})
    items = set(proposal.stage.prerequisites.values_list("pk", flat=True))
    for item_id, text in (data.get("evidence") or {}).items():
        if item_id in items and text is not None:
            PrerequisiteEvidence.objects.update_or_create(
                proposal=proposal, item_id=item_id, defaults={"text": text})
    if data.get("questions") is not None:
        proposal.evaluation_questions.all().delete()
        EvaluationQuestion.objects.bulk_create(
            EvaluationQuestion(proposal=proposal, position=position, **question)
            for position, question in enumerate(
                (q for q in data["questions"] if q.get("question", "").strip()), start=1)
        )


@transaction.atomic
def document_upload(*, proposal: Proposal, upload: UploadedFile, actor: User,
                    prerequisite_id: int | None = None) -> ProposalDocument:
    proposal = (Proposal.objects.select_for_update(of=("self",)).select_related("stage")
                .get(pk=proposal.pk))
    _ensure_editable(proposal, actor)
    content_type = validate_upload(upload)
    if prerequisite_id and not proposal.stage.prerequisites.filter(pk=prerequisite_id).exists():
        raise ValidationError({"prerequisite": _("Ce préalable n'est pas celui de l'étape.")})
    original = private_name(upload)
    document = ProposalDocument.objects.create(
        proposal=proposal, prerequisite_id=prerequisite_id or None, file=upload,
        original_name=original, content_type=content_type, size=upload.size,
        uploaded_by=person(actor),
    )
    audit(actor, "proposal.document_uploaded", proposal, document=document.pk, name=original)
    return document


@transaction.atomic
def document_delete(*, document: ProposalDocument, actor: User) -> None:
    proposal = Proposal.objects.select_for_update().get(pk=document.proposal_id)
    _ensure_editable(proposal, actor)
    name, storage, path = document.original_name, document.file.storage, document.file.name
    document.delete()
    audit(actor, "proposal.document_deleted", proposal, name=name)
    # The frozen versions name the file; its bytes go once the deletion is committed.
    transaction.on_commit(lambda: storage.delete(path))


from .initiative_access import (  # noqa: E402, F401 (re-exported: services.initiative_access_*)
    initiative_access_grant,
    initiative_access_revoke,
)
