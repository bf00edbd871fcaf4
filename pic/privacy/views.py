"""Law 25 pages: the public privacy page, a person's own data and consents (account area),
and the register of confidentiality incidents (coordination team)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from pic.access import ActionRequiredMixin
from pic.audit_labels import verb_label
from pic.models import AuditEvent
from pic.spreadsheets import streaming_csv_response

from . import exports, services
from .forms import IncidentForm
from .models import INCIDENT_MINIMUM_YEARS, ConfidentialityIncident, Consent


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


class PrivacyPolicyView(TemplateView):
    """Public: who is in charge, what is collected and why, how long, and one's rights."""

    template_name = "privacy/policy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            officer_name=settings.PIC_PRIVACY_OFFICER_NAME,
            officer_email=settings.PIC_PRIVACY_OFFICER_EMAIL,
            inactive_years=settings.PIC_RETENTION_INACTIVE_YEARS,
            incident_years=INCIDENT_MINIMUM_YEARS,
            invitation_days=settings.PIC_INVITATION_MAX_AGE_DAYS,
            session_days=settings.SESSION_COOKIE_AGE // 86400,
            **kwargs)


class MyDataView(LoginRequiredMixin, TemplateView):
    template_name = "privacy/my_data.html"

    def get_context_data(self, **kwargs):
        data = services.personal_data(user=self.request.user, actor=self.request.user)
        return super().get_context_data(data=data, **kwargs)

    def render_to_response(self, context, **kwargs):
        return _no_store(super().render_to_response(context, **kwargs))


class MyDataDownloadView(LoginRequiredMixin, View):
    file_format = "json"

    def get(self, request):
        data = services.personal_data(user=request.user, actor=request.user)
        services.personal_data_exported(user=request.user, file_format=self.file_format)
        filename = f"mes-donnees-pic-{timezone.localdate().isoformat()}.{self.file_format}"
        if self.file_format == "csv":
            return streaming_csv_response(filename, exports.PERSONAL_DATA_CSV_HEADER,
                                          exports.personal_data_csv_rows(data))
        response = HttpResponse(exports.personal_data_json(data), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        return _no_store(response)


class ConsentView(LoginRequiredMixin, TemplateView):
    """Optional communications: nothing is given until the person gives it."""

    template_name = "privacy/consents.html"

    def get_context_data(self, **kwargs):
        history = Consent.objects.filter(user=self.request.user).order_by("-given_at", "-pk")
        return super().get_context_data(
            purposes=services.consent_list(user=self.request.user), history=history, **kwargs)

    def post(self, request):
        purpose, action = request.POST.get("purpose"), request.POST.get("action")
        if purpose not in Consent.Purpose.values or action not in ("give", "withdraw"):
            messages.error(request, _("Choix inconnu : rien n'a été modifié."))
            return redirect("privacy:consents")
        label = Consent.Purpose(purpose).label
        if action == "give":
            services.consent_give(user=request.user, purpose=purpose, actor=request.user)
            messages.success(request, _("Consentement donné : %(p)s.") % {"p": label})
        else:
            services.consent_withdraw(user=request.user, purpose=purpose, actor=request.user)
            messages.success(request, _("Consentement retiré : %(p)s.") % {"p": label})
        return redirect("privacy:consents")


# --- The register of confidentiality incidents --------------------------------------------------


class IncidentKeeperMixin(ActionRequiredMixin):
    """The coordination team only (the action "incident.manage"); others get 403."""

    action = "incident.manage"

    def get_queryset(self):
        return services.incident_list(user=self.request.user)


class IncidentListView(IncidentKeeperMixin, ListView):
    template_name = "privacy/incident_list.html"
    context_object_name = "incidents"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return super().get_context_data(minimum_years=INCIDENT_MINIMUM_YEARS, **kwargs)


class IncidentDetailView(IncidentKeeperMixin, DetailView):
    template_name = "privacy/incident_detail.html"
    context_object_name = "incident"

    def get_context_data(self, **kwargs):
        history = AuditEvent.objects.for_object(self.object).select_related("actor")
        for event in history:
            event.verb_label = verb_label(event.verb)
        return super().get_context_data(history=history, **kwargs)


class IncidentFormView(IncidentKeeperMixin, FormView):
    template_name = "privacy/incident_form.html"
    form_class = IncidentForm
    incident = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            self.incident = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
            kwargs["instance"] = self.incident
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(incident=self.incident, **kwargs)

    def form_valid(self, form):
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if self.incident is None:
            incident = services.incident_record(actor=self.request.user, **values)
            messages.success(self.request, _("Incident consigné au registre."))
        else:
            incident = services.incident_update(incident=self.incident, actor=self.request.user,
                                                **values)
            messages.success(self.request, _("Incident mis à jour."))
        return redirect("privacy:incident-detail", pk=incident.pk)


class IncidentExportView(IncidentKeeperMixin, View):
    def get(self, request):
        fields = [ConfidentialityIncident._meta.get_field(name)
                  for name in ["id", *services.INCIDENT_FIELDS, "created_at", "updated_at"]]
        rows = ([services.value(getattr(incident, f.name)) for f in fields]
                for incident in self.get_queryset().order_by("discovered_on", "pk"))
        return streaming_csv_response(
            f"registre-incidents-{timezone.localdate().isoformat()}.csv",
            [str(f.verbose_name) for f in fields], rows)
