"""Decision letters (allocation, refusal, amendment accepted) and meeting minutes."""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.selectors import people_of
from pic import outbox
from pic.access import SYSTEM, ensure, person
from pic.audit import audit
from pic.documents import minutes_pdf_digest
from pic.models import User
from pic.notifications import notify
from proposals import workflow
from proposals.models import Proposal

from ..models import (
    DecisionLetter,
    Meeting,
    MeetingMinutes,
)
from ..selectors import (
    PUBLISHED,
)


@transaction.atomic
def refusal_letter_request(*, proposal: Proposal, actor: User) -> None:
    ensure(actor, "letter.issue", proposal)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.NOT_RECOMMENDED:
        raise ValidationError(_("Une lettre de refus suit une proposition non recommandée."))
    from ..tasks import send_decision_letter

    audit(actor, "letter.refusal_requested", proposal)
    outbox.schedule(send_decision_letter, proposal.pk, DecisionLetter.Kind.REFUSAL,
                    key=f"decision-letter:{proposal.pk}:refusal")



def amendment_letter_request(*, proposal: Proposal, number: int, actor: User) -> None:
    """An amendment was accepted (reporting): its letter is made « à envoyer », once, after
    the acceptance commits."""
    from ..tasks import send_decision_letter

    ensure(actor, "letter.issue", proposal)
    outbox.schedule(send_decision_letter, proposal.pk, DecisionLetter.Kind.AMENDMENT, number,
                    key=f"decision-letter:{proposal.pk}:amendment:{number}")


def _letter_allowed(proposal: Proposal, kind: str, amendment_number: int = 0) -> bool:
    if kind == DecisionLetter.Kind.ALLOCATION:
        return proposal.status in PUBLISHED
    if kind == DecisionLetter.Kind.AMENDMENT:
        from ..letters import amendment_facts

        return (proposal.status in PUBLISHED and amendment_number > 0
                and amendment_facts(proposal, amendment_number) is not None)
    return proposal.status == Proposal.Status.NOT_RECOMMENDED


def letter_issue(*, proposal: Proposal, kind: str, actor: User,
                 regenerate: bool = False, conditions: str | None = None,
                 amendment_number: int = 0) -> DecisionLetter | None:
    """Render and store the decision letter, once, « à envoyer »: coordination reads it and
    sends it (`letter_send`). Under the proposal's row lock, a duplicated or retried call
    finds the letter and does nothing; only `regenerate=True` (coordination staff) makes a
    new version, kept beside the old one, with `conditions` corrected (or the latest
    version's correction kept). An amendment letter is one per accepted amendment
    (`amendment_number`)."""
    from ..letters import letter_render

    ensure(actor, "letter.regenerate" if regenerate else "letter.issue", proposal)
    written = []  # files stored by this call, removed if its transaction fails
    try:
        with transaction.atomic():
            proposal = (Proposal.objects.select_for_update(of=("self",))
                        .select_related("neighbourhood", "stage__program", "initiative",
                                        "window").get(pk=proposal.pk))
            latest = (DecisionLetter.objects.filter(proposal=proposal, kind=kind,
                                                    amendment_number=amendment_number)
                      .order_by("-version").first())
            if latest is None or regenerate:
                if not _letter_allowed(proposal, kind, amendment_number):
                    if regenerate:
                        raise ValidationError(
                            _("Aucune décision publiée à confirmer par lettre."))
                    return None
                if conditions is None:
                    conditions = latest.conditions if latest else ""
                conditions = conditions.strip()
                pdf, language = letter_render(proposal, kind, conditions=conditions or None,
                                              amendment_number=amendment_number)
                digest = hashlib.sha256(pdf).hexdigest()
                version = (latest.version + 1) if latest else 1
                letter = DecisionLetter(proposal=proposal, kind=kind, version=version,
                                        amendment_number=amendment_number,
                                        language=language, sha256=digest, conditions=conditions,
                                        created_by=person(actor))
                suffix = f"-{amendment_number}" if amendment_number else ""
                letter.file.save(f"{proposal.pk}-{kind}{suffix}-v{version}.pdf",
                                 ContentFile(pdf), save=False)
                written.append(letter.file)
                letter.save()
                audit(actor, "letter.generated", proposal, kind=kind, version=version,
                      sha256=digest, **({"amendment": amendment_number}
                                        if amendment_number else {}))
            else:
                letter = latest
    except BaseException:
        # The row is rolled back (a lost lock, a worker killed…): so is its file, and a retry
        # starts again from a clean slate.
        for file in written:
            file.storage.delete(file.name)
        raise
    return letter


