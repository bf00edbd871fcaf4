"""The neighbourhood's file: initiatives, letters of intent, contacts."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from neighbourhoods import selectors as neighbourhood_selectors
from neighbourhoods.models import Neighbourhood
from pic.access import ActionRequiredMixin, can, ensure
from pic.files import private_file_response
from pic.forms import apply_validation_error
from pic.notes.selectors import note_thread
from pic.timeline import timeline

from .. import plans, selectors, services
from ..forms import (
    ContactForm,
    InitiativeAccessForm,
    InitiativeForm,
    LetterOfIntentForm,
)
from ..journey_forms import NeighbourhoodPlanForm
from ..models import Initiative, Proposal, Stage

S = Proposal.Status


def _member_neighbourhoods(user):
    return neighbourhood_selectors.neighbourhoods_of_member(user=user)


# --- Lists and the neighbourhood's file -----------------------------------------------------


class NeighbourhoodFileView(LoginRequiredMixin, TemplateView):
    """A neighbourhood's file: initiatives, letters of intent, contacts, proposals, next steps."""

    template_name = "proposals/neighbourhood_file.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        neighbourhood = get_object_or_404(Neighbourhood.objects.visible_to(user),
                                          slug=self.kwargs["slug"])
        file = selectors.neighbourhood_file(user=user, neighbourhood=neighbourhood)
        windows = selectors.open_window_list(today=timezone.localdate())
        context.update(file=file, next_steps=selectors.next_steps(file, open_windows=windows),
                       is_member=can(user, "proposal.create", neighbourhood),
                       can_acknowledge=can(user, "letter_of_intent.acknowledge", neighbourhood),
                       thread=note_thread(user=user, obj=neighbourhood),
                       timeline=timeline(user=user, obj=neighbourhood, whole_neighbourhood=True))
        return context


# --- Initiatives, letters of intent, contacts -------------------------------------------------


class InitiativeCreateView(ActionRequiredMixin, FormView):
    action = "initiative.create"
    template_name = "proposals/initiative_form.html"
    form_class = InitiativeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "neighbourhoods": _member_neighbourhoods(self.request.user)}

    def form_valid(self, form):
        program = selectors.current_program()
        if program is None:
            raise Http404
        try:
            initiative = services.initiative_create(
                neighbourhood=form.cleaned_data["neighbourhood"], program=program,
                title=form.cleaned_data["title"],
                desired_change=form.cleaned_data["desired_change"],
                priority=form.cleaned_data.get("priority"), actor=self.request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Initiative créée."))
        return redirect(f"{reverse('proposals:proposal-create')}?initiative={initiative.pk}")


class InitiativeDetailView(LoginRequiredMixin, TemplateView):
    template_name = "proposals/initiative_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        initiative = selectors.initiative_get(user=user, pk=self.kwargs["pk"])
        context = super().get_context_data(initiative=initiative, **kwargs)
        if can(user, "initiative.grant_read", initiative):
            context.update(access_form=InitiativeAccessForm(),
                           readers=selectors.initiative_reader_list(initiative=initiative))
        return context


class LetterOfIntentCreateView(ActionRequiredMixin, FormView):
    action = "letter_of_intent.submit"
    template_name = "proposals/letter_of_intent_form.html"
    form_class = LetterOfIntentForm

    def get_form_kwargs(self):
        program = selectors.current_program()
        stages = program.stages.all() if program else Stage.objects.none()
        return {**super().get_form_kwargs(), "stages": stages,
                "neighbourhoods": _member_neighbourhoods(self.request.user)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            letter = services.letter_of_intent_submit(
                neighbourhood=data["neighbourhood"], program=data["target_stage"].program,
                desired_change=data["desired_change"], target_stage=data["target_stage"],
                actor=self.request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Lettre d'intention transmise à votre "
                                         "conseiller·ère."))
        return redirect("proposals:neighbourhood-file", slug=letter.neighbourhood.slug)


class LetterOfIntentAcknowledgeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        letter = get_object_or_404(
            selectors.letter_of_intent_list(user=request.user), pk=pk)
        services.letter_of_intent_acknowledge(letter=letter, actor=request.user)
        messages.success(request, _("Réception de la lettre d'intention confirmée."))
        return redirect("proposals:neighbourhood-file", slug=letter.neighbourhood.slug)


class ContactCreateView(LoginRequiredMixin, FormView):
    template_name = "proposals/contact_form.html"
    form_class = ContactForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.neighbourhood = get_object_or_404(Neighbourhood.objects.visible_to(request.user),
                                                   slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"date": timezone.localdate(), "kind": "pre_submission"}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "initiatives": Initiative.objects.visible_to(self.request.user).filter(
                    neighbourhood=self.neighbourhood)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(neighbourhood=self.neighbourhood, **kwargs)

    def form_valid(self, form):
        try:
            services.contact_record(neighbourhood=self.neighbourhood, actor=self.request.user,
                                    **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Échange consigné au dossier."))
        return redirect("proposals:neighbourhood-file", slug=self.neighbourhood.slug)


# --- The plan de quartier -------------------------------------------------------------------


class NeighbourhoodPlanRecordView(LoginRequiredMixin, FormView):
    """Record or update the neighbourhood's plan (the table, its advisor, coordination)."""

    template_name = "proposals/neighbourhood_plan_form.html"
    form_class = NeighbourhoodPlanForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.neighbourhood = get_object_or_404(Neighbourhood.objects.visible_to(request.user),
                                                   slug=kwargs["slug"])
            ensure(request.user, "neighbourhood_plan.record", self.neighbourhood)
            self.plan = selectors.neighbourhood_plan_get(user=request.user,
                                                         neighbourhood=self.neighbourhood)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        if self.plan is None:
            return {"title": _("Plan de quartier de %(n)s") % {"n": self.neighbourhood.name}}
        return {"title": self.plan.title, "status": self.plan.status,
                "adopted_on": self.plan.adopted_on,
                "priorities": "\n".join(p.label for p in self.plan.priorities.all())}

    def get_context_data(self, **kwargs):
        return super().get_context_data(neighbourhood=self.neighbourhood, plan=self.plan,
                                        **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            plans.neighbourhood_plan_record(
                neighbourhood=self.neighbourhood, title=data["title"], status=data["status"],
                adopted_on=data["adopted_on"], priorities=form.priority_lines(),
                document=data.get("document"), actor=self.request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Plan de quartier enregistré."))
        return redirect(reverse("proposals:neighbourhood-file",
                                args=[self.neighbourhood.slug]) + "#plan")


class PlanDocumentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        document = selectors.plan_document_get(user=request.user, pk=pk)
        return private_file_response(document.file, filename=document.original_name,
                                     content_type=document.content_type)
