"""The search box of the header: neighbourhoods, organisations, initiatives, proposals, reports
and people the user may see (each kind from its `visible_to` or its selector), by the words of
their names, titles, summaries and texts, accent- and case-insensitive; results grouped by
kind, the matched words highlighted (pic/textsearch.py), one query a kind.

- PostgreSQL: full-text search (django.contrib.postgres.search) with the French and English
  configurations `pic_fr` and `pic_en`, copies of `french` and `english` that run `unaccent`
  first (migration reporting 0003), each word a prefix (« mobili » finds « mobilisation »);
  the GIN indexes of that migration are on these very expressions (`vector`), best first.
- SQLite (the embedded default): every word must start a word of one of the fields, folded on
  both sides by `pic_fold` (pic/textsearch.py), in name order.

It lives in reporting, the top layer, because it reads every app's models.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods import selectors as neighbourhood_selectors
from neighbourhoods.models import Neighbourhood, Organisation
from pic.access import roles_of
from pic.models import User
from pic.textsearch import Fold, fold, highlight, words_of
from proposals.models import Initiative, Proposal

from .models import Report

PER_KIND = 10
CONFIGS = ("pic_fr", "pic_en")


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    fields: tuple[str, ...]  # searched, and shown as the excerpt (the first that matches)
    title: Callable[[Any], str]
    url: Callable[[Any], str | None]
    context: Callable[[Any], str]
    queryset: Callable[[User], QuerySet]
    model: type


def _organisations(user: User) -> QuerySet[Organisation]:
    roles = roles_of(user)
    if roles.coordination or roles.advisor:
        return Organisation.objects.all()
    return Organisation.objects.filter(neighbourhood__in=Neighbourhood.objects.visible_to(user))


def _people(user: User) -> QuerySet[User]:
    return neighbourhood_selectors.people_list(user=user)


KINDS = (
    Kind("neighbourhoods", _("Quartiers"), ("name", "table_name", "borough"),
         lambda n: n.name, lambda n: reverse("neighbourhoods:neighbourhood-detail",
                                             args=[n.slug]),
         lambda n: n.table_name, lambda user: Neighbourhood.objects.visible_to(user),
         Neighbourhood),
    Kind("organisations", _("Organisations"), ("name", "short_name"),
         lambda o: o.name, lambda o: None, lambda o: o.get_category_display(),
         _organisations, Organisation),
    Kind("initiatives", _("Initiatives"), ("title", "desired_change"),
         lambda i: i.title, lambda i: reverse("proposals:initiative-detail", args=[i.pk]),
         lambda i: i.neighbourhood.name,
         lambda user: Initiative.objects.visible_to(user).select_related("neighbourhood"),
         Initiative),
    Kind("proposals", _("Propositions"), ("title", "summary", "vision"),
         lambda p: p.title, lambda p: reverse("proposals:proposal-detail", args=[p.pk]),
         lambda p: f"{p.neighbourhood.name} · {p.get_status_display()}",
         lambda user: Proposal.objects.visible_to(user).select_related("neighbourhood"),
         Proposal),
    Kind("reports", _("Rapports"), ("activities", "learnings", "strategic_learnings"),
         str, lambda r: reverse("reporting:report-detail", args=[r.pk]),
         lambda r: f"{r.allocation.neighbourhood.name} · {r.get_status_display()}",
         lambda user: Report.objects.visible_to(user).select_related(
             "allocation__neighbourhood", "allocation__proposal", "allocation_year"), Report),
    Kind("people", _("Personnes"), ("full_name",),
         str, lambda u: None, lambda u: "", _people, User),
)


def vector(fields: tuple[str, ...]) -> SearchVector:
    """The document of a kind on PostgreSQL: its fields in both configurations (the GIN
    indexes of migration reporting 0003 are built from this very expression)."""
    french, english = (SearchVector(*fields, config=config) for config in CONFIGS)
    return french + english


def index_statements(connection_) -> list[str]:
    """The CREATE INDEX of each kind's document (migration reporting 0003, PostgreSQL)."""
    from django.db.models.sql import Query

    statements = []
    for kind in KINDS:
        query = Query(kind.model, alias_cols=False)
        compiler = query.get_compiler(connection=connection_)
        sql, params = vector(kind.fields).resolve_expression(query).as_sql(compiler,
                                                                           connection_)
        table = kind.model._meta.db_table
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {table}_search_idx ON {table} USING gin "
            f"(({connection_.ops.compose_sql(sql, params)}))")
    return statements


def _tsquery(words: list[str]) -> SearchQuery:
    # Only letters and digits reach here (words_of): safe as a raw tsquery.
    raw = " & ".join(f"{word}:*" for word in words)
    french, english = (SearchQuery(raw, search_type="raw", config=c) for c in CONFIGS)
    return french | english


def _filter(kind: Kind, queryset: QuerySet, words: list[str]) -> QuerySet:
    if connection.vendor == "postgresql":
        query = _tsquery(words)
        document = vector(kind.fields)
        return (queryset.annotate(search_document=document)
                .filter(search_document=query)
                .annotate(search_rank=SearchRank(document, query))
                .order_by("-search_rank", "pk"))
    folded = {f"folded_{name}": Fold(name) for name in kind.fields}
    condition = Q()
    for word in words:
        any_field = Q()
        for alias in folded:
            any_field |= Q(**{f"{alias}__startswith": word})
            any_field |= Q(**{f"{alias}__contains": f" {word}"})
            any_field |= Q(**{f"{alias}__contains": f"-{word}"})
            any_field |= Q(**{f"{alias}__contains": f"'{word}"})
        condition &= any_field
    return queryset.annotate(**folded).filter(condition).order_by(*kind.fields[:1], "pk")


@dataclass(frozen=True)
class Hit:
    title: Any  # highlighted, escaped
    url: str | None
    context: str
    excerpt: Any  # highlighted, escaped; "" when the match is in the title


def _hit(kind: Kind, obj: Any, words: list[str]) -> Hit:
    title = kind.title(obj)
    excerpt = ""
    if not any(w in fold(title) for w in words):
        text = next((getattr(obj, f) for f in kind.fields
                     if any(w in fold(getattr(obj, f) or "") for w in words)), "")
        excerpt = highlight(text, words) if text else ""
    return Hit(title=highlight(title, words), url=kind.url(obj), context=kind.context(obj),
               excerpt=excerpt)


@dataclass(frozen=True)
class Group:
    key: str
    label: Any
    hits: list[Hit]
    more: bool  # more than PER_KIND found


def search(*, user: User, query: str) -> list[Group]:
    """The groups of results with at least one hit, in the order of KINDS."""
    words = words_of(query)
    if not words:
        return []
    groups = []
    for kind in KINDS:
        found = list(_filter(kind, kind.queryset(user), words)[:PER_KIND + 1])
        if found:
            groups.append(Group(kind.key, kind.label, [_hit(kind, o, words)
                                                       for o in found[:PER_KIND]],
                                more=len(found) > PER_KIND))
    return groups
