"""The search page behind the header's box (reporting/search.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from pic.textsearch import words_of

from .. import search

MAX_QUERY = 200


class SearchView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:MAX_QUERY]
        groups = search.search(user=self.request.user, query=query) if query else []
        return super().get_context_data(
            query=query, groups=groups, searched=bool(words_of(query)),
            total=sum(len(g.hits) for g in groups), **kwargs)
