"""Program data stored in French with an optional English twin (``<field>_en``).

``localized(obj, "name")`` returns ``obj.name_en`` when the active language is English and
that value is filled in, else the French ``obj.name``. Kept free of other apps' imports.
"""

from django.utils.translation import get_language


def localized(obj, field: str) -> str:
    french = getattr(obj, field)
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return french


def localized_value(french: str, english: str | None) -> str:
    """The same choice for values read without their object (aggregate rows)."""
    if english and (get_language() or "").startswith("en"):
        return english
    return french
