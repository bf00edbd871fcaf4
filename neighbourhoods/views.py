from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from pic import audit_labels, health, outbox
from pic.access import ActionRequiredMixin, can
from pic.forms import apply_validation_error
from pic.lists import Column, FilteredListView

from . import selectors, services
from .filters import NeighbourhoodListFilterForm, neighbourhood_suggestions
from .forms import AcceptInvitationForm, InvitationForm
from .models import AdvisorAssignment, Membership


class NeighbourhoodListView(ActionRequiredMixin, FilteredListView):
    """Every followed neighbourhood: coordination staff and advisors only; committee members,
    partners and neighbourhood people get 403. Filters, sorting, pages, export: pic/lists.py."""

    action = "neighbourhood.list"
    template_name = "neighbourhoods/neighbourhood_list.html"
    context_object_name = "neighbourhoods"
    paginate_by = 50
    filter_form_class = NeighbourhoodListFilterForm
    export_filename = "quartiers"
    default_sort = "name"
    columns = (
        Column("name", _l("Quartier"), "name", lambda n: n.name),
        Column("table", _l("Table de quartier"), "table_name", lambda n: n.table_name),
        Column("borough", _l("Arrondissement ou ville"), "borough", lambda n: n.borough),
        Column("advisors", _l("Conseiller·ère"), None, lambda n: ", ".join(
            str(a.advisor) for a in n.active_assignments)),
    )

    def get_base_queryset(self):
        return selectors.neighbourhood_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can(self.request.user, "neighbourhood.remind"):  # the bulk reminder (reporting)
            context["bulk_remind_url"] = reverse("reporting:neighbourhood-remind")
        return context


class NeighbourhoodSuggestionsView(LoginRequiredMixin, View):
    """The datalist of the neighbourhood filter (htmx, as one types): at most 20 names of the
    neighbourhoods the person may see."""

    def get(self, request):
        found = neighbourhood_suggestions(user=request.user,
                                          text=request.GET.get("neighbourhood", "")[:120])
        return render(request, "neighbourhoods/_suggestions.html", {"suggestions": found})


class NeighbourhoodDetailView(LoginRequiredMixin, TemplateView):
    template_name = "neighbourhoods/neighbourhood_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["neighbourhood"] = selectors.neighbourhood_get(
            user=self.request.user, slug=self.kwargs["slug"]
        )
        return context


class MembershipEndView(ActionRequiredMixin, View):
    action = "membership.manage"

    def post(self, request, pk):
        membership = get_object_or_404(Membership.objects.active().select_related(
            "user", "neighbourhood"), pk=pk)
        services.membership_end(membership=membership, actor=request.user)
        messages.success(request, _("%(user)s n'a plus accès aux dossiers de %(n)s.")
                         % {"user": membership.user, "n": membership.neighbourhood})
        return redirect("neighbourhoods:neighbourhood-detail", slug=membership.neighbourhood.slug)


class AdvisorUnassignView(ActionRequiredMixin, View):
    action = "advisor.assign"

    def post(self, request, pk):
        assignment = get_object_or_404(AdvisorAssignment.objects.active().select_related(
            "advisor", "neighbourhood"), pk=pk)
        services.advisor_unassign(assignment=assignment, actor=request.user)
        messages.success(request, _("%(user)s ne suit plus %(n)s.")
                         % {"user": assignment.advisor, "n": assignment.neighbourhood})
        return redirect("neighbourhoods:neighbourhood-detail", slug=assignment.neighbourhood.slug)


class InvitationListView(ActionRequiredMixin, ListView):
    action = "invitation.create"
    template_name = "neighbourhoods/invitation_list.html"
    context_object_name = "invitations"
    paginate_by = 50

    def get_queryset(self):
        return selectors.invitation_list(user=self.request.user)