@transaction.atomic
def letter_email_send(*, letter: DecisionLetter) -> DecisionLetter:
    """Email a stored letter to the neighbourhood, once (the letter's row lock and its
    `emailed_at`); an allocation letter then moves its ratified proposal to « Lettre
    envoyée »."""
    from ..letters import letter_email

    letter = (DecisionLetter.objects.select_for_update(of=("self",))
              .select_related("proposal").get(pk=letter.pk))
    if letter.emailed_at is not None or letter.sent_at is None:
        return letter  # sent already, or not sent by coordination yet
    letter_email(letter)
    letter.emailed_at = timezone.now()
    letter.save(update_fields=["emailed_at"])
    proposal = letter.proposal
    audit(SYSTEM, "letter.emailed", proposal, kind=letter.kind, version=letter.version)
    # The letter's own email reached them: the inbox only.
    notify("letter.sent", people_of(proposal.neighbourhood_id, members=True, advisors=True),
           proposal, actor=SYSTEM, event=f"{letter.kind}-v{letter.version}", email=False)
    if (letter.kind == DecisionLetter.Kind.ALLOCATION
            and proposal.status == Proposal.Status.RATIFIED):
        workflow.proposal_mark_letter_sent(proposal=proposal, actor=SYSTEM, letter=letter.pk)
    return letter


def _latest_version(letter: DecisionLetter) -> bool:
    return DecisionLetter.objects.latest_versions().filter(pk=letter.pk).exists()


@transaction.atomic
def letter_conditions_correct(*, letter: DecisionLetter, conditions: str,
                              actor: User) -> DecisionLetter:
    """Coordination corrects the conditions of a letter « à envoyer »: a new version is
    rendered with them (the old one stays), still to send."""
    ensure(actor, "letter.send", letter.proposal)
    letter = DecisionLetter.objects.select_for_update(of=("self",)).get(pk=letter.pk)
    if letter.sent_at is not None:
        raise ValidationError(_("Cette lettre est déjà envoyée : produisez une nouvelle "
                                "version pour la corriger."))
    if not _latest_version(letter):
        raise ValidationError(_("Une version plus récente de cette lettre existe."))
    new = letter_issue(proposal=letter.proposal, kind=letter.kind, actor=actor,
                       regenerate=True, conditions=conditions or "",
                       amendment_number=letter.amendment_number)
    audit(actor, "letter.conditions_corrected", letter.proposal, kind=letter.kind,
          version=new.version)
    return new


@transaction.atomic
def letter_send(*, letter: DecisionLetter, actor: User) -> DecisionLetter:
    """Coordination sends a letter it has read: the outbox emails it to the table after
    this transaction commits (once, `letter_email_send`), and the table sees it in the app.
    Sending twice does nothing more; an older version than the latest is refused."""
    from ..tasks import email_decision_letter

    ensure(actor, "letter.send", letter.proposal)
    letter = DecisionLetter.objects.select_for_update(of=("self",)).get(pk=letter.pk)
    if letter.sent_at is not None:
        return letter
    if not _latest_version(letter):
        raise ValidationError(_("Une version plus récente de cette lettre existe : envoyez "
                                "celle-là."))
    letter.sent_at = timezone.now()
    letter.sent_by = person(actor)
    letter.save(update_fields=["sent_at", "sent_by"])
    audit(actor, "letter.sent", letter.proposal, kind=letter.kind, version=letter.version)
    outbox.schedule(email_decision_letter, letter.pk, key=f"letter-email:{letter.pk}")
    return letter


