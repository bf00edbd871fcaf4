"""Form helpers every app shares."""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The name of the « Ajouter une ligne » submit button; its value is the formset's prefix.
ADD_ROW = "add_row"


def apply_validation_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RowFormSet(forms.BaseFormSet):
    """Repeated rows as a formset that needs no JavaScript: the submit button ADD_ROW (value:
    the formset's prefix) comes back with one more empty row and every typed value kept;
    rows() are the rows typed, without those ticked for deletion or left blank."""

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        self.adding_row = data is not None and data.get(ADD_ROW) == prefix
        if self.adding_row:
            data = data.copy()
            key = f"{prefix}-{TOTAL_FORM_COUNT}"
            try:
                total = int(data.get(key, 0))
            except (TypeError, ValueError):
                total = 0
            data[key] = str(min(total + 1, self.max_num))
        super().__init__(data, *args, prefix=prefix, **kwargs)

    @classmethod
    def from_post(cls, data, *, prefix: str, **kwargs) -> "RowFormSet":
        """Bound when `data` holds this formset's management form; otherwise unbound: its rows
        were not posted, and stay as they are."""
        posted = data is not None and f"{prefix}-{TOTAL_FORM_COUNT}" in data
        return cls(data if posted else None, prefix=prefix, **kwargs)

    def is_valid_or_unposted(self) -> bool:
        return not self.is_bound or self.is_valid()

    def rows(self) -> list[dict]:
        return [{name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
                for form in self.forms
                if form.cleaned_data and not self._should_delete_form(form)]


def error_summary(*forms_and_formsets) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for each error of these forms and formsets, in page order, for
    the summary at the top of a page (templates/_error_summary.html); the anchor is the
    field's id, and both anchor and label are "" for an error about the whole form."""
    items = []
    for thing in forms_and_formsets:
        if isinstance(thing, forms.BaseFormSet):
            items.extend(("", "", str(message)) for message in thing.non_form_errors())
            for form in thing.forms:
                items.extend(error_summary(form))
            continue
        for name, errors in thing.errors.items():
            if name == NON_FIELD_ERRORS:
                items.extend(("", "", str(message)) for message in errors)
                continue
            field = thing[name]
            items.extend((field.id_for_label, str(field.label), str(message))
                         for message in errors)
    return items


# --- Dates that follow the page's language --------------------------------------------------
# A browser's own date picker (type="date") shows the browser's format, not the page's: a
# French page would say « 2025-06-01 » or « 06/01/2025 ». These fields are text fields that
# show and read the page's format (« jj/mm/aaaa » in French, ISO « yyyy-mm-dd » in English),
# and read the other one too (the two cannot be confused: slashes or dashes).
DATE_FORMATS = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _date_format() -> str:
    return DATE_FORMATS["en" if (get_language() or "fr").startswith("en") else "fr"]


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None, format=None):  # noqa: A002 (Django's own argument name)
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off",
                                **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime(_date_format())
        return value  # what was typed stays as typed

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].setdefault("placeholder", str(_("jj/mm/aaaa")))
        return context


class DateField(forms.DateField):
    widget = DateInput
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": _("Écrivez la date sous la forme jj/mm/aaaa.")}


# --- A select written in Python ---------------------------------------------------------------
def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return format_html_join("", "{}", (
        (format_html(" {}", name) if value is True
         else format_html(' {}="{}"', name, str(value)),)
        for name, value in attrs.items() if value is not False))


def _options(options: list[dict]) -> str:
    return format_html_join("", '\n  <option value="{}"{}>{}</option>\n', (
        (str(option["value"]), _attrs(option["attrs"]), localize(option["label"]))
        for option in options))


class QuickSelect(forms.Select):
    """forms.Select, its HTML written in Python, character for character what Django's
    templates write (select.html, select_option.html, attrs.html): those include one template
    per option, and a list's filters have a select of every advisor and every window."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = format_html_join("", "{}", (
            (format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name,
                         _options(options)) if group_name else _options(options),)
            for group_name, options, _index in widget["optgroups"]))
        return format_html('<select name="{}"{}>{}\n</select>', widget["name"],
                           _attrs(widget["attrs"]), groups)


__all__ = ["ADD_ROW", "NON_FIELD_ERRORS", "DateField", "DateInput", "QuickSelect", "RowFormSet",
           "apply_validation_error", "error_summary"]
