"""What a ratified proposal's reports say, for the next stage of its initiative (registered
with proposals.journey: the path rule on the final report, and the learnings carried into the
next stage's proposal)."""

from django.utils.translation import gettext as _

from proposals.journey import StageReports
from proposals.models import Proposal

from .models import Allocation, Report
from .services.reports import HANDED_IN_STATES


def stage_reports_for(proposal: Proposal) -> StageReports | None:
    allocation = Allocation.objects.filter(proposal=proposal).first()
    if allocation is None:
        return None
    reports = list(allocation.reports.exclude(status=Report.Status.DRAFT)
                   .select_related("allocation_year").order_by("kind", "due_on", "pk"))
    final = next((r for r in reports if r.kind == Report.Kind.FINAL), None)
    parts = []
    for report in reports:
        if report.kind == Report.Kind.ANNUAL and report.learnings.strip():
            parts.append(_("Rapport annuel, année %(n)s : %(text)s") % {
                "n": report.allocation_year.year_number, "text": report.learnings.strip()})
    if final is not None:
        for text in (final.strategic_learnings, final.learnings, final.reinvestment):
            if text.strip():
                parts.append(_("Rapport final : %(text)s") % {"text": text.strip()})
    number = proposal.stage.number
    source = (_("du rapport final de l'étape %(n)s") if final is not None
              else _("des rapports de l'étape %(n)s")) % {"n": number}
    return StageReports(
        final_submitted=final is not None and final.status in HANDED_IN_STATES,
        final_accepted=final is not None and final.status == Report.Status.ACCEPTED,
        learnings="\n\n".join(parts), source=source)
