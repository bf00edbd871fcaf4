from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Suivi")

    def ready(self) -> None:
        from governance.services import (
            register_ratification_check,
            register_ratification_listener,
        )

        from . import access  # noqa: F401 - registers the rules (pic.access)
        from .services.allocations import allocation_create_for_ratification
        from .services.decided import allocation_warnings_of

        # A ratified decision makes its allocation in the same transaction.
        register_ratification_listener(allocation_create_for_ratification)
        # Before ratifying: an allocation past the program's end, or without an envelope.
        register_ratification_check(allocation_warnings_of)

        from governance.letters import register_amendment_source

        from .services.amendment_letters import amendment_letter_facts

        # An accepted amendment's letter says what changed and the amended amounts.
        register_amendment_source(amendment_letter_facts)

        from .services import amendment_agenda

        # An amendment beyond the allocation goes on the comité de gestion's agenda.
        amendment_agenda.register()

        from proposals.journey import register_stage_report_source

        from .journey import stage_reports_for

        # The next stage's path rule and carry-forward read the previous stage's reports.
        register_stage_report_source(stage_reports_for)

        from .portfolio import connect_signals

        connect_signals()  # the portfolio's cached money is forgotten when money changes
        from pic import figures

        from .models import Allocation, AllocationYear, Indicator, IndicatorValue, Report
        figures.forget_on_change(Report, Allocation, AllocationYear, Indicator, IndicatorValue)

        from pic.privacy import registry

        from . import privacy

        registry.register_collector("reporting", privacy.collect)
        registry.register_anonymiser("reporting", privacy.anonymise)

        # The pages notes and notifications link to; threads of notes on follow-up files.
        from django.urls import reverse

        from pic.notes import registry as notes
        from pic.notifications.links import register_url

        from .access import allocation_neighbourhood_id
        from .models import Allocation, CheckIn, Report

        register_url(Allocation, lambda a: reverse("reporting:allocation-detail", args=[a.pk]))
        register_url(Report, lambda r: reverse("reporting:report-detail", args=[r.pk]))
        register_url(CheckIn, lambda c: reverse("reporting:checkin-record", args=[c.pk]))
        notes.register_file(Allocation, neighbourhood_of=allocation_neighbourhood_id)
        notes.register_file(Report, neighbourhood_of=allocation_neighbourhood_id,
                            select_related=("allocation",))
        notes.register_file(CheckIn, neighbourhood_of=allocation_neighbourhood_id,
                            select_related=("allocation_year__allocation",))

        # What the proposal and neighbourhood timelines show of the follow-up (pic.timeline).
        from neighbourhoods.models import Neighbourhood
        from pic import timeline
        from proposals.models import Proposal

        timeline.register_verbs(timeline.SHARED, [
            "allocation.created", "allocation.stage_closed", "disbursement.recorded",
            "checkin.recorded", "checkin.corrected", "report.submit", "report.request_changes",
            "report.resubmit", "report.accept", "report.document_uploaded"])
        timeline.register_related(Proposal, lambda p: [
            Allocation.objects.filter(proposal=p), Report.objects.filter(allocation__proposal=p),
            CheckIn.objects.filter(allocation_year__allocation__proposal=p)])
        timeline.register_related(Neighbourhood, lambda n: [
            Allocation.objects.filter(neighbourhood=n),
            Report.objects.filter(allocation__neighbourhood=n),
            CheckIn.objects.filter(allocation_year__allocation__neighbourhood=n)])
