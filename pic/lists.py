"""One list page for every collection: filters in the URL (GET, so a view can be bookmarked
and shared), sorting by a whitelist of columns, pagination, the number of results and
« Exporter cette vue » (a CSV of exactly the filtered rows, in the same order).

A list view names its selector (`get_base_queryset`, scoped with `visible_to`), its filter form
(`filter_form_class`, a `ListFilterForm`), its columns (`columns`: label, the ORM order of a
sortable one, the value of an exported one) and its default order. Everything else is here:

    class ReportListView(FilteredListView):
        template_name = "reporting/report_list.html"
        filter_form_class = ReportFilterForm
        columns = (Column("due", _("Échéance"), "due_on", lambda r: r.due_on), ...)
        default_sort = "due"
        export_filename = "rapports"

        def get_base_queryset(self):
            return selectors.report_list(user=self.request.user)

The template includes `_list_controls.html` (filters, count, export link) and
`_list_head.html` (the sortable column headers), then its own rows and `_pagination.html`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.views.generic import ListView

from pic.forms import QuickSelect
from pic.spreadsheets import streaming_csv_response

SORT_PARAM = "sort"
EXPORT_PARAM = "export"
PAGE_PARAM = "page"
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class Column:
    """One column of a list: `key` in the URL (`?sort=key` or `?sort=-key`), its heading, the
    ORM order that sorts by it (None: not sortable) and its value in the export (None: not
    exported)."""

    key: str
    label: str | Promise
    order: str | tuple[str, ...] | None = None
    value: Callable[[Any], Any] | None = None
    extra: dict = field(default_factory=dict)

    @property
    def order_fields(self) -> tuple[str, ...]:
        if self.order is None:
            return ()
        return (self.order,) if isinstance(self.order, str) else tuple(self.order)


def _descending(expression: str) -> str:
    return expression[1:] if expression.startswith("-") else f"-{expression}"


class ListFilterForm(forms.Form):
    """The filters of a list, read from the query string. A field named in `lookups` filters
    with that ORM lookup (`{"status": "status", "stage": "stage__number"}`); any other field
    with a method `filter_<name>(queryset, value)`. Empty fields filter nothing; a field whose
    value is invalid is shown with its error and filters nothing."""

    lookups: dict[str, str] = {}

    def __init__(self, data=None, *, user=None, **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        super().__init__(data, **kwargs)
        self.user = user
        for formfield in self.fields.values():  # the same HTML, without a template per option
            if type(formfield.widget) is forms.Select:
                formfield.widget.__class__ = QuickSelect

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.is_bound:
            return queryset
        self.is_valid()
        for name, value in self.cleaned_data.items():
            if value in (None, "", [], False):
                continue
            method = getattr(self, f"filter_{name}", None)
            if method is not None:
                queryset = method(queryset, value)
            elif name in self.lookups:
                queryset = queryset.filter(**{self.lookups[name]: value})
        return queryset

    @property
    def active(self) -> bool:
        """Whether any filter is set (the page says so and offers to clear them)."""
        return self.is_bound and any(
            value not in (None, "", [], False) for value in self.cleaned_data.values())


class FilteredListView(LoginRequiredMixin, ListView):
    """A list page built from `filter_form_class`, `columns` and `get_base_queryset()`."""

    filter_form_class: type[ListFilterForm] = ListFilterForm
    columns: tuple[Column, ...] = ()
    default_sort = ""  # a column key, "-key" for descending
    tie_breaker = "-pk"  # so that pages never overlap
    paginate_by = 25
    export_filename = "export"
    context_object_name = "rows"

    # --- What a subclass gives ---------------------------------------------------------------

    def get_base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_columns(self) -> tuple[Column, ...]:
        return self.columns

    def unfiltered_total(self) -> int | None:
        """How many rows the list holds with no filter set, when that is known without
        counting them (a figure kept between views: pic.figures); None, the paginator counts."""
        return None

    # --- Filters, order ----------------------------------------------------------------------

    def get_filter_form(self) -> ListFilterForm:
        if not hasattr(self, "_filter_form"):
            data = self.request.GET
            bound = any(key in data for key in self.filter_form_class.base_fields)
            self._filter_form = self.filter_form_class(data if bound else None,
                                                       user=self.request.user)
        return self._filter_form

    def current_sort(self) -> str:
        wanted = self.request.GET.get(SORT_PARAM, "")
        sortable = {c.key for c in self.get_columns() if c.order is not None}
        return wanted if wanted.lstrip("-") in sortable else self.default_sort

    def order_fields(self) -> list[str]:
        sort = self.current_sort()
        column = next((c for c in self.get_columns() if c.key == sort.lstrip("-")), None)
        if column is None:
            return [self.tie_breaker]
        fields = list(column.order_fields)
        if sort.startswith("-"):
            fields = [_descending(f) for f in fields]
        return [*fields, self.tie_breaker]

    def get_queryset(self) -> QuerySet:
        queryset = self.get_filter_form().apply(self.get_base_queryset())
        return queryset.order_by(*self.order_fields())

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if not self.get_filter_form().active:
            total = self.unfiltered_total()
            if total is not None:  # the same rows, counted already: no COUNT(*) of them all
                paginator.count = total
        return paginator

    # --- Export ------------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        if request.GET.get(EXPORT_PARAM) == "csv":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        columns = [c for c in self.get_columns() if c.value is not None]
        rows = ([column.value(obj) for column in columns]
                for obj in self.get_queryset().iterator(chunk_size=EXPORT_CHUNK))
        filename = f"{self.export_filename}-{timezone.localdate().isoformat()}.csv"
        return streaming_csv_response(filename, [str(c.label) for c in columns], rows)

    # --- The page ----------------------------------------------------------------------------

    def _query(self, **changes) -> str:
        params = self.request.GET.copy()
        for key in (PAGE_PARAM, EXPORT_PARAM, *changes):
            params.pop(key, None)
        for key, value in changes.items():
            if value:
                params[key] = value
        return "?" + params.urlencode() if params else "?"

    def headings(self) -> list[dict]:
        sort = self.current_sort()
        headings = []
        for column in self.get_columns():
            heading = {"label": column.label, "key": column.key, "sortable": False,
                       "direction": None, "url": None, **column.extra}
            if column.order is not None:
                current = sort.lstrip("-") == column.key
                descending = current and sort.startswith("-")
                heading.update(
                    sortable=True,
                    direction=("descending" if descending else "ascending") if current else None,
                    url=self._query(**{SORT_PARAM: column.key if descending or not current
                                       else f"-{column.key}"}))
            headings.append(heading)
        return headings

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter_form=self.get_filter_form(),
            headings=self.headings(),
            result_count=context["paginator"].count if context.get("paginator")
            else len(context["object_list"]),
            export_url=self._query(**{EXPORT_PARAM: "csv"}),
            clear_url=self.request.path,
            sort=self.current_sort(),
        )
        return context


def year_field(label) -> forms.IntegerField:
    """A filter by calendar year (typed, so it needs no list of years)."""
    return forms.IntegerField(label=label, required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"size": 6}))


def local_day(moment):
    """The day (ISO 8601 in the CSV) of an aware datetime, in Montreal time; None stays None."""
    return timezone.localdate(moment) if moment else None
