"""`{% load pic_sessions %}`: `{{ session.user_agent|device }}` reads 'Firefox, Linux'."""

from django import template

from pic.sessions import device_label

register = template.Library()


@register.filter
def device(user_agent: str) -> str:
    return device_label(user_agent or "")