@transaction.atomic
def letters_send(*, letters, actor: User) -> list[DecisionLetter]:
    """Several letters at once (after one confirmation): all are sent, or none."""
    return [letter_send(letter=letter, actor=actor)
            for letter in sorted(letters, key=lambda x: x.pk)]


@transaction.atomic
def letter_acknowledge(*, letter: DecisionLetter, actor: User) -> DecisionLetter:
    """A member of the table accepts the conditions of the allocation letter it received
    (« J'accepte les conditions »): name, role and time are recorded, once. The allocation's
    first payment waits for it (reporting's `payment_blockers`)."""
    from neighbourhoods.models import Membership

    ensure(actor, "letter.acknowledge", letter.proposal)
    letter = DecisionLetter.objects.select_for_update(of=("self",)).get(pk=letter.pk)
    if letter.acknowledged_at is not None:
        return letter
    if not letter.awaits_acknowledgement:
        if letter.kind != DecisionLetter.Kind.ALLOCATION or letter.sent_at is None:
            raise ValidationError(_("Seule une lettre d'allocation reçue s'accepte."))
        raise ValidationError(_("Une version plus récente de cette lettre existe."))
    membership = (Membership.objects.active()
                  .filter(user=actor, neighbourhood_id=letter.proposal.neighbourhood_id).first())
    letter.acknowledged_at = timezone.now()
    letter.acknowledged_by = person(actor)
    letter.acknowledged_name = (actor.get_full_name() or actor.email)[:200]
    letter.acknowledged_role = str(membership.get_role_display() if membership else "")[:120]
    letter.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledged_name",
                               "acknowledged_role"])
    audit(actor, "letter.acknowledged", letter.proposal, version=letter.version)
    return letter


@transaction.atomic
def minutes_generate(*, meeting: Meeting, actor: User) -> MeetingMinutes:
    from ..letters import minutes_render

    ensure(actor, "meeting.manage", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    pdf = minutes_render(meeting)
    digest = hashlib.sha256(pdf).hexdigest()
    version = (meeting.minutes.aggregate(m=Max("version"))["m"] or 0) + 1
    minutes = MeetingMinutes(meeting=meeting, version=version, sha256=digest,
                             created_by=person(actor))
    minutes.file.save(f"{meeting.pk}-minutes-v{version}.pdf", ContentFile(pdf), save=False)
    try:
        minutes.save()
        audit(actor, "meeting.minutes_generated", meeting, version=version, sha256=digest)
    except BaseException:
        minutes.file.storage.delete(minutes.file.name)  # no file without its row
        raise
    return minutes


@transaction.atomic
def minutes_upload(*, meeting: Meeting, upload, actor: User) -> MeetingMinutes:
    """The minutes as the committee adopted them (a PDF the chair or coordination uploads,
    e.g. the comité de gouvernance's, whose meetings decide no allocation): a new version."""
    ensure(actor, "minutes.upload", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    try:
        digest = minutes_pdf_digest(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    version = (meeting.minutes.aggregate(m=Max("version"))["m"] or 0) + 1
    minutes = MeetingMinutes(meeting=meeting, version=version, sha256=digest,
                             created_by=person(actor))
    minutes.file.save(f"{meeting.pk}-minutes-v{version}.pdf", upload, save=False)
    minutes.save()
    audit(actor, "meeting.minutes_uploaded", meeting, version=version, sha256=digest)
    return minutes


def minutes_request(*, meeting: Meeting, actor: User) -> None:
    """Staff only: the minutes are rendered by a task (with its time limits), through the
    outbox; a double click asks for the same next version once."""
    ensure(actor, "meeting.manage", meeting)
    from ..tasks import generate_minutes

    latest = meeting.minutes.aggregate(m=Max("version"))["m"] or 0
    outbox.schedule(generate_minutes, meeting.pk, actor.pk,
                    key=f"minutes:{meeting.pk}:after-v{latest}")
