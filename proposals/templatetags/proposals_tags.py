from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ errors|get_item:field.name }}`: a dict lookup with a variable key."""
    if mapping is None or mapping == "":
        return None
    if hasattr(mapping, "fields"):  # a form: its bound field
        return mapping[key] if key in mapping.fields else None
    return mapping.get(key)


@register.filter
def status_badge(status: str) -> str:
    return {
        "draft": "badge-info", "submitted": "badge-info", "in_analysis": "badge-warn",
        "changes_requested": "badge-warn", "resubmitted": "badge-info",
        "recommended": "badge-ok", "not_recommended": "badge-err", "ratified": "badge-ok",
        "letter_sent": "badge-ok", "withdrawn": "badge-err",
    }.get(status, "badge-info")


@register.inclusion_tag("proposals/_guide_panel.html")
def guide_panel(slug: str) -> dict:
    """« Repères du guide » beside a section the program's guide speaks about."""
    from ..guide import guide_points

    intro, points = guide_points(slug)
    return {"slug": slug, "intro": intro, "points": points}
