"""The filters every list of a neighbourhood's things shares: the neighbourhood (a searchable
text field, never a 1,000-option select) and its advisor (for Centraide people).

The neighbourhood field takes what a person types: a slug (a bookmarked link) or part of a
name, accent-insensitive (« cote-des » finds Côte-des-Neiges), so it works without JavaScript;
with it, a datalist suggests names as one types (`neighbourhoods:neighbourhood-suggestions`).
"""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse_lazy
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from pic.access import roles_of
from pic.lists import ListFilterForm
from pic.models import User

from .models import AdvisorAssignment, Neighbourhood, StaffRole

SUGGESTIONS = 20


def neighbourhood_matches(text: str, path: str = "") -> Q:
    """`path` (a neighbourhood) is the one of that slug, or its name holds `text` (case and
    accents ignored, through the slug)."""
    prefix = f"{path}__" if path else ""
    text = text.strip()
    q = Q(**{f"{prefix}slug": text}) | Q(**{f"{prefix}name__icontains": text})
    slug = slugify(text)
    if slug:
        q |= Q(**{f"{prefix}slug__contains": slug})
    return q


def neighbourhood_suggestions(*, user: User, text: str) -> QuerySet[Neighbourhood]:
    """At most SUGGESTIONS names of the neighbourhoods `user` may see matching `text`."""
    found = Neighbourhood.objects.visible_to(user).order_by("name").only("name", "slug")
    if text.strip():
        found = found.filter(neighbourhood_matches(text))
    return found[:SUGGESTIONS]


class NeighbourhoodInput(forms.TextInput):
    """A text input with a datalist of suggestions, filled by htmx as one types."""

    def __init__(self, attrs=None):
        base = {
            "list": "neighbourhood-suggestions", "autocomplete": "off",
            "hx-get": reverse_lazy("neighbourhoods:neighbourhood-suggestions"),
            "hx-trigger": "input changed delay:300ms", "hx-target": "#neighbourhood-suggestions",
            "hx-swap": "innerHTML",
        }
        super().__init__({**base, **(attrs or {})})


def advisors() -> QuerySet[User]:
    """The current advisors by name: an id subquery (no DISTINCT over whole rows), and only
    what their choice shows."""
    current = StaffRole.objects.filter(role=StaffRole.Role.ADVISOR, ended_at__isnull=True)
    return (User.objects.filter(pk__in=current.values("user_id"))
            .only("pk", "full_name", "email").order_by("full_name", "pk"))


class AdvisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.email


class NeighbourhoodFilterForm(ListFilterForm):
    """A list's filter form with the neighbourhood (and, for Centraide people, the advisor).
    `neighbourhood_path` leads from the listed model to its neighbourhood ("" for the
    neighbourhoods themselves)."""

    neighbourhood_path = "neighbourhood"

    neighbourhood = forms.CharField(
        label=_("Quartier"), required=False, max_length=120, widget=NeighbourhoodInput(),
        help_text=_("Tapez une partie du nom."))
    advisor = AdvisorChoiceField(label=_("Conseiller·ère"), required=False,
                                 queryset=User.objects.none(),
                                 empty_label=_("Tous et toutes"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        roles = roles_of(user)
        if roles.coordination or roles.advisor:
            self.fields["advisor"].queryset = advisors()
        else:
            del self.fields["advisor"]

    def filter_neighbourhood(self, queryset: QuerySet, value: str) -> QuerySet:
        return queryset.filter(neighbourhood_matches(value, self.neighbourhood_path))

    def filter_advisor(self, queryset: QuerySet, value: User) -> QuerySet:
        assigned = AdvisorAssignment.objects.active().filter(
            advisor=value, neighbourhood=OuterRef(self.neighbourhood_path or "pk"))
        return queryset.filter(Exists(assigned))


class NeighbourhoodListFilterForm(NeighbourhoodFilterForm):
    """The neighbourhood list's own filters: its name and its advisor."""

    neighbourhood_path = ""