class InvitationCreateView(ActionRequiredMixin, FormView):
    action = "invitation.create"
    template_name = "neighbourhoods/invitation_form.html"
    form_class = InvitationForm

    def get_initial(self):
        return {"neighbourhood": self.request.GET.get("neighbourhood")}

    def get_context_data(self, **kwargs):
        return super().get_context_data(days=settings.PIC_INVITATION_MAX_AGE_DAYS, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.invitation_create(
                email=data["email"], full_name=data["full_name"], kind=data["kind"],
                neighbourhood=data["neighbourhood"], organisation=data["organisation"],
                actor=self.request.user, base_url=self.request.build_absolute_uri("/")[:-1],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Invitation envoyée à %(email)s.") % data)
        return redirect("neighbourhoods:invitation-list")


class InvitationRevokeView(ActionRequiredMixin, View):
    action = "invitation.revoke"
    def post(self, request, pk):
        invitation = get_object_or_404(selectors.invitation_list(user=request.user), pk=pk)
        services.invitation_revoke(invitation=invitation, actor=request.user)
        messages.success(request, _("L'invitation de %(email)s est annulée.")
                         % {"email": invitation.email})
        return redirect("neighbourhoods:invitation-list")


def _accept_for_existing_account(request, invitation, template_name):
    """The invitee already has an account: once logged in as that person, a POST adds the
    role; anyone else sees the page that says to log in as the invitee."""
    user = request.user
    is_invitee = (user.is_authenticated
                  and user.email.lower() == invitation.email.lower())
    if request.method == "POST" and is_invitee:
        services.invitation_accept_existing(invitation=invitation, actor=user)
        messages.success(request, _("C'est fait : votre nouveau rôle est ajouté à votre "
                                    "compte."))
        return redirect("home")
    status = 403 if request.method == "POST" else 200
    login_url = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
    return render(request, template_name, {
        "invitation": invitation, "is_invitee": is_invitee, "login_url": login_url,
    }, status=status)


class InvitationAcceptView(View):
    """From the emailed link. A new person sets a name and a password (no login needed). A
    person who already has an account logs in normally (allauth: password, then MFA), comes
    back here and accepts the role: the link never sets a password nor opens a session."""

    template_name = "neighbourhoods/invitation_accept.html"
    existing_template_name = "neighbourhoods/invitation_existing.html"

    def dispatch(self, request, token):
        try:
            self.invitation = services.invitation_from_token(token)
        except ValidationError as error:
            return render(request, "neighbourhoods/invitation_invalid.html",
                          {"reason": error.messages[0]}, status=410)
        if services.invitation_has_account(self.invitation):
            return self.existing_account(request)
        return super().dispatch(request, token)

    def existing_account(self, request):
        return _accept_for_existing_account(request, self.invitation,
                                            self.existing_template_name)

    def get(self, request, token):
        form = AcceptInvitationForm(initial={"full_name": self.invitation.full_name},
                                    email=self.invitation.email)
        return render(request, self.template_name, {"form": form, "invitation": self.invitation})

    def post(self, request, token):
        form = AcceptInvitationForm(request.POST, email=self.invitation.email)
        if form.is_valid():
            user = services.invitation_accept(
                invitation=self.invitation, password=form.cleaned_data["password1"],
                full_name=form.cleaned_data["full_name"],
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Bienvenue! Votre compte est prêt."))
            return redirect("home")
        return render(request, self.template_name, {"form": form, "invitation": self.invitation})


class AuditLogView(ActionRequiredMixin, ListView):
    action = "audit.read"
    template_name = "neighbourhoods/audit_log.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        ct = self.request.GET.get("type")
        self.filters = {"content_type_id": int(ct) if ct and ct.isdigit() else None,
                        "object_id": self.request.GET.get("object") or None,
                        "verb": self.request.GET.get("action") or None}
        return selectors.audit_event_list(user=self.request.user, **self.filters)

    def get_paginator(self, queryset, *args, **kwargs):
        paginator = super().get_paginator(queryset, *args, **kwargs)
        if not any(self.filters.values()):  # the whole log: its last rank, not a COUNT(*)
            paginator.count = selectors.audit_event_total(user=self.request.user)
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for event in context["events"]:  # the page's events, in words
            event.verb_label = audit_labels.verb_label(event.verb)
            event.details_display = audit_labels.details_display(event.verb, event.details)
        action = self.request.GET.get("action", "")
        context.update(
            action=action, action_choices=audit_labels.verb_choices(),
            # the other filters, kept by the pagination links and the action filter form
            type_filter=self.request.GET.get("type", ""),
            object_filter=self.request.GET.get("object", ""),
        )
        return context


class HealthPageView(ActionRequiredMixin, TemplateView):
    """Coordination staff: the /health/ checks in words, and the outbox rows stuck for more
    than 15 minutes (emails and letters that wait for the broker or a worker)."""

    action = "coordination.page"

    template_name = "neighbourhoods/health.html"
    shown = 100

    def get_context_data(self, **kwargs):
        stuck = outbox.stuck_messages()
        return super().get_context_data(
            database=health.check_database(), broker=health.check_broker(),
            stuck=list(stuck[:self.shown]), stuck_count=stuck.count(),
            pending_count=outbox.pending_messages().count(), **kwargs)
