"""What a list page writes on every row, made cheaper without changing a character: the
filters' selects written in Python (pic.forms.QuickSelect) and get_FOO_display() reading each
field's labels once (pic.choices.ChoiceLabelsMixin)."""

import pytest
from django import forms
from django.db.models import Model
from django.utils import translation

from governance.models import DecisionLetter
from pic.choices import ChoiceLabelsMixin
from pic.forms import QuickSelect
from pic.lists import ListFilterForm
from pic.models import User
from proposals.models import Proposal
from reporting.models import Allocation, Report

CHOICES = [("", "Tous"), ("a", 'Dupont & <Fils> "SA"'), (3, 4000), ("b", "Brouillon")]
GROUPED = [("", "—"), ("Est", [("1", "Saint-Michel"), ("2", "Hochelaga")]), ("9", "Autre")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", "a", "3", "2", "absent"])
@pytest.mark.parametrize("attrs", [{}, {"id": "f-x", "required": True, "disabled": False,
                                        "data-x": 'a"b', "aria-describedby": "f-x-help"}])
def test_a_quick_select_writes_what_django_select_writes(choices, value, attrs):
    django_html = forms.Select(choices=choices).render("status", value, attrs=attrs)
    quick_html = QuickSelect(choices=choices).render("status", value, attrs=attrs)
    assert quick_html == django_html
    assert "&lt;Fils&gt;" in quick_html or choices is GROUPED


class Filters(ListFilterForm):
    status = forms.ChoiceField(choices=CHOICES, required=False)
    person = forms.ModelChoiceField(queryset=User.objects.order_by("pk"), required=False,
                                    empty_label="Tout le monde")
    ticked = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)


@pytest.mark.django_db
def test_every_select_of_a_list_filter_is_quick_and_reads_the_same(tq_saint_michel,
                                                                    advisor_est):
    bound = Filters({"status": "a", "person": str(advisor_est.pk)})
    assert type(bound.fields["status"].widget) is QuickSelect
    assert type(bound.fields["person"].widget) is QuickSelect
    assert type(bound.fields["ticked"].widget) is forms.SelectMultiple  # left as it is
    person = str(bound["person"])
    assert f'<option value="{advisor_est.pk}" selected>' in person
    assert person == forms.Select(choices=bound.fields["person"].choices).render(
        "person", advisor_est.pk, attrs={"id": "f-person"})
    assert 'id="f-status"' in str(bound["status"])


def _django_display(obj: Model, name: str) -> str:
    return Model._get_FIELD_display(obj, obj._meta.get_field(name))


@pytest.mark.parametrize(("model", "field"), [(Proposal, "status"), (Allocation, "status"),
                                              (Report, "status"), (DecisionLetter, "kind")])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_choice_labels_are_django_labels_in_the_active_language(model, field, language):
    assert issubclass(model, ChoiceLabelsMixin)  # the models of the list pages
    with translation.override(language):
        for value, _label in model._meta.get_field(field).choices:
            obj = model(**{field: value})
            shown = getattr(obj, f"get_{field}_display")()
            assert shown == _django_display(obj, field)
            assert type(shown) is str
    assert getattr(model(**{field: "unknown"}), f"get_{field}_display")() == "unknown"


def test_a_status_label_follows_the_language_each_time():
    proposal = Proposal(status=Proposal.Status.RATIFIED)
    with translation.override("fr"):
        assert proposal.get_status_display() == "Entérinée"
    with translation.override("en"):
        assert proposal.get_status_display() != "Entérinée"
