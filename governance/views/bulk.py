"""Bulk: the proposals ticked on the proposal list, put on one meeting's agenda. The page says
what will happen to each and asks for confirmation; each proposal is added in its own
transaction and a refused one is named (pic/bulk.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pic import bulk
from pic.access import ensure
from pic.views import ActionView
from proposals.models import Proposal

from .. import services
from ..forms import AgendaBulkAddForm
from ..models import Meeting
from ..selectors import DECIDABLE


def _selected_ids(data) -> list[int]:
    return [int(v) for v in data.getlist("proposal") if v.isdigit()][:200]


def _coming_meetings(user):
    return (Meeting.objects.visible_to(user).select_related("committee")
            .filter(held_on__gte=timezone.localdate()).order_by("held_on", "pk"))


def _what_happens(proposal: Proposal) -> str:
    if proposal.status in DECIDABLE:
        text = _("« %(title)s » (%(n)s) sera inscrite à l'ordre du jour.")
    else:
        text = _("« %(title)s » (%(n)s) ne peut pas être inscrite : elle n'est pas en analyse "
                 "ou elle est déjà décidée.")
    return text % {"title": proposal.title, "n": proposal.neighbourhood.name}


def _added(items: list[Proposal], meeting: Meeting) -> str:
    return ngettext("%(n)s proposition inscrite à l'ordre du jour de « %(m)s » : %(titles)s.",
                    "%(n)s propositions inscrites à l'ordre du jour de « %(m)s » : %(titles)s.",
                    len(items)) % {"n": len(items), "m": meeting.title,
                                   "titles": ", ".join(p.title for p in items)}


def _refused(proposal: Proposal, why: str) -> str:
    return _("« %(title)s » n'a pas été inscrite : %(why)s") % {"title": proposal.title,
                                                                 "why": why}


class AgendaBulkAddView(ActionView):
    confirm = True
    form_class = AgendaBulkAddForm

    def get_object(self) -> list[Proposal]:
        ensure(self.request.user, "meeting.manage")
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        return list(Proposal.objects.visible_to(self.request.user)
                    .filter(pk__in=_selected_ids(data)).select_related("neighbourhood")
                    .order_by("neighbourhood__name", "title"))

    def get(self, request, *args, **kwargs):
        if not self.get_object():
            messages.error(request, _("Cochez au moins une proposition dans la liste."))
            return redirect("proposals:proposal-list")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self, proposals):
        user = self.request.user
        return {"meetings": _coming_meetings(user), "proposals": Proposal.objects.visible_to(user),
                "initial": {"proposal": [p.pk for p in proposals]}}

    def confirmation(self, proposals) -> dict:
        return {"title": _("Inscrire des propositions à l'ordre du jour"),
                "consequences": [_what_happens(p) for p in proposals],
                "button": _("Oui, inscrire ces propositions")}

    def perform(self, proposals, form):
        self.meeting = form.cleaned_data["meeting"]
        result = services.agenda_items_add(meeting=self.meeting, actor=self.request.user,
                                           proposals=list(form.cleaned_data["proposal"]))
        bulk.report(self.request, result, done=lambda items: _added(items, self.meeting),
                    failed=_refused)
        return ""

    def get_success_url(self, proposals) -> str:
        meeting = getattr(self, "meeting", None)
        if meeting is not None:
            return reverse("governance:meeting-detail", args=[meeting.pk])
        return reverse("proposals:proposal-list")
