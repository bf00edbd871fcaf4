"""The committees page and seating or unseating a member."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from neighbourhoods.models import Invitation
from neighbourhoods.services import invitation_create
from pic.access import ActionRequiredMixin, can

from .. import selectors, services
from ..forms import SeatForm
from ..models import Committee, CommitteeMember
from .base import ServicePostView


def _composition_warnings(request, committee) -> None:
    """After a seat changes: where the composition departs from the guide (not a refusal)."""
    for warning in selectors.committee_composition_warnings(committee):
        messages.warning(request, warning)


class CommitteeListView(LoginRequiredMixin, TemplateView):
    """Committees and their current members: all for coordination staff, else one's own."""

    template_name = "governance/committee_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        staff = can(user, "committee.seat")
        context.update(
            committees=selectors.committee_list(user=user), is_staff=staff,
            warnings={c.pk: selectors.committee_composition_warnings(c)
                      for c in Committee.objects.all()} if staff else {},
            seat_form=SeatForm() if staff else None,
        )
        return context


class SeatView(ActionRequiredMixin, ServicePostView):
    action = "committee.seat"
    form_class = SeatForm

    def perform(self, _target, form):
        data = form.cleaned_data
        committee = data["committee"]
        if data["user"] is None:
            invitation_create(
                email=data["email"], full_name=data["full_name"],
                kind=Invitation.Kind.COMMITTEE_SEAT, organisation=data["organisation"],
                target={"committee": committee.pk, "is_chair": data["is_chair"]},
                actor=self.request.user,
                base_url=self.request.build_absolute_uri("/")[:-1],
            )
            return _("Invitation envoyée à %(email)s : la personne siégera au %(committee)s "
                     "dès qu'elle l'aura acceptée.") % {"email": data["email"],
                                                       "committee": committee}
        seat = services.committee_member_seat(
            committee=committee, user=data["user"], organisation=data["organisation"],
            is_chair=data["is_chair"], actor=self.request.user)
        _composition_warnings(self.request, committee)
        return _("%(user)s siège au %(committee)s.") % {"user": seat.user,
                                                       "committee": committee}

    def get_success_url(self, _target):
        return reverse("governance:committee-list")


class SeatEndView(ActionRequiredMixin, ServicePostView):
    action = "committee.seat"

    def get_object(self):
        return get_object_or_404(CommitteeMember.objects.current().select_related("user"),
                                 pk=self.kwargs["pk"])

    def perform(self, seat, _form):
        services.committee_member_end(seat=seat, actor=self.request.user)
        _composition_warnings(self.request, seat.committee)
        return _("%(user)s ne siège plus à ce comité.") % {"user": seat.user}

    def get_success_url(self, seat):
        return reverse("governance:committee-list")
