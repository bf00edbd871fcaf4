"""Writes on follow-up, by topic: allocations, check-ins, reports, reminders."""
