"""PDF rendering (WeasyPrint) and emailing of decision letters and meeting minutes."""

import base64

import filetype
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from neighbourhoods.models import AdvisorAssignment, Membership
from pic.pdf import html_to_pdf, static_file_url
from proposals.models import Proposal

from .decided import decided_amounts
from .models import (
    AgendaItem,
    Analysis,
    DecisionLetter,
    Letterhead,
    LetterSignatory,
    Meeting,
    Ratification,
)

MAX_SIGNATURE_BYTES = 512 * 1024


def _coordinator_name(neighbourhood) -> str:
    """The table's coordinator by name (the longest-standing active one), or ""."""
    membership = (Membership.objects.active()
                  .filter(neighbourhood=neighbourhood, role=Membership.Role.COORDINATOR,
                          user__is_active=True)
                  .select_related("user").order_by("started_at", "pk").first())
    return membership.user.get_full_name().strip() if membership else ""


def image_data_uri(file) -> str:
    """A stored PNG or JPEG inline (its type read from its content), small, for the PDF
    renderer that fetches nothing else; "" when there is none or it is not one."""
    if not file:
        return ""
    try:
        with file.open("rb") as handle:
            data = handle.read(MAX_SIGNATURE_BYTES + 1)
    except FileNotFoundError:
        return ""
    if len(data) > MAX_SIGNATURE_BYTES:
        return ""
    kind = filetype.guess(data[:8192])
    content_type = {"png": "image/png", "jpg": "image/jpeg"}.get(kind.extension if kind else "")
    if content_type is None:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


def _signature_data_uri(signatory: LetterSignatory | None) -> str:
    return image_data_uri(signatory.signature) if signatory is not None else ""


def _letterhead() -> dict:
    """The letterhead coordination set in the app, the settings for what it left empty."""
    stored = Letterhead.objects.order_by("pk").first()
    address = (stored.address.splitlines() if stored and stored.address.strip()
               else settings.PIC_LETTERHEAD_ADDRESS.split("|"))
    return {
        "name": (stored.name if stored and stored.name else settings.PIC_LETTERHEAD_NAME),
        "address_lines": [line.strip() for line in address if line.strip()],
        "logo": static_file_url(settings.PIC_LETTERHEAD_LOGO),
        "logo_data": image_data_uri(stored.logo) if stored else "",
    }


def _signatory(program) -> dict:
    signatory = LetterSignatory.objects.filter(program=program).first()
    if signatory is not None:
        return {"name": signatory.name, "title": signatory.title,
                "image": _signature_data_uri(signatory)}
    return {"name": settings.PIC_LETTER_SIGNATORY_NAME,
            "title": settings.PIC_LETTER_SIGNATORY_TITLE, "image": ""}


def _advisor_name(neighbourhood) -> str:
    assignment = (AdvisorAssignment.objects.active()
                  .filter(neighbourhood=neighbourhood, advisor__is_active=True)
                  .select_related("advisor").order_by("pk").first())
    return assignment.advisor.get_full_name().strip() if assignment else ""


# What an amendment letter says of the amendment (reporting's, registered by its AppConfig:
# governance imports nothing of reporting): `source(proposal, number)` returns {"number",
# "reason", "years": [(n, ratified, amended)], "total_before", "total_after"} for the accepted
# amendment `number` (0: the latest accepted), or None.
_AMENDMENT_SOURCES: list = []


def register_amendment_source(source) -> None:
    _AMENDMENT_SOURCES[:] = [source]


def amendment_facts(proposal: Proposal, number: int) -> dict | None:
    return _AMENDMENT_SOURCES[0](proposal, number) if _AMENDMENT_SOURCES else None


def _schedule(proposal: Proposal) -> tuple[list[dict], list]:
    """The allocation's years with their instalments and annual report, and its reports
    (annual and final) by due date; empty before the allocation exists."""
    try:
        allocation = proposal.allocation  # reporting's, by its reverse accessor (no import)
    except ObjectDoesNotExist:
        return [], []
    rows = []
    for year in allocation.years.prefetch_related("instalments", "report"):
        report = getattr(year, "report", None)
        rows.append({"year": year, "instalments": list(year.instalments.all()),
                     "report": report})
    reports = sorted(allocation.reports.all(), key=lambda r: (r.due_on, r.pk))
    return rows, reports


