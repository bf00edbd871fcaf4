"""Follow-up after a decision: allocations and their years, disbursements, the program's
envelopes, mid-year check-ins, annual and final reports (with their financial statements and
indicators), the amendments after ratification, and the reminders sent.

State changes go through the services in reporting/allocations.py, checkins.py, reports.py and
reminders.py; nothing here holds a business rule. One module per topic; every model is
re-exported here so that `from reporting.models import X` keeps working.
"""

from .allocations import (
    MONEY,
    Allocation,
    AllocationBudgetLine,
    AllocationOwnedQuerySet,
    AllocationYear,
    Disbursement,
    FunderContribution,
    Instalment,
    ProgramEnvelope,
    ReportingConfig,
    YearOwnedQuerySet,
)
from .amendments import Amendment
from .calendar import CalendarFeed
from .indicators import Indicator, IndicatorQuerySet, IndicatorValue, QuestionProgress
from .jobs import BackgroundJob, ExportJob, ImportJob
from .reminders import ReminderPreference, ReminderSent
from .reports import CheckIn, FinancialLine, Report, ReportDocument, ReportOwnedQuerySet

__all__ = [
    "MONEY",
    "CalendarFeed",
    "ReportingConfig",
    "ProgramEnvelope",
    "Allocation",
    "AllocationOwnedQuerySet",
    "AllocationYear",
    "YearOwnedQuerySet",
    "Disbursement",
    "Amendment",
    "FunderContribution",
    "AllocationBudgetLine",
    "Instalment",
    "CheckIn",
    "Report",
    "ReportOwnedQuerySet",
    "FinancialLine",
    "ReportDocument",
    "IndicatorQuerySet",
    "QuestionProgress",
    "Indicator",
    "IndicatorValue",
    "ReminderSent",
    "ReminderPreference",
    "BackgroundJob",
    "ExportJob",
    "ImportJob",
]
