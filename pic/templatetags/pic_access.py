"""`{% can "proposal.submit" proposal as may_submit %}`: a button shows exactly when its action
is allowed to the person viewing the page (pic.access)."""

from django import template

from pic.access import can as access_can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return access_can(user, action, obj)
