"""Form helpers every app shares."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT

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


__all__ = ["ADD_ROW", "NON_FIELD_ERRORS", "RowFormSet", "apply_validation_error",
           "error_summary"]
