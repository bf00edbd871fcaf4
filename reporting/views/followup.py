"""The follow-up dashboard, the to-do, reminder preferences, envelopes and settings.

Each view: a selector scoped to the user, one service call, a message, a redirect."""


from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import FormView, ListView, TemplateView

from pic.access import ActionRequiredMixin, roles_of
from pic.forms import apply_validation_error
from pic.notifications import services as notifications
from pic.notifications.forms import PREFERENCES_HELP, NotificationPreferenceForm
from proposals.models import Program

from .. import dashboards, selectors
from ..access import FollowupRequiredMixin
from ..forms import (
    ContributionForm,
    EnvelopeForm,
    ReminderPreferenceForm,
    ReportingConfigForm,
)
from ..models import ReminderPreference
from ..services import allocations as allocation_services
from ..services import reminders
from ..todo import todo_groups


class TodoView(LoginRequiredMixin, TemplateView):
    """What to do next: the same items as the daily digest."""

    template_name = "reporting/todo.html"

    def get_context_data(self, **kwargs):
        groups = todo_groups(user=self.request.user, today=timezone.localdate())
        return super().get_context_data(
            groups=groups, items=[due for group in groups for due in group.items], **kwargs)


class ReminderPreferenceView(LoginRequiredMixin, FormView):
    """The reminders a person wants, and how each kind of notification reaches them."""

    template_name = "reporting/preferences.html"
    form_class = ReminderPreferenceForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = (ReminderPreference.objects.filter(user=self.request.user).first()
                              or ReminderPreference(user=self.request.user))
        return kwargs

    def get_context_data(self, **kwargs):
        if "notification_form" not in kwargs:
            kwargs["notification_form"] = NotificationPreferenceForm(
                modes=notifications.preferences_of(self.request.user))
        return super().get_context_data(notifications_help=PREFERENCES_HELP, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        notification_form = NotificationPreferenceForm(
            request.POST, modes=notifications.preferences_of(request.user))
        if not (form.is_valid() and notification_form.is_valid()):
            return self.render_to_response(self.get_context_data(
                form=form, notification_form=notification_form))
        reminders.reminder_preference_save(user=request.user, actor=request.user,
                                           **{f: form.cleaned_data[f] for f in form.fields})
        notifications.notification_preferences_save(user=request.user, actor=request.user,
                                                     modes=notification_form.modes())
        messages.success(request, _("Vos préférences de rappel sont enregistrées."))
        return redirect("reporting:preferences")


class DashboardView(FollowupRequiredMixin, TemplateView):
    def get_template_names(self):
        user = self.request.user
        if roles_of(user).coordination:
            return ["reporting/dashboard_coordination.html"]
        if roles_of(user).advisor:
            return ["reporting/dashboard_advisor.html"]
        return ["reporting/dashboard_neighbourhood.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        context["today"] = today
        if roles_of(user).coordination:
            context.update(dashboards.coordination_dashboard(user=user, today=today))
        elif roles_of(user).advisor:
            context["rows"] = dashboards.advisor_dashboard(user=user, today=today)
        else:
            context.update(dashboards.neighbourhood_dashboard(user=user, today=today))
        return context




class EnvelopeView(ActionRequiredMixin, FormView):
    action = "envelope.set"
    template_name = "reporting/envelopes.html"
    form_class = EnvelopeForm

    def get_program(self):
        program = Program.objects.order_by("-starts_on").first()
        if program is None:
            raise Http404
        return program

    def get_context_data(self, **kwargs):
        program = self.get_program()
        kwargs.setdefault("config_form", ReportingConfigForm(
            instance=allocation_services.config_for(program)))
        kwargs.setdefault("contribution_form", ContributionForm())
        return super().get_context_data(program=program,
                                        figures=selectors.envelope_figures(program=program),
                                        **kwargs)

    def form_valid(self, form):
        try:
            allocation_services.envelope_set(program=self.get_program(), actor=self.request.user,
                                             **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("L'enveloppe est enregistrée."))
        return redirect("reporting:envelopes")


class ReportingConfigView(EnvelopeView):
    """POST only: the program's follow-up delays (they apply to allocations made after)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        program = self.get_program()
        form = ReportingConfigForm(request.POST, instance=allocation_services.config_for(program))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(config_form=form), status=400)
        try:
            allocation_services.reporting_config_save(program=program, actor=request.user,
                                                      **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.render_to_response(self.get_context_data(config_form=form), status=400)
        messages.success(request, _("Les paramètres du suivi sont enregistrés."))
        return redirect("reporting:envelopes")


class ContributionView(EnvelopeView):
    """POST only: a partner's contribution to one year's envelope."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        program = self.get_program()
        form = ContributionForm(request.POST)
        if form.is_valid():
            try:
                allocation_services.contribution_set(program=program, actor=request.user,
                                                     **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("La contribution est enregistrée; l'enveloppe de "
                                            "l'année en est la somme."))
                return redirect("reporting:envelopes")
        return self.render_to_response(self.get_context_data(contribution_form=form),
                                       status=400)


class OverdueListView(FollowupRequiredMixin, ListView):
    """The whole of one of the dashboard's overdue lists, a page at a time (the dashboard
    shows its first ten): decisions near or past the eight-week limit, overdue reports,
    overdue check-ins."""

    template_name = "reporting/overdue_list.html"
    context_object_name = "rows"
    paginate_by = 50
    kind = ""
    TITLES = {"decisions": _lazy("Décisions près du délai de huit semaines"),
              "reports": _lazy("Rapports en retard"),
              "checkins": _lazy("Bilans de mi-année en retard")}

    def get_queryset(self):
        user, today = self.request.user, timezone.localdate()
        if self.kind == "decisions":
            return dashboards.decisions_at_risk(user=user, today=today)
        if self.kind == "reports":
            return selectors.overdue_reports(user=user, today=today)
        return selectors.overdue_checkins(user=user, today=today)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        if self.kind == "decisions":
            context["rows"] = dashboards.decision_rows(context["page_obj"].object_list,
                                                       today=today)
        context.update(kind=self.kind, title=self.TITLES[self.kind], today=today)
        return context
