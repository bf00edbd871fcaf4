"""Kept as a name for pages of the coordination team: prefer pic.access.ActionRequiredMixin
with the page's own action."""

from pic.access import ActionRequiredMixin


class CoordinationRequiredMixin(ActionRequiredMixin):
    action = "coordination.page"
