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
        from .services.allocations import (
            allocation_create_for_ratification,
            allocation_warnings,
        )

        # A ratified decision makes its allocation in the same transaction.
        register_ratification_listener(allocation_create_for_ratification)
        # Before ratifying: an allocation past the program's end, or without an envelope.
        register_ratification_check(allocation_warnings)

        from proposals.journey import register_stage_report_source

        from .journey import stage_reports_for

        # The next stage's path rule and carry-forward read the previous stage's reports.
        register_stage_report_source(stage_reports_for)

        from .portfolio import connect_signals

        connect_signals()  # the portfolio's cached money is forgotten when money changes

        from pic.privacy import registry

        from . import privacy

        registry.register_collector("reporting", privacy.collect)
        registry.register_anonymiser("reporting", privacy.anonymise)