def _letter_context(proposal: Proposal, kind: str, amendment_number: int = 0) -> dict:
    analysis = Analysis.objects.filter(proposal=proposal).first()
    decision = (AgendaItem.objects.filter(proposal=proposal, status=AgendaItem.Status.CLOSED,
                                          kind=AgendaItem.Kind.ALLOCATION)
                .select_related("meeting__committee").order_by("-closed_at").first())
    amounts, capacity = decided_amounts(proposal)  # what the allocation takes too
    years = list(enumerate(amounts, start=1))
    schedule, reports = _schedule(proposal)
    return {
        "proposal": proposal,
        "coordinator_name": _coordinator_name(proposal.neighbourhood),
        "letterhead": _letterhead(),
        "signatory": _signatory(proposal.stage.program),
        "schedule": schedule,
        "reports": reports,
        "final_reports": [r for r in reports if r.allocation_year_id is None],
        "neighbourhood": proposal.neighbourhood,
        "initiative": proposal.initiative,
        "stage": proposal.stage,
        "years": years,
        "total": sum((amount for _n, amount in years), 0),
        "capacity_building_amount": capacity,
        "conditions": analysis.conditions if analysis else "",
        "decision": decision,
        "ratification": Ratification.objects.filter(proposal=proposal)
        .select_related("committee", "act").first(),
        "kind": kind,
        "title": dict(DecisionLetter.Kind.choices).get(kind, ""),
        "advisor_name": _advisor_name(proposal.neighbourhood),
        "amendment": (amendment_facts(proposal, amendment_number)
                      if kind == DecisionLetter.Kind.AMENDMENT else None),
        "today": timezone.localdate(),
    }


def letter_render(proposal: Proposal, kind: str, conditions: str | None = None, *,
                  amendment_number: int = 0, text: tuple[str, str] | None = None,
                  language: str | None = None) -> tuple[bytes, str]:
    """The letter as PDF bytes, in the neighbourhood's language (French by default), with
    the conditions coordination corrected (else the analysis's), from the program's text for
    the kind and language (`text` and `language`: a text being edited, for a preview)."""
    language = language or proposal.neighbourhood.language or "fr"
    with translation.override(language):
        html = letter_html(proposal, kind, conditions, amendment_number=amendment_number,
                           text=text)
    return html_to_pdf(html), language


def letter_html(proposal: Proposal, kind: str, conditions: str | None = None, *,
                amendment_number: int = 0, text: tuple[str, str] | None = None) -> str:
    """The letter's HTML in the active language (what `letter_render` prints)."""
    from . import letter_templates

    context = _letter_context(proposal, kind, amendment_number)
    if conditions is not None:
        context["conditions"] = conditions
    subject, body = text or letter_templates.template_text(
        proposal.stage.program, kind, translation.get_language()[:2])
    values = letter_templates.placeholder_values(context)
    context["subject"] = letter_templates.render_subject(subject, values)
    context["body"] = letter_templates.render_body(
        body, values, letter_templates.block_html(context))
    return render_to_string("governance/pdf/letter.html", context)


def letter_recipients(proposal: Proposal) -> tuple[list[str], list[str]]:
    members = list(Membership.objects.active().filter(
        neighbourhood_id=proposal.neighbourhood_id, user__is_active=True)
        .values_list("user__email", flat=True))
    advisors = list(AdvisorAssignment.objects.active().filter(
        neighbourhood_id=proposal.neighbourhood_id, advisor__is_active=True)
        .values_list("advisor__email", flat=True))
    return sorted(set(members)), sorted(set(advisors) - set(members))


def letter_email(letter: DecisionLetter) -> None:
    proposal = letter.proposal
    to, cc = letter_recipients(proposal)
    if not to and not cc:
        return
    with translation.override(letter.language):
        context = {"proposal": proposal, "letter": letter}
        subject = (_("Décision du PIC : %(title)s") % {"title": proposal.title})
        body = render_to_string("governance/email/letter.txt", context)
    message = EmailMessage(subject=subject, body=body, to=to or cc, cc=cc if to else [])
    with letter.file.open("rb") as handle:
        name = (f"lettre-modification-{proposal.pk}-{letter.amendment_number}"
                if letter.amendment_number else f"lettre-decision-{proposal.pk}")
        message.attach(f"{name}-v{letter.version}.pdf", handle.read(), "application/pdf")
    message.send()


def minutes_render(meeting: Meeting) -> bytes:
    items = list(
        meeting.items.select_related("proposal__neighbourhood", "proposal__stage")
        .prefetch_related("recusals__member__user", "recusals__member__organisation")
        .order_by("position", "pk")
    )
    attendances = meeting.attendances.select_related("member__user", "member__organisation")
    with translation.override("fr"):
        html = render_to_string("governance/pdf/minutes.html", {
            "meeting": meeting, "items": items, "attendances": attendances,
            "today": timezone.localdate(),
        })
    return html_to_pdf(html)
