"""Amendments after ratification: start, edit, one view per transition, the page with its diff
against the version in force."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from pic.access import can, ensure
from pic.forms import apply_validation_error
from pic.views import ActionView
from proposals.forms import RequestChangesForm

from .. import selectors
from ..amendment_forms import AmendmentAgendaForm, AmendmentForm, AmendmentReviewForm
from ..models import Amendment
from ..services import amendment_agenda
from ..services import amendments as services


def amendment_get(user, pk: int) -> Amendment:
    amendment = (Amendment.objects.visible_to(user)
                 .select_related("allocation__proposal__stage", "allocation__initiative",
                                 "base_version", "version", "neighbourhood",
                                 "agenda_item__meeting")
                 .filter(pk=pk).first())
    if amendment is None:
        raise Http404
    return amendment


class AmendmentCreateView(LoginRequiredMixin, View):
    """« Modifier la proposition » on a ratified allocation: a draft, then its form."""

    def post(self, request, pk):
        allocation = selectors.allocation_get(user=request.user, pk=pk)
        try:
            amendment = services.amendment_create(allocation=allocation, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("reporting:allocation-detail", pk=pk)
        return redirect("reporting:amendment-edit", pk=amendment.pk)


class AmendmentDetailView(LoginRequiredMixin, TemplateView):
    template_name = "reporting/amendment_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        amendment = amendment_get(user, self.kwargs["pk"])
        to_agenda = amendment_agenda.awaits_agenda(amendment) and can(user, "meeting.manage")
        allowed = {name: can(self.request.user, f"amendment.{name}", amendment)
                   for name in services.allowed_transitions(amendment.status)}
        return super().get_context_data(
            amendment=amendment, rows=services.amendment_diff(amendment), can=allowed,
            agenda_form=AmendmentAgendaForm(meetings=amendment_agenda.meetings_for_amendment(
                user=user)) if to_agenda else None,
            item_visible=can(user, "meeting.manage"),
            editable=amendment.status in services.EDITABLE_STATES
            and can(self.request.user, "amendment.edit", amendment),
            exceeds=services.exceeds_allocation(amendment),
            years=sorted(services.amended_years(amendment).items()), **kwargs)


class AmendmentEditView(LoginRequiredMixin, View):
    template_name = "reporting/amendment_form.html"

    def page(self, request, amendment, form, status=200):
        return render(request, self.template_name, {"amendment": amendment, "form": form},
                      status=status)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            amendment = amendment_get(request.user, kwargs["pk"])
            ensure(request.user, "amendment.edit", amendment)
            if amendment.status not in services.EDITABLE_STATES:
                messages.info(request, _("Cette modification ne se modifie plus."))
                return redirect("reporting:amendment-detail", pk=amendment.pk)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        amendment = amendment_get(request.user, pk)
        return self.page(request, amendment, AmendmentForm(amendment=amendment))

    def post(self, request, pk):
        amendment = amendment_get(request.user, pk)
        form = AmendmentForm(request.POST, amendment=amendment)
        if not form.is_valid():
            return self.page(request, amendment, form, status=400)
        try:
            services.amendment_save(amendment=amendment, actor=request.user,
                                    data=form.data_for_service())
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.page(request, amendment, form, status=400)
        messages.success(request, _("Modification enregistrée."))
        if request.POST.get("then") == "submit":
            return redirect("reporting:amendment-submit", pk=pk)
        return redirect("reporting:amendment-detail", pk=pk)


class AmendmentTransitionView(ActionView):
    transition = ""

    def get_object(self):
        amendment = amendment_get(self.request.user, self.kwargs["pk"])
        ensure(self.request.user, f"amendment.{self.transition}", amendment)
        return amendment

    def get_success_url(self, amendment):
        return reverse("reporting:amendment-detail", args=[amendment.pk])

    def perform(self, amendment, form):
        extra = {}
        if form is not None and "message" in form.cleaned_data:
            extra["message"] = form.cleaned_data["message"]
        if form is not None and "note" in form.cleaned_data:
            extra["note"] = form.cleaned_data["note"]
        services.TRANSITION_FUNCTIONS[self.transition](amendment=amendment,
                                                       actor=self.request.user, **extra)


class AmendmentSubmitView(AmendmentTransitionView):
    transition, confirm = "submit", True
    success_message = _("Modification déposée : le·la conseiller·ère la revoit.")

    def confirmation(self, amendment):
        return {"title": _("Déposer la modification"), "subject": str(amendment),
                "consequences": [_("La modification devient une nouvelle version de la "
                                   "proposition, comparée à la version entérinée; elle ne se "
                                   "modifie plus, sauf si des modifications vous sont "
                                   "demandées.")],
                "button": _("Oui, déposer la modification")}


class AmendmentReviewView(AmendmentTransitionView):
    transition = "review"
    success_message = _("Modification revue : l'équipe de coordination en décide.")

    form_class = AmendmentReviewForm


class AmendmentRequestChangesView(AmendmentTransitionView):
    transition, form_class = "request_changes", RequestChangesForm
    success_message = _("Modifications demandées à la table.")


class AmendmentAcceptView(AmendmentTransitionView):
    transition, confirm = "accept", True
    success_message = _("Modification acceptée : la proposition, le plan d'action et "
                        "l'allocation sont à jour.")

    def confirmation(self, amendment):
        return {"title": _("Accepter la modification"), "subject": str(amendment),
                "consequences": [_("La proposition entérinée, l'initiative et les montants de "
                                   "l'allocation prennent les valeurs modifiées. La table en "
                                   "est avisée par courriel.")],
                "button": _("Oui, accepter la modification")}


class AmendmentReferView(AmendmentTransitionView):
    transition, confirm = "refer", True
    success_message = _("Modification renvoyée au comité.")

    def confirmation(self, amendment):
        return {"title": _("Renvoyer la modification au comité"), "subject": str(amendment),
                "consequences": [_("Les montants dépassent l'allocation : le comité de gestion "
                                   "en décidera. La table en est avisée par courriel.")],
                "button": _("Oui, renvoyer au comité")}


class AmendmentWithdrawView(AmendmentTransitionView):
    transition, confirm = "withdraw", True
    success_message = _("Modification retirée.")

    def confirmation(self, amendment):
        return {"title": _("Retirer la modification"), "subject": str(amendment),
                "danger": True, "consequences": [_("Le retrait est définitif.")],
                "button": _("Oui, retirer la modification")}


class AmendmentAgendaAddView(ActionView):
    """Coordination puts a referred amendment on an upcoming comité de gestion meeting."""

    form_class = AmendmentAgendaForm

    def get_object(self):
        amendment = amendment_get(self.request.user, self.kwargs["pk"])
        ensure(self.request.user, "meeting.manage")
        return amendment

    def get_form_kwargs(self, amendment):
        return {"meetings": amendment_agenda.meetings_for_amendment(user=self.request.user)}

    def get_success_url(self, amendment):
        return reverse("reporting:amendment-detail", args=[amendment.pk])

    def perform(self, amendment, form):
        item = amendment_agenda.amendment_agenda_add(
            amendment=amendment, meeting=form.cleaned_data["meeting"], actor=self.request.user)
        return _("Modification inscrite à l'ordre du jour de « %(m)s ».") % {
            "m": item.meeting.title}
