"""Date arithmetic for the follow-up calendar (month ends and leap years included)."""

import datetime

from dateutil.relativedelta import relativedelta


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus whole months, clamped to the last day of a shorter month:
    2024-08-31 + 6 months = 2025-02-28; 2024-02-29 + 12 months = 2025-02-28."""
    return day + relativedelta(months=months)


def first_of_next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + relativedelta(months=1))


def year_bounds(start: datetime.date, year_number: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of year `year_number` (1-based) of a period starting on `start`.
    Each year is computed from the original start, so a clamped month end never drifts."""
    first = add_months(start, 12 * (year_number - 1))
    last = add_months(start, 12 * year_number) - datetime.timedelta(days=1)
    return first, last
