"""PDF rendering (WeasyPrint) and emailing of decision letters and meeting minutes."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from neighbourhoods.models import AdvisorAssignment, Membership
from pic.pdf import html_to_pdf
from proposals.models import Proposal

from .models import AgendaItem, Analysis, DecisionLetter, Meeting, Ratification


def _letter_context(proposal: Proposal, kind: str) -> dict:
    analysis = (Analysis.objects.filter(proposal=proposal).prefetch_related("years").first())
    decision = (AgendaItem.objects.filter(proposal=proposal, status=AgendaItem.Status.CLOSED)
                .select_related("meeting__committee").order_by("-closed_at").first())
    if analysis is not None and analysis.years.all():
        years = [(y.year_number, y.amount) for y in analysis.years.all()]
        capacity = analysis.capacity_building_amount
    else:
        years = [(y.year_number, y.amount) for y in proposal.years.all()]
        capacity = proposal.capacity_building_amount
    return {
        "proposal": proposal,
        "neighbourhood": proposal.neighbourhood,
        "initiative": proposal.initiative,
        "stage": proposal.stage,
        "years": years,
        "total": sum((amount for _n, amount in years), 0),
        "capacity_building_amount": capacity,
        "conditions": analysis.conditions if analysis else "",
        "decision": decision,
        "ratification": Ratification.objects.filter(proposal=proposal)
        .select_related("committee").first(),
        "kind": kind,
        "today": timezone.localdate(),
    }


def letter_render(proposal: Proposal, kind: str) -> tuple[bytes, str]:
    """The letter as PDF bytes, in the neighbourhood's language (French by default)."""
    language = proposal.neighbourhood.language or "fr"
    template = ("governance/pdf/letter_allocation.html" if kind == DecisionLetter.Kind.ALLOCATION
                else "governance/pdf/letter_refusal.html")
    with translation.override(language):
        html = render_to_string(template, _letter_context(proposal, kind))
    return html_to_pdf(html), language


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
        message.attach(f"lettre-decision-{proposal.pk}-v{letter.version}.pdf", handle.read(),
                       "application/pdf")
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
