"""get_FOO_display() without its cost on a list page."""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_labels: dict = {}


class ChoiceLabelsMixin:
    """A model's get_FOO_display(), as Django's, without rebuilding every choice of the field
    on each call (Django rebuilds a dict of the field's flatchoices: some 500 function calls
    for a proposal's status, on each row of a list). The labels of a field with fixed choices
    are read once; each call still translates in the active language. Put it before
    models.Model among the model's bases."""

    def _get_FIELD_display(self, field):  # noqa: N802 (Django's name)
        labels = _labels.get(field)
        if labels is None:
            labels = dict(make_hashable(field.flatchoices))
            if isinstance(field.choices, list | tuple):  # not a callable's: read once
                _labels[field] = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)
